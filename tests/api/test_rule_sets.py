"""Points rules over HTTP: a district drafts and publishes a rule set, its
activities name a category and are rated by it, a what-if changes nothing,
and bad input is refused with a problem."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.support import ADMIN, Running, bearer, problem, written
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/rule-sets": (
        "test_a_district_publishes_rules_that_rate_its_activities",
        "test_rule_sets_refuse_what_they_cannot_take",
    ),
    "POST /v1/rule-sets/{rule_set_id}/publish": (
        "test_a_district_publishes_rules_that_rate_its_activities",
        "test_rule_sets_refuse_what_they_cannot_take",
    ),
    "GET /v1/rule-sets": ("test_a_district_publishes_rules_that_rate_its_activities",),
    "GET /v1/rule-sets/{rule_set_id}/what-if": (
        "test_a_what_if_answers_the_figures_and_records_nothing",
    ),
}

CATEGORIES = [
    {"code": "环境", "name": "环境整治", "points_per_hour": "2"},
    {"code": "助老", "name": "助老服务", "points_per_hour": "3"},
]


@dataclass
class District:
    id: str
    other: str
    community: str
    team: str
    member: str
    organiser: dict[str, str]
    outsider: dict[str, str]


def made(client: TestClient, url: str, body: dict[str, Any]) -> str:
    answer: str = written(client.post(url, json=body, headers=ADMIN))["id"]
    return answer


def token(client: TestClient, **scope: Any) -> dict[str, str]:
    body = {"role": "organizer", "label": "区级组织者", **scope}
    issued = written(client.post("/v1/tokens", json=body, headers=ADMIN))
    return bearer(issued["token"])


@pytest.fixture
def district(running: Running, clock: Clock) -> District:
    client = running.client
    clock.now = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    district_id = made(client, "/v1/districts", {"name": "海港区"})
    other = made(client, "/v1/districts", {"name": "山海关区"})
    street = made(
        client, "/v1/streets", {"name": "海滨街道", "district_id": district_id}
    )
    community = made(
        client, "/v1/communities", {"name": "渔港社区", "street_id": street}
    )
    team = made(
        client, "/v1/teams", {"name": "海港志愿服务队", "community_id": community}
    )
    member = made(
        client,
        "/v1/members",
        {"name": "张伟", "community_id": community, "party_member": False},
    )
    return District(
        district_id,
        other,
        community,
        team,
        member,
        token(client, district_ids=[district_id]),
        token(client, district_ids=[other]),
    )


def draft(
    client: TestClient, headers: dict[str, str], district_id: str | None, **extra: Any
) -> dict[str, Any]:
    body = {
        "name": "2026 年版",
        "district_id": district_id,
        "categories": CATEGORIES,
    } | extra
    return written(client.post("/v1/rule-sets", json=body, headers=headers))


def activity(
    client: TestClient, d: District, category: str, day: str, **extra: Any
) -> str:
    body = {
        "title": f"{category}活动",
        "team_id": d.team,
        "category": category,
        "starts_at": f"{day}T09:00:00+08:00",
        "ends_at": f"{day}T12:00:00+08:00",
    } | extra
    return written(client.post("/v1/activities", json=body, headers=ADMIN))["id"]


def attend(client: TestClient, activity_id: str, member: str, hours: str) -> int:
    body = {"records": [{"member_id": member, "hours": hours}]}
    url = f"/v1/activities/{activity_id}/attendance"
    return int(written(client.post(url, json=body, headers=ADMIN), 200)["position"])


def test_a_district_publishes_rules_that_rate_its_activities(
    running: Running, district: District
) -> None:
    client, d = running.client, district
    caps = {
        "hours_per_activity": "2",
        "points_per_member_year_by_category": {"助老": "8"},
    }
    drafted = draft(client, d.organiser, d.id, caps=caps)
    assert (drafted["status"], drafted["version"]) == ("draft", None)
    assert drafted["categories"][1] == {
        "code": "助老",
        "name": "助老服务",
        "points_per_hour": "3",
    }
    url = f"/v1/rule-sets/{drafted['id']}/publish"
    body = {"effective_from": "2026-01-01"}
    published = written(client.post(url, json=body, headers=d.organiser), 200)
    assert (published["version"], published["effective_from"]) == (1, "2026-01-01")
    assert (published["status"], published["rerated"]) == ("published", 0)
    problem(client.post(url, json={}, headers=d.organiser), 409, "already_published")
    first = activity(client, d, "助老", "2026-05-04")
    second = activity(client, d, "助老", "2026-05-11")
    attend(client, first, d.member, "3")
    position = attend(client, second, d.member, "2")
    statement = client.get(
        f"/v1/members/{d.member}/statement",
        params={"year": 2026, "min_position": position},
        headers=ADMIN,
    ).json()
    rated = [
        (i["hours"], i["full_points"], i["points"], i["rule_version"])
        for i in statement["items"]
    ]
    # 3 hours count as 2 (6.0 of 9.0); the year's 助老 cap of 8 leaves 2.0.
    assert rated == [("3", "9.0", "6.0", 1), ("2", "6.0", "2.0", 1)]
    listed = client.get(
        "/v1/rule-sets", params={"district_id": d.id}, headers=d.organiser
    ).json()
    assert [(r["name"], r["status"], r["version"]) for r in listed["items"]] == [
        ("2026 年版", "published", 1)
    ]
    assert listed["next_cursor"] is None


def test_rule_sets_refuse_what_they_cannot_take(
    running: Running, district: District
) -> None:
    client, d = running.client, district
    before = running.position()
    bad = [
        ({"categories": []}, 422, "validation_error"),
        (
            {"categories": [{"code": "助老", "name": "助老", "points_per_hour": "-1"}]},
            422,
            "validation_error",
        ),
        (
            {"caps": {"points_per_member_year_by_category": {"宣讲": "10"}}},
            422,
            "unknown_category",
        ),
        ({"caps": {"hours_per_activity": "1.1"}}, 422, "validation_error"),
        ({"district_id": "not-an-id"}, 422, "validation_error"),
    ]
    for extra, status, code in bad:
        body = {"name": "规则", "district_id": d.id, "categories": CATEGORIES} | extra
        problem(client.post("/v1/rule-sets", json=body, headers=ADMIN), status, code)
    problem(
        client.post(
            "/v1/rule-sets",
            json={"name": "规则", "district_id": d.id, "categories": CATEGORIES},
            headers=d.outsider,
        ),
        403,
        "forbidden",
    )
    problem(
        client.post(
            "/v1/rule-sets",
            json={"name": "全市规则", "categories": CATEGORIES},
            headers=d.organiser,
        ),
        403,
        "forbidden",
    )
    assert running.position() == before
    drafted = draft(client, ADMIN, d.id)
    url = f"/v1/rule-sets/{drafted['id']}/publish"
    early = {"effective_from": "2025-12-31"}
    problem(client.post(url, json=early, headers=ADMIN), 422, "invalid_effective_from")
    problem(client.post(url, json={}, headers=d.outsider), 403, "forbidden")
    missing = "/v1/rule-sets/00000000-0000-4000-8000-000000000000/publish"
    problem(client.post(missing, json={}, headers=ADMIN), 404, "not_found")
    written(client.post(url, json={"effective_from": "2026-01-01"}, headers=ADMIN), 200)
    after = running.position()
    body = {"title": "宣讲", "team_id": d.team, "category": "宣讲"}
    window = {"starts_at": "2026-06-02T09:00:00+08:00"}
    window["ends_at"] = "2026-06-02T11:00:00+08:00"
    refused = client.post("/v1/activities", json=body | window, headers=ADMIN)
    problem(refused, 422, "unknown_category")
    own_rule = body | window | {"category": "助老", "points_per_hour": "5"}
    refused = client.post("/v1/activities", json=own_rule, headers=ADMIN)
    problem(refused, 422, "points_set_by_rules")
    assert running.position() == after
    problem(
        client.get("/v1/rule-sets", headers=bearer("vp_nonsense")), 401, "unauthorized"
    )


def test_a_what_if_answers_the_figures_and_records_nothing(
    running: Running, district: District
) -> None:
    client, d = running.client, district
    capped = {"points_per_member_year_by_category": {"助老": "8"}}
    published = draft(client, ADMIN, d.id, caps=capped)
    url = f"/v1/rule-sets/{published['id']}/publish"
    written(client.post(url, json={"effective_from": "2026-01-01"}, headers=ADMIN), 200)
    attend(client, activity(client, d, "助老", "2026-05-04"), d.member, "2")
    attend(client, activity(client, d, "助老", "2026-05-11"), d.member, "2")
    loose = draft(client, d.organiser, d.id, name="宽松版")
    before = running.position()
    params = {"scope": "district", "scope_id": d.id, "year": 2026}
    answer = client.get(
        f"/v1/rule-sets/{loose['id']}/what-if", params=params, headers=d.organiser
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    # Now 6.0 + 2.0 under the cap of 8; under the draft 6.0 + 6.0.
    assert (found["current"]["points"], found["draft"]["points"]) == ("8.0", "12.0")
    assert found["members_changed"] == 1
    assert found["largest_changes"] == [
        {
            "member_id": d.member,
            "name": "张伟",
            "current_points": "8.0",
            "draft_points": "12.0",
        }
    ]
    assert found["by_community"] == [
        {
            "community_id": d.community,
            "name": "渔港社区",
            "current_points": "8.0",
            "draft_points": "12.0",
        }
    ]
    assert running.position() == before
    outside = {"scope": "district", "scope_id": d.other, "year": 2026}
    what_if = f"/v1/rule-sets/{loose['id']}/what-if"
    problem(client.get(what_if, params=outside, headers=d.organiser), 403, "forbidden")
    grid = {"scope": "grid", "scope_id": d.community}
    problem(client.get(what_if, params=grid, headers=ADMIN), 422, "validation_error")

"""Merging duplicate members over HTTP (shared/API.md, the organiser's desk):
the duplicate's attendances, team memberships and double report move to the
survivor by events, every figure counts the person once, and writes naming the
duplicate answer 409 member_merged with the survivor's id."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.auth import BOOTSTRAP_ADMIN
from tests.api.support import (
    ADMIN_TOKEN,
    YEAR,
    Scene,
    activity_body,
    bearer,
    error_fields,
    problem,
)
from tests.conftest import STORES

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/members/{member_id}/merge": (
        "test_a_merge_moves_attendances_teams_and_report_to_the_survivor",
        "test_every_figure_counts_the_merged_person_once",
        "test_writes_naming_the_duplicate_are_member_merged_naming_the_survivor",
        "test_a_merge_needs_a_token_covering_both_members",
        "test_a_member_is_not_merged_into_itself_nor_an_unknown_one",
        "test_a_merge_retried_with_its_idempotency_key_has_one_effect",
        "test_both_histories_tell_of_the_merge",
    ),
}

ADMIN = bearer(ADMIN_TOKEN)
REASON = "同一人重复登记"


def merge_url(member: str) -> str:
    return f"/v1/members/{member}/merge"


def duplicate_of_wang_fang(scene: Scene) -> dict[str, str]:
    """A second record of 王芳 in the other community, in the team, reported to
    the other community, at the activity 王芳 attended (1 hour) and at another
    one (2 hours) that 王芳 did not attend."""
    app = scene.client.app.state.system.app
    actor = BOOTSTRAP_ADMIN
    duplicate = app.register_member(
        "王芳", UUID(scene.other_community), True, actor, phone="13700137000"
    ).id
    app.join_team(UUID(scene.team), duplicate, actor)
    app.double_report_member(duplicate, UUID(scene.other_community), None, actor)
    body = activity_body(scene.team, "2026-03-01", title="入户走访")
    other = app.schedule_activity(
        title=body["title"],
        team_id=UUID(scene.team),
        category=body["category"],
        starts_at=datetime.fromisoformat(body["starts_at"]),
        ends_at=datetime.fromisoformat(body["ends_at"]),
        actor=actor,
    ).id
    app.record_attendance(UUID(scene.started), [(duplicate, Decimal(1))], actor)
    app.record_attendance(other, [(duplicate, Decimal(2))], actor)
    scene.position = app.position()
    return {"duplicate": str(duplicate), "other_activity": str(other)}


def merge(scene: Scene, duplicate: str, role: str = "admin") -> dict[str, Any]:
    body = {"duplicate_id": duplicate, "reason": REASON}
    return scene.write("POST", merge_url(scene.member), body, role)


def read(scene: Scene, url: str, **params: Any) -> dict[str, Any]:
    response = scene.read(url, **params)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def refused(
    scene: Scene,
    method: str,
    url: str,
    body: Any,
    status: int,
    code: str,
    role: str = "admin",
) -> dict[str, Any]:
    """A refused write, after checking that it recorded nothing."""
    app = scene.client.app.state.system.app
    before = app.position()
    response = scene.client.request(method, url, json=body, headers=scene.headers(role))
    answer = problem(response, status, code)
    assert app.position() == before
    return answer


def test_a_merge_moves_attendances_teams_and_report_to_the_survivor(
    scene: Scene,
) -> None:
    made = duplicate_of_wang_fang(scene)
    answer = merge(scene, made["duplicate"])
    assert answer == {
        "id": scene.member,
        "name": "王芳",
        "community_id": scene.community,
        "duplicate_id": made["duplicate"],
        "reason": REASON,
        "attendances_moved": 1,
        "attendances_revoked": 1,
        "teams": 1,
        "position": answer["position"],
    }
    survivor = read(scene, f"/v1/members/{scene.member}")
    assert survivor["status"] == "registered"
    assert survivor["teams"] == [scene.team]
    assert survivor["double_report"]["community_id"] == scene.other_community
    duplicate = read(scene, f"/v1/members/{made['duplicate']}")
    assert duplicate["status"] == "merged"
    assert duplicate["merged_into"] == scene.member
    assert duplicate["teams"] == []
    assert duplicate["double_report"] is None
    items = read(scene, f"/v1/members/{scene.member}/statement", **YEAR)["items"]
    assert sorted((i["title"], i["hours"], i["points"]) for i in items) == [
        ("入户走访", "2", "20.0"),
        ("政策宣讲", "2", "20.0"),
    ]
    items = read(scene, f"/v1/members/{made['duplicate']}/statement", **YEAR)["items"]
    assert sorted(
        (i["title"], i["status"], i["points"], i["reason"]) for i in items
    ) == [
        ("入户走访", "revoked", "0.0", "merged"),
        ("政策宣讲", "revoked", "0.0", "merged"),
    ]


def test_every_figure_counts_the_merged_person_once(scene: Scene) -> None:
    made = duplicate_of_wang_fang(scene)
    before = read(scene, f"/v1/communities/{scene.community}/stats", **YEAR)
    other_before = read(scene, f"/v1/communities/{scene.other_community}/stats", **YEAR)
    everywhere_before = read(scene, "/v1/stats", **YEAR)
    # Counted by hand: 王芳 (2 h at 政策宣讲) and 李娜 in the first community;
    # the duplicate in the second, in the team, with 1 h + 2 h, reported.
    assert (before["volunteers"], before["participations"], before["points"]) == (
        2,
        3,
        "50.0",
    )
    assert (before["members"], before["avg_annual_points"]) == (2, "10.0")
    assert (other_before["members"], other_before["members_reported"]) == (1, 1)
    assert other_before["avg_annual_points"] == "30.0"
    assert (everywhere_before["members"], everywhere_before["volunteers"]) == (3, 2)
    merge(scene, made["duplicate"])
    after = read(scene, f"/v1/communities/{scene.community}/stats", **YEAR)
    other_after = read(scene, f"/v1/communities/{scene.other_community}/stats", **YEAR)
    everywhere = read(scene, "/v1/stats", **YEAR)
    # One 王芳 with 政策宣讲 (her own 2 h stand) and 入户走访 (2 h, moved).
    assert (after["volunteers"], after["participations"], after["points"]) == (
        1,
        2,
        "40.0",
    )
    assert (after["members"], after["avg_annual_points"]) == (2, "20.0")
    assert (other_after["members"], other_after["members_reported"]) == (0, 1)
    assert (everywhere["members"], everywhere["volunteers"]) == (2, 1)
    assert everywhere["members_reported"] == 1
    team = read(scene, f"/v1/teams/{scene.team}", **YEAR)
    assert (team["members"], team["participations"]) == (1, 2)
    points = read(scene, f"/v1/members/{scene.member}/points", **YEAR)
    assert (points["points"], points["hours"], points["activities"]) == (
        "40.0",
        "4",
        2,
    )
    leaders = read(scene, f"/v1/communities/{scene.community}/leaderboard", **YEAR)
    assert [i["member_id"] for i in leaders["items"]] == [scene.member]


def test_writes_naming_the_duplicate_are_member_merged_naming_the_survivor(
    scene: Scene,
) -> None:
    made = duplicate_of_wang_fang(scene)
    duplicate = made["duplicate"]
    merge(scene, duplicate)
    attempts: list[tuple[str, str, Any]] = [
        (
            "POST",
            f"/v1/activities/{scene.started}/attendance",
            {"records": [{"member_id": duplicate, "hours": "1"}]},
        ),
        ("PATCH", f"/v1/members/{duplicate}", {"name": "王芳芳"}),
        ("POST", f"/v1/teams/{scene.team}/members", {"member_id": duplicate}),
        ("POST", f"/v1/activities/{scene.upcoming}/signups", {"member_id": duplicate}),
        ("POST", f"/v1/members/{duplicate}/deregister", {"reason": "重复"}),
        ("POST", merge_url(scene.member), {"duplicate_id": duplicate, "reason": "再"}),
    ]
    for method, url, body in attempts:
        answer = refused(scene, method, url, body, 409, "member_merged")
        assert answer["survivor_id"] == scene.member, url


def test_a_merge_needs_a_token_covering_both_members(scene: Scene) -> None:
    made = duplicate_of_wang_fang(scene)
    body = {"duplicate_id": made["duplicate"], "reason": REASON}
    url = merge_url(scene.member)
    # The first community's organiser does not cover the duplicate's community.
    for role in ("organizer_in", "organizer_out", "member_self", "member_other"):
        refused(scene, "POST", url, body, 403, "forbidden", role)
    refused(scene, "POST", url, body, 401, "unauthorized", "anonymous")
    same_community = {"duplicate_id": scene.other_member, "reason": REASON}
    answer = scene.write("POST", url, same_community, "organizer_in")
    assert answer["duplicate_id"] == scene.other_member


def test_a_member_is_not_merged_into_itself_nor_an_unknown_one(scene: Scene) -> None:
    url = merge_url(scene.member)
    answer = refused(
        scene,
        "POST",
        url,
        {"duplicate_id": scene.member, "reason": REASON},
        422,
        "validation_error",
    )
    assert error_fields(answer) == {"duplicate_id"}
    nowhere = str(uuid4())
    answer = refused(
        scene,
        "POST",
        url,
        {"duplicate_id": nowhere, "reason": REASON},
        422,
        "unknown_reference",
    )
    assert error_fields(answer) == {"duplicate_id"}
    body = {"duplicate_id": scene.other_member, "reason": REASON}
    refused(scene, "POST", merge_url(nowhere), body, 404, "not_found")
    for wrong in ({"duplicate_id": scene.other_member}, {"reason": REASON}, {}):
        refused(scene, "POST", url, wrong, 422, "validation_error")
    blank = {"duplicate_id": scene.other_member, "reason": "  "}
    refused(scene, "POST", url, blank, 422, "validation_error")


def test_a_merge_retried_with_its_idempotency_key_has_one_effect(
    scene: Scene,
) -> None:
    made = duplicate_of_wang_fang(scene)
    body = {"duplicate_id": made["duplicate"], "reason": REASON}
    headers = ADMIN | {"Idempotency-Key": "merge-once"}
    first = scene.client.post(merge_url(scene.member), json=body, headers=headers)
    assert first.status_code == 200, first.text
    position = scene.client.app.state.system.app.position()
    again = scene.client.post(merge_url(scene.member), json=body, headers=headers)
    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert scene.client.app.state.system.app.position() == position


def test_both_histories_tell_of_the_merge(scene: Scene) -> None:
    made = duplicate_of_wang_fang(scene)
    merge(scene, made["duplicate"])
    survivor = read(scene, f"/v1/members/{scene.member}/history")["items"]
    absorbed = [i for i in survivor if i["type"] == "Absorbed"]
    assert [(i["reason"], i["details"]["duplicate_id"]) for i in absorbed] == [
        (REASON, made["duplicate"])
    ]
    assert any(i["type"] == "MemberMerged" for i in survivor)
    duplicate = read(scene, f"/v1/members/{made['duplicate']}/history")["items"]
    merged = [i for i in duplicate if i["type"] == "Merged"]
    assert [(i["reason"], i["details"]["survivor_id"]) for i in merged] == [
        (REASON, scene.member)
    ]

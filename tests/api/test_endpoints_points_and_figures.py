"""The v1 endpoints of points, statements, figures and lists, and of tokens
and health, called over HTTP."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient

from tests.api.support import (
    ADMIN,
    MEMORY_AND_SQLITE,
    NOWHERE,
    YEAR,
    Scene,
    activity_body,
    bearer,
    error_fields,
    problem,
)

pytestmark = MEMORY_AND_SQLITE


# Tokens.


def test_creating_a_token_shows_its_secret_once_and_the_secret_authenticates(
    scene: Scene,
) -> None:
    body = {"role": "member", "member_id": scene.other_member, "label": "李娜的手机"}
    answer = scene.write("POST", "/v1/tokens", body)
    assert answer["token"].startswith("vp_")
    assert answer | {"id": None, "token": None, "position": None} == {
        "id": None,
        "token": None,
        "position": None,
        "role": "member",
        "district_ids": [],
        "street_ids": [],
        "community_ids": [],
        "team_ids": [],
        "member_id": scene.other_member,
        "label": "李娜的手机",
    }
    mine = scene.client.get(
        "/v1/me/points", params=YEAR, headers=bearer(answer["token"])
    )
    assert mine.json()["member_id"] == scene.other_member


def test_an_organizer_token_without_a_scope_is_a_validation_error(
    client: TestClient,
) -> None:
    response = client.post("/v1/tokens", json={"role": "organizer"}, headers=ADMIN)
    assert error_fields(problem(response, 422, "validation_error")) == {"community_ids"}


def test_a_revoked_token_is_refused_with_401(scene: Scene) -> None:
    issued = scene.write(
        "POST", "/v1/tokens", {"role": "member", "member_id": scene.member}
    )
    answer = scene.write("DELETE", f"/v1/tokens/{issued['id']}")
    assert answer["revoked"] is True
    response = scene.client.get("/v1/me/points", headers=bearer(issued["token"]))
    problem(response, 401, "unauthorized")


# Points, statements and figures.


def record_more_points(scene: Scene) -> None:
    """A second activity today, at 7.5 points an hour: 1.25 h earn 9.4 points."""
    body = activity_body(scene.team, "2026-03-01", title="敬老院探访")
    activity = scene.write("POST", "/v1/activities", body | {"points_per_hour": "7.5"})
    scene.write(
        "POST",
        f"/v1/activities/{activity['id']}/attendance",
        {"records": [{"member_id": scene.member, "hours": "1.25"}]},
    )


def test_member_points_carry_decimals_as_strings(scene: Scene) -> None:
    record_more_points(scene)
    points = scene.read(f"/v1/members/{scene.member}/points", **YEAR).json()
    assert points == {
        "member_id": scene.member,
        "year": 2026,
        "as_of": "2026-03-01",
        "points": "29.4",
        "hours": "3.25",
        "activities": 2,
        "lifetime_points": "29.4",
        "lifetime_hours": "3.25",
        "star": 0,
    }


def test_points_of_a_year_without_attendance_are_zero(scene: Scene) -> None:
    points = scene.read(f"/v1/members/{scene.member}/points", year=2025).json()
    assert (points["points"], points["hours"], points["activities"]) == ("0.0", "0", 0)
    # Lifetime totals are as of the end of the year asked about.
    assert (points["lifetime_points"], points["lifetime_hours"]) == ("0.0", "0")


def test_points_of_an_unknown_member_are_not_found(scene: Scene) -> None:
    problem(scene.read(f"/v1/members/{NOWHERE}/points"), 404, "not_found")


def test_a_statement_lists_every_attendance_of_the_year(scene: Scene) -> None:
    statement = scene.read(f"/v1/members/{scene.member}/statement", **YEAR).json()
    [entry] = statement["items"][0].pop("history")
    assert datetime.fromisoformat(entry["recorded_at"]).tzinfo is not None
    assert {k: entry[k] for k in HISTORY_FIELDS} == {
        "type": "AttendanceRecorded",
        "hours": "2",
        "points": "20.0",
        "recorded_by": "admin:bootstrap",
        "reason": None,
    }
    assert statement == {
        "member_id": scene.member,
        "year": 2026,
        "as_of": "2026-03-01",
        "items": [
            {
                "activity_id": scene.started,
                "title": "政策宣讲",
                "date": "2026-03-01",
                "hours": "2",
                "points": "20.0",
                "full_points": "20.0",
                "rule_version": None,
                "status": "recorded",
                "recorded_by": "admin:bootstrap",
                "reason": None,
            }
        ],
        "points": "20.0",
        "hours": "2",
        "next_cursor": None,
    }


def test_my_points_are_the_member_tokens_own_points(scene: Scene) -> None:
    mine = scene.read("/v1/me/points", role="member_self", **YEAR).json()
    assert mine == scene.read(f"/v1/members/{scene.member}/points", **YEAR).json()
    assert mine["points"] == "20.0"


def test_my_points_need_a_member_token(scene: Scene) -> None:
    problem(scene.read("/v1/me/points"), 403, "forbidden")


def test_my_statement_is_the_member_tokens_own_statement(scene: Scene) -> None:
    mine = scene.read("/v1/me/statement", role="member_self", **YEAR).json()
    assert mine == scene.read(f"/v1/members/{scene.member}/statement", **YEAR).json()


HISTORY_FIELDS = ("type", "hours", "points", "recorded_by", "reason")

STATS_FIELDS = {
    "scope",
    "scope_id",
    "year",
    "as_of",
    "teams",
    "volunteers",
    "activities",
    "participations",
    "hours",
    "points",
    "members",
    "avg_annual_points",
    "units_reported",
    "members_reported",
    "members_reported_participations",
    "members_reported_avg_annual_points",
}
TREE_COUNTS = {"communities", "grids", "grid_party_organisations"}


def test_community_figures_have_every_published_field(scene: Scene) -> None:
    stats = scene.read(f"/v1/communities/{scene.community}/stats", **YEAR).json()
    assert stats == {
        "scope": "community",
        "scope_id": scene.community,
        "year": 2026,
        "as_of": "2026-03-01",
        "teams": 1,
        "volunteers": 1,
        "activities": 1,
        "participations": 1,
        "hours": "2",
        "points": "20.0",
        "members": 2,
        "avg_annual_points": "10.0",
        "units_reported": 0,
        "members_reported": 0,
        "members_reported_participations": 0,
        "members_reported_avg_annual_points": "0.0",
    }
    elsewhere = scene.read(f"/v1/communities/{scene.other_community}/stats", **YEAR)
    assert elsewhere.json()["avg_annual_points"] == "0.0"


def test_district_figures_have_the_same_fields_as_a_community(scene: Scene) -> None:
    stats = scene.read("/v1/stats", role="member_other", **YEAR).json()
    assert set(stats) == STATS_FIELDS | TREE_COUNTS
    assert (stats["members"], stats["points"], stats["avg_annual_points"]) == (
        2,
        "20.0",
        "10.0",
    )


def test_community_members_lists_those_registered_there(scene: Scene) -> None:
    page = scene.read(f"/v1/communities/{scene.community}/members").json()
    assert page["next_cursor"] is None
    names = {item["name"]: item for item in page["items"]}
    assert set(names) == {"王芳", "李娜"}
    assert names["李娜"]["phone"] == "13900139000"
    empty = scene.read(f"/v1/communities/{scene.other_community}/members").json()
    assert empty == {"items": [], "next_cursor": None}


def test_the_leaderboard_ranks_members_by_annual_points(scene: Scene) -> None:
    scene.write(
        "POST",
        f"/v1/activities/{scene.started}/attendance",
        {"records": [{"member_id": scene.other_member, "hours": "2.5"}]},
    )
    url = f"/v1/communities/{scene.community}/leaderboard"
    board = scene.read(url, **YEAR).json()
    assert board["items"] == [
        {
            "member_id": scene.other_member,
            "name": "李娜",
            "points": "25.0",
            "hours": "2.5",
        },
        {"member_id": scene.member, "name": "王芳", "points": "20.0", "hours": "2"},
    ]
    top = scene.read(url, limit=1, **YEAR).json()["items"]
    assert [item["name"] for item in top] == ["李娜"]


def test_community_double_reports_list_units_and_members(scene: Scene) -> None:
    report = {"community_id": scene.community, "reported_on": "2026-02-01"}
    scene.write("POST", f"/v1/units/{scene.unit}/double-report", report)
    scene.write("POST", f"/v1/members/{scene.member}/double-report", report)
    reports = scene.read(f"/v1/communities/{scene.community}/double-reports").json()
    assert [u["unit_id"] for u in reports["units"]] == [scene.unit]
    assert [m["member_id"] for m in reports["members"]] == [scene.member]


def test_unit_double_reports_list_communities_and_members(scene: Scene) -> None:
    report = {"community_id": scene.other_community, "reported_on": "2026-02-01"}
    scene.write("POST", f"/v1/units/{scene.unit}/double-report", report)
    scene.write("POST", f"/v1/members/{scene.member}/double-report", report)
    reports = scene.read(f"/v1/units/{scene.unit}/double-reports").json()
    assert [c["community_id"] for c in reports["communities"]] == [
        scene.other_community
    ]
    assert [m["member_id"] for m in reports["members"]] == [scene.member]


def test_healthz_answers_ok_without_a_token(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"

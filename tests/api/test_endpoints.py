"""Every endpoint of the HTTP API v1 (shared/API.md), called over HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from tests.api import (
    test_activity_participants,
    test_audit,
    test_certificates,
    test_claims,
    test_console_reads,
    test_history_and_reports,
    test_imports,
    test_ledger,
    test_lifecycle,
    test_merging,
    test_redemption,
    test_tree,
)
from tests.api.support import (
    ADMIN_TOKEN,
    YEAR,
    Scene,
    activity_body,
    bearer,
    documented_operations,
    error_fields,
    problem,
    written,
)

# PostgreSQL runs the HTTP conventions (positions, idempotency, pagination) and
# the journeys; every endpoint on it as well would add a minute to the suite.
pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/communities": (
        "test_creating_a_community_answers_201_with_its_id_name_and_position",
        "test_a_community_without_a_name_is_a_validation_error_naming_the_field",
    ),
    "POST /v1/units": ("test_creating_a_unit_answers_201_with_its_id_and_name",),
    "POST /v1/members": (
        "test_registering_a_member_answers_201_with_the_member",
        "test_registering_a_member_in_an_unknown_community_is_an_unknown_reference",
        "test_a_member_needs_a_true_or_false_party_member",
    ),
    "POST /v1/members/{member_id}/double-report": (
        "test_double_reporting_a_member_answers_201_and_shows_on_its_record",
        "test_double_reporting_an_unknown_member_is_not_found",
    ),
    "POST /v1/units/{unit_id}/double-report": (
        "test_double_reporting_a_unit_answers_201_and_counts_among_units_reported",
        "test_double_reporting_a_unit_to_an_unknown_community_is_an_unknown_reference",
    ),
    "POST /v1/teams": (
        "test_founding_a_team_answers_201_with_its_id_name_and_community",
    ),
    "POST /v1/teams/{team_id}/members": (
        "test_adding_a_member_to_a_team_answers_201_then_200_when_already_in",
        "test_adding_an_unknown_member_to_a_team_is_an_unknown_reference",
    ),
    "DELETE /v1/teams/{team_id}/members/{member_id}": (
        "test_removing_a_member_from_a_team_answers_200_and_it_counts_one_fewer",
        "test_removing_someone_who_is_not_in_the_team_is_not_found",
    ),
    "POST /v1/teams/{team_id}/dissolve": (
        "test_dissolving_a_team_answers_200_and_it_no_longer_counts",
    ),
    "POST /v1/activities": (
        "test_scheduling_an_activity_answers_201_with_its_window_and_status",
        "test_scheduling_an_activity_of_an_unknown_team_is_an_unknown_reference",
        "test_an_activity_that_does_not_end_after_it_starts_is_a_validation_error",
        "test_an_activity_with_two_points_rules_is_a_validation_error",
        "test_an_activity_time_without_an_offset_is_a_validation_error",
        "test_a_number_is_not_an_activity_time",
        "test_an_activity_time_shanghai_cannot_tell_is_a_validation_error",
    ),
    "POST /v1/activities/{activity_id}/signups": (
        "test_signing_up_answers_201_then_200_when_already_signed_up",
        "test_signing_up_at_capacity_is_activity_full",
        "test_signing_up_after_the_start_is_activity_started",
    ),
    "DELETE /v1/activities/{activity_id}/signups/{member_id}": (
        "test_withdrawing_a_signup_answers_200_and_frees_the_place",
    ),
    "POST /v1/activities/{activity_id}/attendance": (
        "test_recording_attendance_counts_recorded_unchanged_and_corrected",
        "test_attendance_before_the_start_is_activity_not_started",
        "test_attendance_with_bad_hours_is_invalid_hours",
        "test_attendance_of_an_unknown_member_is_an_unknown_reference",
        "test_attendance_of_an_unknown_activity_is_not_found",
        "test_up_to_500_attendance_records_are_accepted_at_once",
        "test_no_records_or_more_than_500_are_a_validation_error_naming_records",
    ),
    "POST /v1/activities/{activity_id}/attendance/{member_id}/revoke": (
        "test_revoking_an_attendance_keeps_it_in_the_statement_at_zero_points",
        "test_revoking_an_attendance_that_was_never_recorded_is_not_found",
    ),
    "POST /v1/activities/{activity_id}/cancel": (
        "test_cancelling_an_activity_answers_200_and_again_is_already_cancelled",
        "test_cancelling_an_activity_revokes_its_points_with_the_reason",
        "test_attendance_of_a_cancelled_activity_is_activity_cancelled",
    ),
    "POST /v1/activities/{activity_id}/close": (
        "test_closing_an_activity_answers_200_and_then_attendance_is_activity_closed",
        "test_closing_an_activity_before_it_starts_is_activity_not_started",
    ),
    "POST /v1/tokens": (
        "test_creating_a_token_shows_its_secret_once_and_the_secret_authenticates",
        "test_an_organizer_token_without_a_scope_is_a_validation_error",
    ),
    "DELETE /v1/tokens/{token_id}": ("test_a_revoked_token_is_refused_with_401",),
    "GET /v1/members/{member_id}/points": (
        "test_member_points_carry_decimals_as_strings",
        "test_points_of_a_year_without_attendance_are_zero",
        "test_points_of_an_unknown_member_are_not_found",
    ),
    "GET /v1/members/{member_id}/statement": (
        "test_a_statement_lists_every_attendance_of_the_year",
    ),
    "GET /v1/me/points": (
        "test_my_points_are_the_member_tokens_own_points",
        "test_my_points_need_a_member_token",
    ),
    "GET /v1/me/statement": ("test_my_statement_is_the_member_tokens_own_statement",),
    "GET /v1/teams/{team_id}": (
        "test_team_figures_count_members_activities_participations_hours_points",
        "test_an_unknown_team_is_not_found",
    ),
    "GET /v1/communities/{community_id}/stats": (
        "test_community_figures_have_every_published_field",
    ),
    "GET /v1/stats": ("test_district_figures_have_the_same_fields_as_a_community",),
    "GET /v1/members/{member_id}": (
        "test_a_member_record_has_its_fields_and_teams",
        "test_a_member_record_shows_phone_to_admins_but_not_to_the_member",
    ),
    "GET /v1/activities/{activity_id}": (
        "test_an_activity_shows_its_status_and_counts",
        "test_an_unknown_activity_is_not_found",
    ),
    "GET /v1/activities": (
        "test_activities_can_be_filtered_by_team_community_and_window",
        "test_an_activity_window_must_be_iso_8601_times",
    ),
    "GET /v1/teams": ("test_teams_can_be_filtered_by_community",),
    "GET /v1/communities/{community_id}/members": (
        "test_community_members_lists_those_registered_there",
    ),
    "GET /v1/communities/{community_id}/leaderboard": (
        "test_the_leaderboard_ranks_members_by_annual_points",
    ),
    "GET /v1/communities/{community_id}/double-reports": (
        "test_community_double_reports_list_units_and_members",
    ),
    "GET /v1/units/{unit_id}/double-reports": (
        "test_unit_double_reports_list_communities_and_members",
    ),
    "GET /healthz": ("test_healthz_answers_ok_without_a_token",),
}

# The endpoints of the additions (version 1.1), each module listing its own.
ADDITIONS = (
    test_tree,
    test_lifecycle,
    test_history_and_reports,
    test_imports,
    test_ledger,
    test_claims,
    test_certificates,
    test_merging,
    test_redemption,
    test_audit,
    test_console_reads,
    test_activity_participants,
)

ADMIN = bearer(ADMIN_TOKEN)
NOWHERE = str(uuid4())


def test_every_endpoint_in_the_openapi_document_has_a_test(client: TestClient) -> None:
    listed = [ENDPOINT_TESTS.keys(), *(m.ENDPOINT_TESTS.keys() for m in ADDITIONS)]
    assert documented_operations(client) == set().union(*listed)
    assert sum(map(len, listed)) == len(set().union(*listed))
    missing = {
        name for names in ENDPOINT_TESTS.values() for name in names
    } - globals().keys()
    assert not missing


def test_every_operation_has_a_stable_snake_case_operation_id(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
    ids = [
        operation["operationId"]
        for operations in document["paths"].values()
        for operation in operations.values()
    ]
    assert len(ids) == len(set(ids))
    assert all(i.isidentifier() and i == i.lower() for i in ids)
    assert {"get_my_points", "record_attendance"} <= set(ids)


# Communities and units.


def test_creating_a_community_answers_201_with_its_id_name_and_position(
    client: TestClient,
) -> None:
    body = written(
        client.post(
            "/v1/communities",
            json={"name": " 幸福里社区 ", "street": "东风街道"},
            headers=ADMIN,
        )
    )
    assert UUID(body["id"])
    assert body["name"] == "幸福里社区"
    assert body["street"] == "东风街道"


def test_a_community_without_a_name_is_a_validation_error_naming_the_field(
    client: TestClient,
) -> None:
    response = client.post(
        "/v1/communities", json={"street": "东风街道"}, headers=ADMIN
    )
    assert error_fields(problem(response, 422, "validation_error")) == {"name"}


def test_creating_a_unit_answers_201_with_its_id_and_name(client: TestClient) -> None:
    body = written(
        client.post("/v1/units", json={"name": "区教育局机关党委"}, headers=ADMIN)
    )
    assert set(body) == {"id", "name", "position"}
    assert body["name"] == "区教育局机关党委"


def test_double_reporting_a_unit_answers_201_and_counts_among_units_reported(
    scene: Scene,
) -> None:
    body = {"community_id": scene.community, "reported_on": "2026-03-01"}
    answer = scene.write("POST", f"/v1/units/{scene.unit}/double-report", body)
    assert answer["id"] == scene.unit
    assert answer["community_id"] == scene.community
    assert answer["reported_on"] == "2026-03-01"
    stats = scene.read(f"/v1/communities/{scene.community}/stats", **YEAR).json()
    assert stats["units_reported"] == 1


def test_double_reporting_a_unit_to_an_unknown_community_is_an_unknown_reference(
    scene: Scene,
) -> None:
    response = scene.client.post(
        f"/v1/units/{scene.unit}/double-report",
        json={"community_id": NOWHERE, "reported_on": "2026-03-01"},
        headers=ADMIN,
    )
    body = problem(response, 422, "unknown_reference")
    assert error_fields(body) == {"community_id"}


# Members.


def test_registering_a_member_answers_201_with_the_member(scene: Scene) -> None:
    body = written(
        scene.client.post(
            "/v1/members",
            json={
                "name": "张伟",
                "community_id": scene.community,
                "party_member": True,
                "unit_id": scene.unit,
                "grid": "第一网格",
                "phone": "13700137000",
            },
            headers=ADMIN,
        )
    )
    assert UUID(body["id"])
    assert body | {"id": None, "position": None} == {
        "id": None,
        "position": None,
        "name": "张伟",
        "community_id": scene.community,
        "party_member": True,
        "unit_id": scene.unit,
        "grid_id": None,
        "grid": "第一网格",
        "phone": "13700137000",
        "registered_on": "2026-03-01",
    }


def test_registering_a_member_in_an_unknown_community_is_an_unknown_reference(
    client: TestClient,
) -> None:
    response = client.post(
        "/v1/members",
        json={"name": "张伟", "community_id": NOWHERE, "party_member": True},
        headers=ADMIN,
    )
    assert error_fields(problem(response, 422, "unknown_reference")) == {"community_id"}


def test_a_member_needs_a_true_or_false_party_member(scene: Scene) -> None:
    response = scene.client.post(
        "/v1/members",
        json={"name": "张伟", "community_id": scene.community, "party_member": "是"},
        headers=ADMIN,
    )
    assert error_fields(problem(response, 422, "validation_error")) == {"party_member"}


def test_double_reporting_a_member_answers_201_and_shows_on_its_record(
    scene: Scene,
) -> None:
    report = {"community_id": scene.other_community, "reported_on": "2026-02-20"}
    answer = scene.write("POST", f"/v1/members/{scene.member}/double-report", report)
    assert answer["id"] == scene.member
    assert answer["community_id"] == scene.other_community
    record = scene.read(f"/v1/members/{scene.member}").json()
    assert record["double_report"] == report
    stats = scene.read(f"/v1/communities/{scene.other_community}/stats", **YEAR)
    assert stats.json()["members_reported"] == 1


def test_double_reporting_an_unknown_member_is_not_found(scene: Scene) -> None:
    response = scene.client.post(
        f"/v1/members/{NOWHERE}/double-report",
        json={"community_id": scene.community, "reported_on": "2026-02-20"},
        headers=ADMIN,
    )
    problem(response, 404, "not_found")


def test_a_member_record_has_its_fields_and_teams(scene: Scene) -> None:
    record = scene.read(f"/v1/members/{scene.member}").json()
    assert record == {
        "id": scene.member,
        "name": "王芳",
        "community_id": scene.community,
        "party_member": True,
        "unit_id": scene.unit,
        "grid_id": None,
        "grid": "第三网格",
        "registered_on": "2026-03-01",
        "left_on": None,
        "status": "registered",
        "merged_into": None,
        "double_report": None,
        "teams": [scene.team],
        "phone": "13800138000",
    }


def test_a_member_record_shows_phone_to_admins_but_not_to_the_member(
    scene: Scene,
) -> None:
    url = f"/v1/members/{scene.member}"
    assert scene.read(url).json()["phone"] == "13800138000"
    assert scene.read(url, role="organizer_in").json()["phone"] == "13800138000"
    assert scene.read(url, role="member_self").json()["phone"] is None


# Teams.


def test_founding_a_team_answers_201_with_its_id_name_and_community(
    scene: Scene,
) -> None:
    answer = written(
        scene.client.post(
            "/v1/teams",
            json={"name": "银发志愿服务队", "community_id": scene.community},
            headers=ADMIN,
        )
    )
    assert UUID(answer["id"])
    assert answer["name"] == "银发志愿服务队"
    assert answer["community_id"] == scene.community


def test_adding_a_member_to_a_team_answers_201_then_200_when_already_in(
    scene: Scene,
) -> None:
    url = f"/v1/teams/{scene.team}/members"
    body = {"member_id": scene.other_member}
    first = written(scene.client.post(url, json=body, headers=ADMIN), 201)
    assert first == {
        "team_id": scene.team,
        "member_id": scene.other_member,
        "member": True,
        "position": first["position"],
    }
    again = written(scene.client.post(url, json=body, headers=ADMIN), 200)
    assert again["position"] == first["position"]
    scene.position = first["position"]
    assert scene.read(f"/v1/teams/{scene.team}", **YEAR).json()["members"] == 2


def test_adding_an_unknown_member_to_a_team_is_an_unknown_reference(
    scene: Scene,
) -> None:
    response = scene.client.post(
        f"/v1/teams/{scene.team}/members", json={"member_id": NOWHERE}, headers=ADMIN
    )
    assert error_fields(problem(response, 422, "unknown_reference")) == {"member_id"}


def test_removing_a_member_from_a_team_answers_200_and_it_counts_one_fewer(
    scene: Scene,
) -> None:
    answer = scene.write("DELETE", f"/v1/teams/{scene.team}/members/{scene.member}")
    assert answer["member"] is False
    assert scene.read(f"/v1/teams/{scene.team}", **YEAR).json()["members"] == 0
    assert scene.read(f"/v1/members/{scene.member}").json()["teams"] == []


def test_removing_someone_who_is_not_in_the_team_is_not_found(scene: Scene) -> None:
    response = scene.client.delete(
        f"/v1/teams/{scene.team}/members/{scene.other_member}", headers=ADMIN
    )
    problem(response, 404, "not_found")


def test_dissolving_a_team_answers_200_and_it_no_longer_counts(scene: Scene) -> None:
    scene.write("POST", f"/v1/teams/{scene.team}/dissolve", {"reason": "队伍合并"})
    assert scene.read(f"/v1/teams/{scene.team}", **YEAR).json()["dissolved"] is True
    stats = scene.read(f"/v1/communities/{scene.community}/stats", **YEAR).json()
    assert stats["teams"] == 0


def test_team_figures_count_members_activities_participations_hours_points(
    scene: Scene,
) -> None:
    figures = scene.read(f"/v1/teams/{scene.team}", **YEAR).json()
    assert figures == {
        "id": scene.team,
        "name": "红马甲志愿服务队",
        "community_id": scene.community,
        "dissolved": False,
        "founded_on": "2026-03-01",
        "dissolved_on": None,
        "year": 2026,
        "as_of": "2026-03-01",
        "members": 1,
        "activities": 1,
        "participations": 1,
        "hours": "2",
        "points": "20.0",
    }


def test_an_unknown_team_is_not_found(scene: Scene) -> None:
    problem(scene.read(f"/v1/teams/{NOWHERE}"), 404, "not_found")


def test_teams_can_be_filtered_by_community(scene: Scene) -> None:
    scene.write(
        "POST",
        "/v1/teams",
        {"name": "光明服务队", "community_id": scene.other_community},
    )
    everyone = scene.read("/v1/teams").json()
    assert len(everyone["items"]) == 2
    assert everyone["next_cursor"] is None
    ours = scene.read("/v1/teams", community_id=scene.community).json()
    assert ours["items"] == [
        {
            "id": scene.team,
            "name": "红马甲志愿服务队",
            "community_id": scene.community,
            "dissolved": False,
        }
    ]


# Activities.


def test_scheduling_an_activity_answers_201_with_its_window_and_status(
    scene: Scene,
) -> None:
    body = activity_body(scene.team, "2026-03-07", capacity=20, fixed_points="5")
    answer = written(scene.client.post("/v1/activities", json=body, headers=ADMIN))
    assert UUID(answer["id"])
    assert answer | {"id": None, "position": None} == {
        "id": None,
        "position": None,
        "title": "垃圾分类宣传",
        "team_id": scene.team,
        "community_id": scene.community,
        "category": "环境保护",
        "starts_at": "2026-03-07T01:00:00+00:00",
        "ends_at": "2026-03-07T03:30:00+00:00",
        "status": "scheduled",
    }


def test_scheduling_an_activity_of_an_unknown_team_is_an_unknown_reference(
    client: TestClient,
) -> None:
    response = client.post(
        "/v1/activities", json=activity_body(NOWHERE, "2026-03-07"), headers=ADMIN
    )
    assert error_fields(problem(response, 422, "unknown_reference")) == {"team_id"}


def test_an_activity_that_does_not_end_after_it_starts_is_a_validation_error(
    scene: Scene,
) -> None:
    body = activity_body(scene.team, "2026-03-07", ends_at="2026-03-07T09:00:00+08:00")
    response = scene.client.post("/v1/activities", json=body, headers=ADMIN)
    assert error_fields(problem(response, 422, "validation_error")) == {"ends_at"}


def test_an_activity_with_two_points_rules_is_a_validation_error(
    scene: Scene,
) -> None:
    body = activity_body(
        scene.team, "2026-03-07", points_per_hour="10", fixed_points="5"
    )
    response = scene.client.post("/v1/activities", json=body, headers=ADMIN)
    assert error_fields(problem(response, 422, "validation_error")) == {"fixed_points"}


def test_an_activity_time_without_an_offset_is_a_validation_error(
    scene: Scene,
) -> None:
    body = activity_body(scene.team, "2026-03-07", starts_at="2026-03-07T09:00:00")
    response = scene.client.post("/v1/activities", json=body, headers=ADMIN)
    assert error_fields(problem(response, 422, "validation_error")) == {"starts_at"}


def test_a_number_is_not_an_activity_time(scene: Scene) -> None:
    body = activity_body(scene.team, "2026-03-07", starts_at=1772845200)
    response = scene.client.post("/v1/activities", json=body, headers=ADMIN)
    assert error_fields(problem(response, 422, "validation_error")) == {"starts_at"}


def test_an_activity_time_shanghai_cannot_tell_is_a_validation_error(
    scene: Scene,
) -> None:
    body = activity_body(
        scene.team,
        "2026-03-07",
        starts_at="9999-12-31T20:00:00+00:00",
        ends_at="9999-12-31T21:00:00+00:00",
    )
    response = scene.client.post("/v1/activities", json=body, headers=ADMIN)
    problem(response, 422, "validation_error")
    assert scene.read("/v1/stats").status_code == 200


def test_an_activity_shows_its_status_and_counts(scene: Scene) -> None:
    record = scene.read(f"/v1/activities/{scene.signed_up}").json()
    assert record == {
        "id": scene.signed_up,
        "title": "义诊进社区",
        "team_id": scene.team,
        "community_id": scene.community,
        "category": "环境保护",
        "starts_at": "2026-03-06T01:00:00+00:00",
        "ends_at": "2026-03-06T03:30:00+00:00",
        "date": "2026-03-06",
        "location": "社区党群服务中心",
        "status": "scheduled",
        "capacity": None,
        "signups": 1,
        "attendances": 0,
    }
    assert scene.read(f"/v1/activities/{scene.started}").json()["attendances"] == 1


def test_an_unknown_activity_is_not_found(scene: Scene) -> None:
    problem(scene.read(f"/v1/activities/{NOWHERE}"), 404, "not_found")


def test_activities_can_be_filtered_by_team_community_and_window(
    scene: Scene,
) -> None:
    def titles(**params: Any) -> list[str]:
        page = scene.read("/v1/activities", **params).json()
        assert page["next_cursor"] is None
        return [item["title"] for item in page["items"]]

    everything = ["政策宣讲", "垃圾分类宣传", "义诊进社区"]
    assert titles() == everything
    assert titles(team_id=scene.team) == everything
    assert titles(community_id=scene.community) == everything
    assert titles(community_id=scene.other_community) == []
    window = {"from": "2026-03-02T00:00:00+08:00", "to": "2026-03-06T00:00:00+08:00"}
    assert titles(**window) == ["垃圾分类宣传"]


@pytest.mark.parametrize(
    "moment", ["0.5", "1772845200", "2026-03-01", "0001-01-01T00:00:00+00:01"]
)
def test_an_activity_window_must_be_iso_8601_times(scene: Scene, moment: str) -> None:
    response = scene.read("/v1/activities", **{"from": moment})
    assert error_fields(problem(response, 422, "validation_error")) == {"from"}


# Sign-ups.


def test_signing_up_answers_201_then_200_when_already_signed_up(scene: Scene) -> None:
    url = f"/v1/activities/{scene.upcoming}/signups"
    me = scene.headers("member_self")
    body = {"member_id": scene.member}
    first = written(scene.client.post(url, json=body, headers=me), 201)
    assert first == {
        "activity_id": scene.upcoming,
        "member_id": scene.member,
        "signed_up": True,
        "position": first["position"],
    }
    written(scene.client.post(url, json=body, headers=me), 200)
    scene.position = first["position"]
    assert scene.read(f"/v1/activities/{scene.upcoming}").json()["signups"] == 1


def test_signing_up_at_capacity_is_activity_full(scene: Scene) -> None:
    body = activity_body(scene.team, "2026-03-08", capacity=1)
    activity = scene.write("POST", "/v1/activities", body)["id"]
    url = f"/v1/activities/{activity}/signups"
    scene.write("POST", url, {"member_id": scene.member})
    response = scene.client.post(
        url, json={"member_id": scene.other_member}, headers=ADMIN
    )
    problem(response, 409, "activity_full")


def test_signing_up_after_the_start_is_activity_started(scene: Scene) -> None:
    response = scene.client.post(
        f"/v1/activities/{scene.started}/signups",
        json={"member_id": scene.other_member},
        headers=ADMIN,
    )
    problem(response, 409, "activity_started")


def test_withdrawing_a_signup_answers_200_and_frees_the_place(scene: Scene) -> None:
    url = f"/v1/activities/{scene.signed_up}/signups/{scene.member}"
    answer = scene.write("DELETE", url, role="member_self")
    assert answer["signed_up"] is False
    assert scene.read(f"/v1/activities/{scene.signed_up}").json()["signups"] == 0


# Attendance.


def test_recording_attendance_counts_recorded_unchanged_and_corrected(
    scene: Scene,
) -> None:
    url = f"/v1/activities/{scene.started}/attendance"
    records = [
        {"member_id": scene.member, "hours": "2"},
        {"member_id": scene.other_member, "hours": "2.5"},
    ]
    answer = written(
        scene.client.post(url, json={"records": records}, headers=ADMIN), 200
    )
    assert answer == {
        "activity_id": scene.started,
        "recorded": 1,
        "unchanged": 1,
        "corrected": 0,
        "position": answer["position"],
    }
    correction = {
        "records": [{"member_id": scene.member, "hours": "1.5"}],
        "reason": "提前离场",
    }
    answer = scene.write("POST", url, correction)
    assert (answer["recorded"], answer["unchanged"], answer["corrected"]) == (0, 0, 1)
    item = scene.read(f"/v1/members/{scene.member}/statement", **YEAR).json()["items"]
    assert [(i["hours"], i["points"], i["status"], i["reason"]) for i in item] == [
        ("1.5", "15.0", "corrected", "提前离场")
    ]


def test_attendance_before_the_start_is_activity_not_started(scene: Scene) -> None:
    response = scene.client.post(
        f"/v1/activities/{scene.upcoming}/attendance",
        json={"records": [{"member_id": scene.member, "hours": "1"}]},
        headers=ADMIN,
    )
    problem(response, 409, "activity_not_started")


@pytest.mark.parametrize("hours", ["0", "-1", "0.3", "2.75", "2.5000000001"])
def test_attendance_with_bad_hours_is_invalid_hours(scene: Scene, hours: str) -> None:
    before = scene.position
    response = scene.client.post(
        f"/v1/activities/{scene.started}/attendance",
        json={"records": [{"member_id": scene.other_member, "hours": hours}]},
        headers=ADMIN,
    )
    assert error_fields(problem(response, 422, "invalid_hours")) == {"hours"}
    assert scene.client.get("/healthz").json()["position"] == before


def test_attendance_of_an_unknown_member_is_an_unknown_reference(
    scene: Scene,
) -> None:
    response = scene.client.post(
        f"/v1/activities/{scene.started}/attendance",
        json={"records": [{"member_id": NOWHERE, "hours": "1"}]},
        headers=ADMIN,
    )
    assert error_fields(problem(response, 422, "unknown_reference")) == {"member_id"}


def test_attendance_of_an_unknown_activity_is_not_found(scene: Scene) -> None:
    response = scene.client.post(
        f"/v1/activities/{NOWHERE}/attendance",
        json={"records": [{"member_id": scene.member, "hours": "1"}]},
        headers=ADMIN,
    )
    problem(response, 404, "not_found")


def test_up_to_500_attendance_records_are_accepted_at_once(scene: Scene) -> None:
    records = [{"member_id": scene.other_member, "hours": "1"}] * 500
    answer = scene.write(
        "POST", f"/v1/activities/{scene.started}/attendance", {"records": records}
    )
    assert (answer["recorded"], answer["unchanged"]) == (1, 499)


@pytest.mark.parametrize("count", [0, 501])
def test_no_records_or_more_than_500_are_a_validation_error_naming_records(
    scene: Scene, count: int
) -> None:
    records = [{"member_id": scene.other_member, "hours": "1"}] * count
    response = scene.client.post(
        f"/v1/activities/{scene.started}/attendance",
        json={"records": records},
        headers=ADMIN,
    )
    assert error_fields(problem(response, 422, "validation_error")) == {"records"}


def test_revoking_an_attendance_keeps_it_in_the_statement_at_zero_points(
    scene: Scene,
) -> None:
    url = f"/v1/activities/{scene.started}/attendance/{scene.member}/revoke"
    answer = scene.write("POST", url, {"reason": "登记错误"})
    assert answer | {"position": None} == {
        "activity_id": scene.started,
        "member_id": scene.member,
        "status": "revoked",
        "reason": "登记错误",
        "position": None,
    }
    statement = scene.read(f"/v1/members/{scene.member}/statement", **YEAR).json()
    assert [(i["points"], i["status"], i["reason"]) for i in statement["items"]] == [
        ("0.0", "revoked", "登记错误")
    ]
    assert statement["points"] == "0.0"


def test_revoking_an_attendance_that_was_never_recorded_is_not_found(
    scene: Scene,
) -> None:
    url = f"/v1/activities/{scene.started}/attendance/{scene.other_member}/revoke"
    response = scene.client.post(url, json={"reason": "登记错误"}, headers=ADMIN)
    problem(response, 404, "not_found")


# Cancelling and closing.


def test_cancelling_an_activity_answers_200_and_again_is_already_cancelled(
    scene: Scene,
) -> None:
    url = f"/v1/activities/{scene.upcoming}/cancel"
    answer = written(
        scene.client.post(url, json={"reason": "暴雨"}, headers=ADMIN), 200
    )
    assert answer["status"] == "cancelled"
    again = scene.client.post(url, json={"reason": "暴雨"}, headers=ADMIN)
    problem(again, 409, "already_cancelled")
    scene.position = answer["position"]
    record = scene.read(f"/v1/activities/{scene.upcoming}").json()
    assert record["status"] == "cancelled"


def test_cancelling_an_activity_revokes_its_points_with_the_reason(
    scene: Scene,
) -> None:
    scene.write("POST", f"/v1/activities/{scene.started}/cancel", {"reason": "暴雨"})
    statement = scene.read(f"/v1/members/{scene.member}/statement", **YEAR).json()
    assert [(i["points"], i["status"], i["reason"]) for i in statement["items"]] == [
        ("0.0", "cancelled", "暴雨")
    ]


def test_attendance_of_a_cancelled_activity_is_activity_cancelled(
    scene: Scene,
) -> None:
    scene.write("POST", f"/v1/activities/{scene.started}/cancel", {"reason": "暴雨"})
    response = scene.client.post(
        f"/v1/activities/{scene.started}/attendance",
        json={"records": [{"member_id": scene.member, "hours": "1"}]},
        headers=ADMIN,
    )
    problem(response, 409, "activity_cancelled")


def test_closing_an_activity_answers_200_and_then_attendance_is_activity_closed(
    scene: Scene,
) -> None:
    answer = written(
        scene.client.post(f"/v1/activities/{scene.started}/close", headers=ADMIN), 200
    )
    assert answer == {
        "id": scene.started,
        "status": "closed",
        "position": answer["position"],
    }
    response = scene.client.post(
        f"/v1/activities/{scene.started}/attendance",
        json={"records": [{"member_id": scene.other_member, "hours": "1"}]},
        headers=ADMIN,
    )
    problem(response, 409, "activity_closed")


def test_closing_an_activity_before_it_starts_is_activity_not_started(
    scene: Scene,
) -> None:
    response = scene.client.post(
        f"/v1/activities/{scene.upcoming}/close", headers=ADMIN
    )
    problem(response, 409, "activity_not_started")


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
                "status": "recorded",
                "recorded_by": "admin:bootstrap",
                "reason": None,
            }
        ],
        "points": "20.0",
        "hours": "2",
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

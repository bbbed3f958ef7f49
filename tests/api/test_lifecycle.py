"""Business dates and lifecycles over HTTP: members registered on a date,
changed, moved and deregistered; double reports ended; teams founded, joined,
left and dissolved on dates (shared/API.md, additions 1.1). A refused request
records nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from pydantic import BaseModel

from api.auth import BOOTSTRAP_ADMIN
from api.schemas.requests import (
    CommunityCreate,
    MemberCreate,
    TeamCreate,
    TeamDissolve,
    TeamMemberAdd,
    TokenCreate,
)
from api.system import System
from api.writes import fingerprint
from tests.api.support import ADMIN_TOKEN, Scene, bearer, error_fields, problem
from tests.conftest import Clock

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "PATCH /v1/members/{member_id}": (
        "test_changing_a_members_details_answers_the_member_as_it_now_stands",
        "test_details_not_given_stay_as_they_are_and_null_clears_them",
        "test_a_name_or_party_membership_cannot_be_cleared",
        "test_a_change_naming_an_unknown_grid_or_unit_is_an_unknown_reference",
        "test_only_organizers_of_the_members_community_change_it",
    ),
    "POST /v1/members/{member_id}/move": (
        "test_moving_a_member_counts_it_in_the_new_community_from_moved_on",
        "test_organizers_of_either_community_may_move_a_member",
        "test_a_move_before_the_registration_or_in_the_future_is_refused",
    ),
    "POST /v1/members/{member_id}/deregister": (
        "test_a_deregistered_member_drops_out_from_its_left_on",
        "test_writes_naming_a_deregistered_member_are_member_deregistered",
        "test_deregistering_before_the_registration_is_date_out_of_order",
    ),
    "POST /v1/members/{member_id}/double-report/end": (
        "test_ending_a_members_double_report_answers_the_community_and_date",
        "test_ending_a_double_report_needs_one_in_effect_and_a_later_date",
    ),
    "POST /v1/units/{unit_id}/double-report/{community_id}/end": (
        "test_ending_a_units_double_report_counts_it_until_the_day_before",
        "test_ending_a_units_double_report_is_refused_when_it_cannot_be",
    ),
}

NOWHERE = str(uuid4())
ADMIN = bearer(ADMIN_TOKEN)
SUMMER = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)


def refused(
    scene: Scene,
    system: System,
    method: str,
    url: str,
    body: Any,
    status: int,
    code: str,
    role: str = "admin",
    **params: Any,
) -> dict[str, Any]:
    """The problem a request is refused with, after checking it recorded
    nothing."""
    before = system.app.position()
    response = scene.client.request(
        method, url, json=body, params=params, headers=scene.headers(role)
    )
    answer = problem(response, status, code)
    assert system.app.position() == before
    return answer


def a_grid(system: System, community: str, name: str = "第三网格") -> str:
    grid = system.app.register_grid(name, UUID(community), True, BOOTSTRAP_ADMIN)
    return str(grid.id)


def figures(scene: Scene, community: str, as_of: str) -> dict[str, Any]:
    response = scene.read(f"/v1/communities/{community}/stats", as_of=as_of)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def member_record(scene: Scene, member: str) -> dict[str, Any]:
    response = scene.read(f"/v1/members/{member}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def summer(clock: Clock) -> Clock:
    """The clock on 1 June 2026, so that dates since the scene's 1 March are past."""
    clock.now = SUMMER
    return clock


# Registration on a date, in a grid.


def test_a_member_registered_on_a_date_in_a_grid_shows_both(
    scene: Scene, system: System
) -> None:
    grid = a_grid(system, scene.community)
    body = {
        "name": "张伟",
        "community_id": scene.community,
        "party_member": True,
        "grid_id": grid,
        "registered_on": "2026-02-01",
    }
    answer = scene.write("POST", "/v1/members", body)
    assert (answer["grid_id"], answer["grid"]) == (grid, "第三网格")
    assert answer["registered_on"] == "2026-02-01"
    record = member_record(scene, answer["id"])
    assert record | {"id": None} == {
        "id": None,
        "name": "张伟",
        "community_id": scene.community,
        "party_member": True,
        "unit_id": None,
        "grid": "第三网格",
        "grid_id": grid,
        "registered_on": "2026-02-01",
        "left_on": None,
        "status": "registered",
        "merged_into": None,
        "double_report": None,
        "teams": [],
        "phone": None,
    }
    assert figures(scene, scene.community, "2026-02-01")["members"] == 1


def test_a_member_registered_without_a_date_is_registered_today(
    scene: Scene,
) -> None:
    body = {"name": "张伟", "community_id": scene.community, "party_member": False}
    assert scene.write("POST", "/v1/members", body)["registered_on"] == "2026-03-01"


@pytest.mark.parametrize(
    ("registered_on", "code"),
    [
        ("2026-03-02", "future_date"),
        ("2026/02/01", "validation_error"),
        (20260201, "validation_error"),
        ("1900-01-01", "validation_error"),
    ],
)
def test_a_registration_date_must_be_a_past_iso_date(
    scene: Scene, system: System, registered_on: object, code: str
) -> None:
    body = {
        "name": "张伟",
        "community_id": scene.community,
        "party_member": True,
        "registered_on": registered_on,
    }
    answer = refused(scene, system, "POST", "/v1/members", body, 422, code)
    assert error_fields(answer) == {"registered_on"}


@pytest.mark.parametrize("where", ["other_community", "nowhere"])
def test_a_grid_of_another_community_or_none_is_an_unknown_reference(
    scene: Scene, system: System, where: str
) -> None:
    grid = NOWHERE if where == "nowhere" else a_grid(system, scene.other_community)
    body = {
        "name": "张伟",
        "community_id": scene.community,
        "party_member": True,
        "grid_id": grid,
    }
    answer = refused(
        scene, system, "POST", "/v1/members", body, 422, "unknown_reference"
    )
    assert error_fields(answer) == {"grid_id"}


# Changing a member's details.


def test_changing_a_members_details_answers_the_member_as_it_now_stands(
    scene: Scene, system: System
) -> None:
    grid = a_grid(system, scene.community)
    url = f"/v1/members/{scene.member}"
    answer = scene.write("PATCH", url, {"name": "王芳芳", "grid_id": grid})
    assert answer | {"position": None} == {
        "position": None,
        "id": scene.member,
        "name": "王芳芳",
        "community_id": scene.community,
        "party_member": True,
        "unit_id": scene.unit,
        "grid": "第三网格",
        "grid_id": grid,
        "phone": "13800138000",
        "registered_on": "2026-03-01",
    }
    record = member_record(scene, scene.member)
    assert (record["name"], record["grid_id"], record["grid"]) == (
        "王芳芳",
        grid,
        "第三网格",
    )


def test_details_not_given_stay_as_they_are_and_null_clears_them(
    scene: Scene,
) -> None:
    url = f"/v1/members/{scene.member}"
    scene.write("PATCH", url, {"phone": None, "unit_id": None}, role="organizer_in")
    record = member_record(scene, scene.member)
    assert (record["phone"], record["unit_id"]) == (None, None)
    assert (record["name"], record["party_member"], record["grid"]) == (
        "王芳",
        True,
        "第三网格",
    )
    scene.write("PATCH", url, {"party_member": False})
    record = member_record(scene, scene.member)
    assert (record["party_member"], record["name"]) == (False, "王芳")


def test_a_change_that_changes_nothing_records_nothing(
    scene: Scene, system: System
) -> None:
    before = system.app.position()
    response = scene.client.patch(
        f"/v1/members/{scene.member}", json={"name": "王芳"}, headers=ADMIN
    )
    assert response.status_code == 200, response.text
    assert system.app.position() == before


@pytest.mark.parametrize(
    "body",
    [{"name": None}, {"party_member": None}, {"name": ""}, {"community_id": NOWHERE}],
)
def test_a_name_or_party_membership_cannot_be_cleared(
    scene: Scene, system: System, body: dict[str, Any]
) -> None:
    url = f"/v1/members/{scene.member}"
    answer = refused(scene, system, "PATCH", url, body, 422, "validation_error")
    assert error_fields(answer) == set(body)


@pytest.mark.parametrize("field", ["grid_id", "unit_id"])
def test_a_change_naming_an_unknown_grid_or_unit_is_an_unknown_reference(
    scene: Scene, system: System, field: str
) -> None:
    url = f"/v1/members/{scene.member}"
    body = {field: NOWHERE}
    answer = refused(scene, system, "PATCH", url, body, 422, "unknown_reference")
    assert error_fields(answer) == {field}


@pytest.mark.parametrize("role", ["organizer_out", "member_self", "member_other"])
def test_only_organizers_of_the_members_community_change_it(
    scene: Scene, system: System, role: str
) -> None:
    url = f"/v1/members/{scene.member}"
    refused(scene, system, "PATCH", url, {"name": "王"}, 403, "forbidden", role)


def test_changing_an_unknown_member_is_not_found(scene: Scene, system: System) -> None:
    url = f"/v1/members/{NOWHERE}"
    refused(scene, system, "PATCH", url, {"name": "王"}, 404, "not_found")


# Moving.


def test_moving_a_member_counts_it_in_the_new_community_from_moved_on(
    scene: Scene, summer: Clock
) -> None:
    url = f"/v1/members/{scene.member}/move"
    body = {"community_id": scene.other_community, "moved_on": "2026-05-01"}
    answer = scene.write("POST", url, body)
    assert answer | {"position": None} == {
        "position": None,
        "id": scene.member,
        "community_id": scene.other_community,
        "moved_on": "2026-05-01",
    }
    record = member_record(scene, scene.member)
    assert (record["community_id"], record["grid"], record["grid_id"]) == (
        scene.other_community,
        None,
        None,
    )
    assert figures(scene, scene.other_community, "2026-04-30")["members"] == 0
    assert figures(scene, scene.other_community, "2026-05-01")["members"] == 1
    assert figures(scene, scene.community, "2026-04-30")["members"] == 2
    assert figures(scene, scene.community, "2026-05-01")["members"] == 1


def test_a_move_without_a_date_takes_effect_today(scene: Scene, summer: Clock) -> None:
    url = f"/v1/members/{scene.member}/move"
    answer = scene.write("POST", url, {"community_id": scene.other_community})
    assert answer["moved_on"] == "2026-06-01"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("organizer_in", 200),
        ("organizer_out", 200),
        ("elsewhere", 403),
        ("member_self", 403),
    ],
)
def test_organizers_of_either_community_may_move_a_member(
    scene: Scene, system: System, role: str, status: int
) -> None:
    elsewhere = system.app.register_community("新华社区", None, BOOTSTRAP_ADMIN).id
    system.app.issue_token(
        "vp_test_elsewhere", "organizer", BOOTSTRAP_ADMIN, community_ids=[elsewhere]
    )
    scene.tokens["elsewhere"] = "vp_test_elsewhere"
    url = f"/v1/members/{scene.member}/move"
    body = {"community_id": scene.other_community}
    if status == 200:
        scene.write("POST", url, body, role=role)
    else:
        refused(scene, system, "POST", url, body, status, "forbidden", role)


@pytest.mark.parametrize(
    ("moved_on", "code"),
    [
        ("2026-02-28", "date_out_of_order"),
        ("2026-06-02", "future_date"),
        ("01/05/2026", "validation_error"),
    ],
)
def test_a_move_before_the_registration_or_in_the_future_is_refused(
    scene: Scene, system: System, summer: Clock, moved_on: str, code: str
) -> None:
    url = f"/v1/members/{scene.member}/move"
    body = {"community_id": scene.other_community, "moved_on": moved_on}
    answer = refused(scene, system, "POST", url, body, 422, code)
    assert error_fields(answer) == {"moved_on"}


def test_a_move_to_an_unknown_community_is_an_unknown_reference(
    scene: Scene, system: System
) -> None:
    url = f"/v1/members/{scene.member}/move"
    body = {"community_id": NOWHERE}
    answer = refused(scene, system, "POST", url, body, 422, "unknown_reference")
    assert error_fields(answer) == {"community_id"}
    refused(scene, system, "POST", url, body, 403, "forbidden", "organizer_out")


# Deregistering.


def test_a_deregistered_member_drops_out_from_its_left_on(
    scene: Scene, summer: Clock
) -> None:
    url = f"/v1/members/{scene.member}/deregister"
    body = {"reason": "迁出本市", "left_on": "2026-04-15"}
    answer = scene.write("POST", url, body, role="organizer_in")
    assert answer | {"position": None} == {
        "position": None,
        "id": scene.member,
        "left_on": "2026-04-15",
        "reason": "迁出本市",
    }
    record = member_record(scene, scene.member)
    assert (record["status"], record["left_on"]) == ("deregistered", "2026-04-15")
    assert figures(scene, scene.community, "2026-04-14")["members"] == 2
    assert figures(scene, scene.community, "2026-04-15")["members"] == 1


WRITES_NAMING_THE_MEMBER = [
    ("PATCH", "/v1/members/{member}", {"name": "王"}),
    ("POST", "/v1/members/{member}/move", {"community_id": "{other_community}"}),
    (
        "POST",
        "/v1/members/{member}/double-report",
        {"community_id": "{community}"},
    ),
    ("POST", "/v1/members/{member}/deregister", {"reason": "重复注销"}),
    ("POST", "/v1/teams/{team}/members", {"member_id": "{member}"}),
    ("POST", "/v1/activities/{upcoming}/signups", {"member_id": "{member}"}),
    (
        "POST",
        "/v1/activities/{started}/attendance",
        {"records": [{"member_id": "{member}", "hours": "1"}]},
    ),
]


def filled(template: Any, scene: Scene, member: str) -> Any:
    places = {
        "member": member,
        "community": scene.community,
        "other_community": scene.other_community,
        "team": scene.team,
        "upcoming": scene.upcoming,
        "started": scene.started,
    }
    if isinstance(template, str):
        return template.format(**places)
    if isinstance(template, dict):
        return {k: filled(v, scene, member) for k, v in template.items()}
    if isinstance(template, list):
        return [filled(v, scene, member) for v in template]
    return template


@pytest.mark.parametrize(("method", "url", "body"), WRITES_NAMING_THE_MEMBER)
def test_writes_naming_a_deregistered_member_are_member_deregistered(
    scene: Scene, system: System, method: str, url: str, body: Any
) -> None:
    member = scene.other_member
    scene.write("POST", f"/v1/members/{member}/deregister", {"reason": "迁出本市"})
    path, payload = filled(url, scene, member), filled(body, scene, member)
    refused(scene, system, method, path, payload, 409, "member_deregistered")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"reason": "迁出本市", "left_on": "2026-02-28"}, 422, "date_out_of_order"),
        ({"reason": "迁出本市", "left_on": "2026-03-02"}, 422, "future_date"),
        ({"left_on": "2026-03-01"}, 422, "validation_error"),
    ],
)
def test_deregistering_before_the_registration_is_date_out_of_order(
    scene: Scene, system: System, body: dict[str, Any], status: int, code: str
) -> None:
    url = f"/v1/members/{scene.member}/deregister"
    refused(scene, system, "POST", url, body, status, code)


def test_only_organizers_of_the_members_community_deregister_it(
    scene: Scene, system: System
) -> None:
    url = f"/v1/members/{scene.member}/deregister"
    body = {"reason": "迁出本市"}
    for role in ("organizer_out", "member_self"):
        refused(scene, system, "POST", url, body, 403, "forbidden", role)


# Double reports ended.


def test_a_double_report_without_a_date_is_reported_today(scene: Scene) -> None:
    url = f"/v1/members/{scene.member}/double-report"
    answer = scene.write("POST", url, {"community_id": scene.community})
    assert answer["reported_on"] == "2026-03-01"
    unit = scene.write(
        "POST",
        f"/v1/units/{scene.unit}/double-report",
        {"community_id": scene.community},
    )
    assert unit["reported_on"] == "2026-03-01"


def test_ending_a_members_double_report_answers_the_community_and_date(
    scene: Scene, summer: Clock
) -> None:
    report = {"community_id": scene.community, "reported_on": "2026-03-10"}
    scene.write("POST", f"/v1/members/{scene.member}/double-report", report)
    url = f"/v1/members/{scene.member}/double-report/end"
    answer = scene.write("POST", url, {"ended_on": "2026-05-20"}, role="organizer_in")
    assert answer | {"position": None} == {
        "position": None,
        "id": scene.member,
        "community_id": scene.community,
        "ended_on": "2026-05-20",
    }
    assert member_record(scene, scene.member)["double_report"] is None
    assert figures(scene, scene.community, "2026-05-19")["members_reported"] == 1
    assert figures(scene, scene.community, "2026-05-20")["members_reported"] == 0


def test_ending_a_double_report_without_a_body_ends_it_today(scene: Scene) -> None:
    report = {"community_id": scene.community}
    scene.write("POST", f"/v1/members/{scene.member}/double-report", report)
    answer = scene.write("POST", f"/v1/members/{scene.member}/double-report/end")
    assert answer["ended_on"] == "2026-03-01"


def test_ending_a_double_report_needs_one_in_effect_and_a_later_date(
    scene: Scene, system: System, summer: Clock
) -> None:
    url = f"/v1/members/{scene.member}/double-report/end"
    refused(scene, system, "POST", url, {}, 409, "not_reported")
    report = {"community_id": scene.community, "reported_on": "2026-03-10"}
    scene.write("POST", f"/v1/members/{scene.member}/double-report", report)
    for ended_on, code in [
        ("2026-03-09", "date_out_of_order"),
        ("2026-06-02", "future_date"),
        ("2026-3-9", "validation_error"),
    ]:
        answer = refused(scene, system, "POST", url, {"ended_on": ended_on}, 422, code)
        assert error_fields(answer) == {"ended_on"}
    for role in ("organizer_out", "member_self"):
        refused(scene, system, "POST", url, {}, 403, "forbidden", role)


def test_ending_a_units_double_report_counts_it_until_the_day_before(
    scene: Scene, summer: Clock
) -> None:
    report = {"community_id": scene.community, "reported_on": "2026-02-01"}
    scene.write("POST", f"/v1/units/{scene.unit}/double-report", report)
    url = f"/v1/units/{scene.unit}/double-report/{scene.community}/end"
    answer = scene.write("POST", url, {"ended_on": "2026-04-01"})
    assert answer | {"position": None} == {
        "position": None,
        "id": scene.unit,
        "community_id": scene.community,
        "ended_on": "2026-04-01",
    }
    assert figures(scene, scene.community, "2026-03-31")["units_reported"] == 1
    assert figures(scene, scene.community, "2026-04-01")["units_reported"] == 0


def test_ending_a_units_double_report_is_refused_when_it_cannot_be(
    scene: Scene, system: System
) -> None:
    report = {"community_id": scene.community, "reported_on": "2026-02-01"}
    scene.write("POST", f"/v1/units/{scene.unit}/double-report", report)
    url = f"/v1/units/{scene.unit}/double-report/{scene.community}/end"
    early = {"ended_on": "2026-01-31"}
    answer = refused(scene, system, "POST", url, early, 422, "date_out_of_order")
    assert error_fields(answer) == {"ended_on"}
    refused(scene, system, "POST", url, {"ended_on": "2026-03-02"}, 422, "future_date")
    for role in ("organizer_in", "member_self"):
        refused(scene, system, "POST", url, {}, 403, "forbidden", role)
    elsewhere = f"/v1/units/{scene.unit}/double-report/{scene.other_community}/end"
    refused(scene, system, "POST", elsewhere, {}, 404, "not_found")
    unknown = f"/v1/units/{NOWHERE}/double-report/{scene.community}/end"
    refused(scene, system, "POST", unknown, {}, 404, "not_found")


# Teams on dates.


def test_a_team_founded_on_a_date_counts_from_it(scene: Scene) -> None:
    body = {"name": "银发志愿服务队", "community_id": scene.community}
    team = scene.write("POST", "/v1/teams", body | {"founded_on": "2026-01-10"})
    assert team["founded_on"] == "2026-01-10"
    record = scene.read(f"/v1/teams/{team['id']}").json()
    assert (record["founded_on"], record["dissolved_on"], record["as_of"]) == (
        "2026-01-10",
        None,
        "2026-03-01",
    )
    assert figures(scene, scene.community, "2026-01-09")["teams"] == 0
    assert figures(scene, scene.community, "2026-01-10")["teams"] == 1


@pytest.mark.parametrize(
    ("founded_on", "code"),
    [("2026-03-02", "future_date"), ("2026-01-32", "validation_error")],
)
def test_a_team_cannot_be_founded_in_the_future(
    scene: Scene, system: System, founded_on: str, code: str
) -> None:
    body = {
        "name": "银发志愿服务队",
        "community_id": scene.community,
        "founded_on": founded_on,
    }
    answer = refused(scene, system, "POST", "/v1/teams", body, 422, code)
    assert error_fields(answer) == {"founded_on"}


def test_joining_and_leaving_a_team_take_effect_on_their_dates(
    scene: Scene, summer: Clock
) -> None:
    url = f"/v1/teams/{scene.team}/members"
    joined = {"member_id": scene.other_member, "joined_on": "2026-03-15"}
    scene.write("POST", url, joined)
    left = scene.client.delete(
        f"{url}/{scene.other_member}",
        params={"left_on": "2026-04-15"},
        headers=ADMIN,
    )
    assert left.status_code == 200, left.text
    scene.position = left.json()["position"]
    assert figures(scene, scene.community, "2026-03-14")["volunteers"] == 1
    assert figures(scene, scene.community, "2026-03-15")["volunteers"] == 2
    assert figures(scene, scene.community, "2026-04-15")["volunteers"] == 1


def test_joining_a_team_before_it_was_founded_is_date_out_of_order(
    scene: Scene, system: System
) -> None:
    url = f"/v1/teams/{scene.team}/members"
    body = {"member_id": scene.other_member, "joined_on": "2026-02-28"}
    answer = refused(scene, system, "POST", url, body, 422, "date_out_of_order")
    assert error_fields(answer) == {"joined_on"}


@pytest.mark.parametrize(
    ("left_on", "code"),
    [
        ("2026-02-28", "date_out_of_order"),
        ("2026-03-02", "future_date"),
        ("20260301", "validation_error"),
        ("tomorrow", "validation_error"),
    ],
)
def test_leaving_a_team_needs_a_date_from_joining_to_today(
    scene: Scene, system: System, left_on: str, code: str
) -> None:
    url = f"/v1/teams/{scene.team}/members/{scene.member}"
    answer = refused(scene, system, "DELETE", url, None, 422, code, left_on=left_on)
    assert error_fields(answer) == {"left_on"}


def test_dissolving_a_team_on_a_date_counts_it_until_the_day_before(
    scene: Scene, summer: Clock
) -> None:
    url = f"/v1/teams/{scene.team}/dissolve"
    body = {"reason": "队伍合并", "dissolved_on": "2026-05-01"}
    answer = scene.write("POST", url, body, role="organizer_in")
    assert answer | {"position": None} == {
        "position": None,
        "id": scene.team,
        "name": "红马甲志愿服务队",
        "community_id": scene.community,
        "dissolved_on": "2026-05-01",
    }
    record = scene.read(f"/v1/teams/{scene.team}").json()
    assert (record["dissolved"], record["dissolved_on"]) == (True, "2026-05-01")
    assert figures(scene, scene.community, "2026-04-30")["teams"] == 1
    assert figures(scene, scene.community, "2026-05-01")["teams"] == 0


@pytest.mark.parametrize(
    ("dissolved_on", "code"),
    [("2026-02-28", "date_out_of_order"), ("2026-03-02", "future_date")],
)
def test_a_team_cannot_be_dissolved_before_it_was_founded_or_in_the_future(
    scene: Scene, system: System, dissolved_on: str, code: str
) -> None:
    url = f"/v1/teams/{scene.team}/dissolve"
    body = {"reason": "队伍合并", "dissolved_on": dissolved_on}
    answer = refused(scene, system, "POST", url, body, 422, code)
    assert error_fields(answer) == {"dissolved_on"}
    refused(
        scene,
        system,
        "POST",
        url,
        {"reason": "队伍合并"},
        403,
        "forbidden",
        "organizer_out",
    )


def test_team_figures_are_as_of_a_date(scene: Scene) -> None:
    before = scene.read(f"/v1/teams/{scene.team}", as_of="2026-02-28").json()
    assert (before["as_of"], before["members"], before["participations"]) == (
        "2026-02-28",
        0,
        0,
    )
    today = scene.read(f"/v1/teams/{scene.team}").json()
    assert (today["members"], today["participations"]) == (1, 1)


def test_member_figures_are_as_of_a_date(scene: Scene) -> None:
    url = f"/v1/members/{scene.member}/points"
    today = scene.read(url).json()
    assert (today["as_of"], today["points"], today["lifetime_points"]) == (
        "2026-03-01",
        "20.0",
        "20.0",
    )
    last_year = scene.read(url, year=2025).json()
    assert (last_year["as_of"], last_year["points"]) == ("2025-12-31", "0.0")
    assert last_year["lifetime_points"] == "0.0"
    mine = scene.read("/v1/me/points", role="member_self", as_of="2026-02-28").json()
    assert (mine["year"], mine["points"]) == (2026, "0.0")
    board = scene.read(f"/v1/communities/{scene.community}/leaderboard").json()
    assert (board["as_of"], [i["member_id"] for i in board["items"]]) == (
        "2026-03-01",
        [scene.member],
    )


@pytest.mark.parametrize(
    "url",
    [
        "/v1/members/{member}/points",
        "/v1/members/{member}/statement",
        "/v1/me/points",
        "/v1/teams/{team}",
        "/v1/communities/{community}/leaderboard",
    ],
)
def test_every_figure_read_refuses_a_future_as_of(scene: Scene, url: str) -> None:
    path = url.format(member=scene.member, team=scene.team, community=scene.community)
    role = "member_self" if path.startswith("/v1/me") else "admin"
    response = scene.read(path, role=role, as_of="2026-03-02")
    assert error_fields(problem(response, 422, "future_date")) == {"as_of"}


def test_every_operation_listed_here_names_tests_that_exist(database_url: str) -> None:
    named = {name for names in ENDPOINT_TESTS.values() for name in names}
    assert not named - globals().keys()


# Idempotency of the new writes.


def test_a_change_reusing_a_key_with_other_fields_is_idempotency_key_reused(
    scene: Scene, system: System
) -> None:
    url = f"/v1/members/{scene.member}"
    headers = ADMIN | {"Idempotency-Key": "change-phone"}
    first = scene.client.patch(url, json={"phone": None}, headers=headers)
    assert first.status_code == 200, first.text
    again = scene.client.patch(url, json={"phone": None}, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true"
    before = system.app.position()
    other = scene.client.patch(url, json={}, headers=headers)
    problem(other, 422, "idempotency_key_reused")
    assert system.app.position() == before


def test_leaving_on_another_date_with_the_same_key_is_idempotency_key_reused(
    scene: Scene,
) -> None:
    url = f"/v1/teams/{scene.team}/members/{scene.member}"
    headers = ADMIN | {"Idempotency-Key": "leave"}
    first = scene.client.delete(url, params={"left_on": "2026-03-01"}, headers=headers)
    assert first.status_code == 200, first.text
    other = scene.client.delete(url, headers=headers)
    problem(other, 422, "idempotency_key_reused")


V1_BODIES = [
    (
        "/v1/teams",
        TeamCreate,
        {"name": "银发志愿服务队", "community_id": NOWHERE},
    ),
    ("/v1/communities", CommunityCreate, {"name": "幸福里社区", "street": None}),
    (
        "/v1/members",
        MemberCreate,
        {
            "name": "张伟",
            "community_id": NOWHERE,
            "party_member": True,
            "unit_id": None,
            "grid": None,
            "phone": None,
            "registered_on": None,
        },
    ),
    ("/v1/teams/{id}/members", TeamMemberAdd, {"member_id": NOWHERE}),
    ("/v1/teams/{id}/dissolve", TeamDissolve, {"reason": "队伍合并"}),
    (
        "/v1/tokens",
        TokenCreate,
        {
            "role": "organizer",
            "community_ids": [NOWHERE],
            "team_ids": [],
            "member_id": None,
            "label": None,
        },
    ),
]


@pytest.mark.parametrize(("path", "model", "body"), V1_BODIES)
def test_a_v1_body_keeps_the_fingerprint_the_earlier_release_recorded(
    database_url: str, path: str, model: type[BaseModel], body: dict[str, Any]
) -> None:
    assert fingerprint("POST", path, model.model_validate(body)) == fingerprint(
        "POST", path, body
    )

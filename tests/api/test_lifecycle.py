"""Business dates and lifecycles over HTTP (shared/API.md, additions 1.1):
members registered on a date, figures as of a date, and the idempotency of the
new writes. Changes, moves, deregistrations, ended double reports and teams'
dates are in the ``test_lifecycle_*`` modules. A refused request records
nothing."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from pydantic import BaseModel

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
from tests.api import (
    test_lifecycle_double_reports,
    test_lifecycle_member_changes,
    test_lifecycle_moves_and_deregistration,
)
from tests.api.lifecycle_support import a_grid, figures, member_record, refused
from tests.api.support import ADMIN_TOKEN, Scene, bearer, error_fields, problem

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

# The modules that hold the tests ENDPOINT_TESTS names.
LISTED = (
    test_lifecycle_member_changes,
    test_lifecycle_moves_and_deregistration,
    test_lifecycle_double_reports,
)

NOWHERE = str(uuid4())
ADMIN = bearer(ADMIN_TOKEN)


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
    assert not named - set().union(*(vars(m).keys() for m in LISTED))


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

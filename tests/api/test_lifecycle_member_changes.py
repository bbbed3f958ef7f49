"""Changing a member's details over HTTP: what is given changes, null clears,
and a change that changes nothing records nothing."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from api.system import System
from tests.api.lifecycle_support import a_grid, member_record, refused
from tests.api.support import ADMIN_TOKEN, Scene, bearer, error_fields

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

NOWHERE = str(uuid4())
ADMIN = bearer(ADMIN_TOKEN)


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

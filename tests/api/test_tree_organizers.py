"""Organisers scoped by district and street, over HTTP."""

from __future__ import annotations

from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from api.system import System
from tests.api.support import ADMIN_TOKEN, bearer, error_fields, problem, written
from tests.api.tree_support import Tree

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

NOWHERE = str(uuid4())
ADMIN = bearer(ADMIN_TOKEN)


# Organisers scoped by district and street.


def test_a_token_may_name_districts_and_streets(tree: Tree) -> None:
    body = written(
        tree.scene.client.post(
            "/v1/tokens",
            json={
                "role": "organizer",
                "district_ids": [tree.district],
                "street_ids": [tree.street],
            },
            headers=ADMIN,
        )
    )
    assert (body["district_ids"], body["street_ids"]) == (
        [tree.district],
        [tree.street],
    )
    member = {"name": "钱敏", "community_id": tree.community, "party_member": False}
    answer = tree.scene.client.post(
        "/v1/members", json=member, headers=bearer(body["token"])
    )
    written(answer)


@pytest.mark.parametrize("places", ["district_ids", "street_ids"])
def test_a_token_naming_an_unknown_place_is_an_unknown_reference(
    client: TestClient, system: System, places: str
) -> None:
    before = system.app.position()
    response = client.post(
        "/v1/tokens", json={"role": "organizer", places: [NOWHERE]}, headers=ADMIN
    )
    assert error_fields(problem(response, 422, "unknown_reference")) == {places}
    assert system.app.position() == before


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("district_organizer", 201),
        ("street_organizer", 201),
        ("elsewhere_organizer", 403),
        ("organizer_in", 403),
    ],
)
def test_an_organizer_covers_everything_below_the_places_its_token_names(
    tree: Tree, system: System, role: str, status: int
) -> None:
    before = system.app.position()
    client, headers = tree.scene.client, tree.headers(role)
    member = client.post(
        "/v1/members",
        json={"name": "孙丽", "community_id": tree.community, "party_member": False},
        headers=headers,
    )
    team = client.post(
        "/v1/teams",
        json={"name": "海滨志愿服务队", "community_id": tree.community},
        headers=headers,
    )
    for response in (member, team):
        assert response.status_code == status, response.text
    if status == 403:
        assert system.app.position() == before


def test_an_organizer_of_a_district_reads_its_members_with_their_phone(
    tree: Tree,
) -> None:
    record = tree.read(f"/v1/members/{tree.member}", role="street_organizer")
    assert record["id"] == tree.member
    response = tree.scene.client.get(
        f"/v1/members/{tree.member}", headers=tree.headers("elsewhere_organizer")
    )
    problem(response, 403, "forbidden")

"""Creating the tree over HTTP: districts, streets, communities in streets and
grids, and who may create them."""

from __future__ import annotations

from uuid import UUID, uuid4

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


# Creating the tree.


def test_creating_a_district_answers_201_with_its_id_and_name(
    client: TestClient,
) -> None:
    body = written(
        client.post("/v1/districts", json={"name": " 卢龙县 "}, headers=ADMIN)
    )
    assert UUID(body["id"])
    assert body == {"id": body["id"], "name": "卢龙县", "position": body["position"]}


def test_creating_a_street_answers_201_with_its_district(tree: Tree) -> None:
    response = tree.scene.client.post(
        "/v1/streets",
        json={"name": "西街街道", "district_id": tree.district},
        headers=ADMIN,
    )
    body = written(response)
    assert (body["name"], body["district_id"]) == ("西街街道", tree.district)
    tree.scene.position = body["position"]
    streets = tree.read(f"/v1/districts/{tree.district}/streets")["items"]
    assert {s["name"] for s in streets} == {"东风街道", "西街街道"}


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/v1/districts", {"name": "卢龙县"}),
        ("/v1/streets", {"name": "西街街道", "district_id": "{district}"}),
    ],
)
@pytest.mark.parametrize("role", ["district_organizer", "organizer_in", "member_self"])
def test_only_admins_create_districts_and_streets(
    tree: Tree, system: System, url: str, body: dict[str, str], role: str
) -> None:
    before = system.app.position()
    filled = {k: v.format(district=tree.district) for k, v in body.items()}
    response = tree.scene.client.post(url, json=filled, headers=tree.headers(role))
    problem(response, 403, "forbidden")
    assert system.app.position() == before


def test_a_district_without_a_name_is_a_validation_error(client: TestClient) -> None:
    response = client.post("/v1/districts", json={"name": " "}, headers=ADMIN)
    assert error_fields(problem(response, 422, "validation_error")) == {"name"}


def test_a_street_of_an_unknown_district_is_an_unknown_reference(
    client: TestClient, system: System
) -> None:
    before = system.app.position()
    response = client.post(
        "/v1/streets", json={"name": "西街街道", "district_id": NOWHERE}, headers=ADMIN
    )
    body = problem(response, 422, "unknown_reference")
    assert error_fields(body) == {"district_id"}
    assert system.app.position() == before


def test_a_community_in_a_street_answers_its_street_and_district(tree: Tree) -> None:
    body = written(
        tree.scene.client.post(
            "/v1/communities",
            json={
                "name": "金海社区",
                "street_id": tree.street,
                "party_organisation": "党总支",
            },
            headers=ADMIN,
        )
    )
    assert body | {"id": None, "position": None} == {
        "id": None,
        "position": None,
        "name": "金海社区",
        "street": "东风街道",
        "street_id": tree.street,
        "district_id": tree.district,
        "party_organisation": "党总支",
    }


def test_a_community_of_an_unknown_street_is_an_unknown_reference(
    client: TestClient, system: System
) -> None:
    before = system.app.position()
    response = client.post(
        "/v1/communities",
        json={"name": "金海社区", "street_id": NOWHERE},
        headers=ADMIN,
    )
    assert error_fields(problem(response, 422, "unknown_reference")) == {"street_id"}
    assert system.app.position() == before


def test_a_community_party_organisation_is_a_committee_general_branch_or_branch(
    client: TestClient,
) -> None:
    response = client.post(
        "/v1/communities",
        json={"name": "金海社区", "party_organisation": "党小组"},
        headers=ADMIN,
    )
    body = problem(response, 422, "validation_error")
    assert error_fields(body) == {"party_organisation"}


def test_creating_a_grid_answers_201_with_its_community_and_party_organisation(
    tree: Tree,
) -> None:
    body = written(
        tree.scene.client.post(
            "/v1/grids",
            json={
                "name": "第三网格",
                "community_id": tree.community,
                "party_organisation": True,
            },
            headers=ADMIN,
        )
    )
    assert body | {"id": None, "position": None} == {
        "id": None,
        "position": None,
        "name": "第三网格",
        "community_id": tree.community,
        "party_organisation": True,
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("district_organizer", 201),
        ("street_organizer", 201),
        ("elsewhere_organizer", 403),
        ("organizer_in", 403),
        ("member_self", 403),
    ],
)
def test_organizers_create_grids_only_in_communities_they_cover(
    tree: Tree, system: System, role: str, status: int
) -> None:
    before = system.app.position()
    response = tree.scene.client.post(
        "/v1/grids",
        json={
            "name": "第三网格",
            "community_id": tree.community,
            "party_organisation": False,
        },
        headers=tree.headers(role),
    )
    if status == 201:
        written(response)
    else:
        problem(response, status, "forbidden")
        assert system.app.position() == before


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("admin", 422, "unknown_reference"),
        ("district_organizer", 403, "forbidden"),
    ],
)
def test_a_grid_of_an_unknown_community_is_refused(
    tree: Tree, system: System, role: str, status: int, code: str
) -> None:
    before = system.app.position()
    response = tree.scene.client.post(
        "/v1/grids",
        json={"name": "第三网格", "community_id": NOWHERE, "party_organisation": True},
        headers=tree.headers(role),
    )
    problem(response, status, code)
    assert system.app.position() == before


@pytest.mark.parametrize("flag", ["是", 1, None])
def test_a_grid_party_organisation_is_true_or_false(tree: Tree, flag: object) -> None:
    response = tree.scene.client.post(
        "/v1/grids",
        json={
            "name": "第三网格",
            "community_id": tree.community,
            "party_organisation": flag,
        },
        headers=ADMIN,
    )
    body = problem(response, 422, "validation_error")
    assert error_fields(body) == {"party_organisation"}

"""The organisation tree over HTTP: districts, streets, communities and grids,
their lists and figures at every level, and organisers scoped by district and
street (shared/API.md, additions 1.1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from tests.api.support import (
    ADMIN_TOKEN,
    Running,
    Scene,
    bearer,
    error_fields,
    problem,
    written,
)

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/districts": (
        "test_creating_a_district_answers_201_with_its_id_and_name",
        "test_only_admins_create_districts_and_streets",
        "test_a_district_without_a_name_is_a_validation_error",
    ),
    "POST /v1/streets": (
        "test_creating_a_street_answers_201_with_its_district",
        "test_a_street_of_an_unknown_district_is_an_unknown_reference",
    ),
    "POST /v1/grids": (
        "test_creating_a_grid_answers_201_with_its_community_and_party_organisation",
        "test_organizers_create_grids_only_in_communities_they_cover",
        "test_a_grid_of_an_unknown_community_is_refused",
        "test_a_grid_party_organisation_is_true_or_false",
    ),
    "GET /v1/districts": ("test_districts_are_listed_a_page_at_a_time",),
    "GET /v1/districts/{district_id}/streets": (
        "test_a_districts_streets_are_listed",
        "test_lists_under_an_unknown_place_are_not_found",
    ),
    "GET /v1/streets/{street_id}/communities": (
        "test_a_streets_communities_are_listed_with_their_place_in_the_tree",
        "test_lists_under_an_unknown_place_are_not_found",
    ),
    "GET /v1/communities/{community_id}/grids": (
        "test_a_communitys_grids_are_listed",
        "test_lists_under_an_unknown_place_are_not_found",
    ),
    "GET /v1/districts/{district_id}/stats": (
        "test_a_districts_figures_are_its_communities_with_communities_and_grids",
        "test_figures_of_an_unknown_place_are_not_found",
        "test_figures_as_of_a_date_count_what_was_true_on_it",
    ),
    "GET /v1/streets/{street_id}/stats": (
        "test_a_streets_figures_equal_its_districts_when_it_holds_all_of_them",
        "test_figures_of_an_unknown_place_are_not_found",
    ),
    "GET /v1/grids/{grid_id}/stats": (
        "test_a_grids_figures_are_its_members_wherever_they_earned_them",
        "test_figures_of_an_unknown_place_are_not_found",
    ),
}

NOWHERE = str(uuid4())
ADMIN = bearer(ADMIN_TOKEN)


@dataclass
class Tree:
    """The scene, and beside it a district with one street, a community in that
    street with two grids (one with a party organisation) and a member in the
    first grid who attended the scene's started activity; another district;
    and in the scene's tokens, organizers scoped by district and by street."""

    scene: Scene
    district: str = ""
    other_district: str = ""
    street: str = ""
    community: str = ""
    grid: str = ""
    other_grid: str = ""
    member: str = ""

    def headers(self, role: str) -> dict[str, str]:
        return self.scene.headers(role)

    def read(self, url: str, role: str = "admin", **params: Any) -> Any:
        """The body of a successful read reflecting every write so far."""
        response = self.scene.read(url, role, **params)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def tree(scene: Scene, running: Running) -> Tree:
    app = running.system.app
    actor = BOOTSTRAP_ADMIN
    district = app.register_district("秦皇岛经济技术开发区", actor).id
    other_district = app.register_district("北戴河新区", actor).id
    street = app.register_street("东风街道", district, actor).id
    app.register_street("戴河镇", other_district, actor)
    community = app.register_community(
        "海滨社区", None, actor, street_id=street, party_organisation="党委"
    ).id
    grid = app.register_grid("第一网格", community, True, actor).id
    other_grid = app.register_grid("第二网格", community, False, actor).id
    member = app.register_member(
        "赵强", community, party_member=True, actor=actor, grid_id=grid
    ).id
    app.join_team(UUID(scene.team), member, actor)
    app.record_attendance(UUID(scene.started), [(member, Decimal("1.5"))], actor)
    scopes = {
        "district_organizer": {"district_ids": [district]},
        "street_organizer": {"street_ids": [street]},
        "elsewhere_organizer": {"district_ids": [other_district]},
    }
    for role, scope in scopes.items():
        scene.tokens[role] = f"vp_test_{role}"
        app.issue_token(scene.tokens[role], "organizer", actor, **scope)
    scene.position = app.position()
    return Tree(
        scene,
        district=str(district),
        other_district=str(other_district),
        street=str(street),
        community=str(community),
        grid=str(grid),
        other_grid=str(other_grid),
        member=str(member),
    )


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


# Lists.


def test_districts_are_listed_a_page_at_a_time(tree: Tree) -> None:
    everything = tree.read("/v1/districts", role="member_other")
    assert everything["next_cursor"] is None
    assert {d["name"]: d["id"] for d in everything["items"]} == {
        "秦皇岛经济技术开发区": tree.district,
        "北戴河新区": tree.other_district,
    }
    first = tree.read("/v1/districts", limit=1)
    assert len(first["items"]) == 1
    rest = tree.read("/v1/districts", limit=1, cursor=first["next_cursor"])
    assert first["items"] + rest["items"] == everything["items"]
    assert rest["next_cursor"] is None


def test_a_districts_streets_are_listed(tree: Tree) -> None:
    page = tree.read(f"/v1/districts/{tree.district}/streets", role="member_self")
    assert page == {
        "items": [
            {"id": tree.street, "name": "东风街道", "district_id": tree.district}
        ],
        "next_cursor": None,
    }


def test_a_streets_communities_are_listed_with_their_place_in_the_tree(
    tree: Tree,
) -> None:
    page = tree.read(f"/v1/streets/{tree.street}/communities")
    assert page == {
        "items": [
            {
                "id": tree.community,
                "name": "海滨社区",
                "street": "东风街道",
                "street_id": tree.street,
                "district_id": tree.district,
                "party_organisation": "党委",
            }
        ],
        "next_cursor": None,
    }


def test_a_communitys_grids_are_listed(tree: Tree) -> None:
    page = tree.read(f"/v1/communities/{tree.community}/grids")
    assert sorted(page["items"], key=lambda g: g["name"]) == [
        {
            "id": tree.grid,
            "name": "第一网格",
            "community_id": tree.community,
            "party_organisation": True,
        },
        {
            "id": tree.other_grid,
            "name": "第二网格",
            "community_id": tree.community,
            "party_organisation": False,
        },
    ]
    v1 = tree.read(f"/v1/communities/{tree.scene.community}/grids")
    assert v1 == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(
    "url",
    [
        "/v1/districts/{nowhere}/streets",
        "/v1/streets/{nowhere}/communities",
        "/v1/communities/{nowhere}/grids",
        "/v1/streets/{district}/communities",
    ],
)
def test_lists_under_an_unknown_place_are_not_found(tree: Tree, url: str) -> None:
    path = url.format(nowhere=NOWHERE, district=tree.district)
    problem(tree.scene.client.get(path, headers=ADMIN), 404, "not_found")


# Figures at every level.


def test_a_districts_figures_are_its_communities_with_communities_and_grids(
    tree: Tree,
) -> None:
    stats = tree.read(f"/v1/districts/{tree.district}/stats", role="member_other")
    assert stats == {
        "scope": "district",
        "scope_id": tree.district,
        "year": 2026,
        "as_of": "2026-03-01",
        "teams": 0,
        "volunteers": 0,
        "activities": 0,
        "participations": 0,
        "hours": "0",
        "points": "0.0",
        "members": 1,
        "avg_annual_points": "15.0",
        "units_reported": 0,
        "members_reported": 0,
        "communities": 1,
        "grids": 2,
        "grid_party_organisations": 1,
    }
    elsewhere = tree.read(f"/v1/districts/{tree.other_district}/stats")
    assert (elsewhere["communities"], elsewhere["members"]) == (0, 0)


def test_a_streets_figures_equal_its_districts_when_it_holds_all_of_them(
    tree: Tree,
) -> None:
    street = tree.read(f"/v1/streets/{tree.street}/stats", role="street_organizer")
    district = tree.read(f"/v1/districts/{tree.district}/stats")
    assert street | {"scope": "district", "scope_id": tree.district} == district
    assert street["scope"] == "street"


def test_a_grids_figures_are_its_members_wherever_they_earned_them(
    tree: Tree,
) -> None:
    stats = tree.read(f"/v1/grids/{tree.grid}/stats", role="member_self")
    assert stats == {
        "scope": "grid",
        "scope_id": tree.grid,
        "year": 2026,
        "as_of": "2026-03-01",
        "teams": 0,
        "volunteers": 1,
        "activities": 0,
        "participations": 1,
        "hours": "1.5",
        "points": "15.0",
        "members": 1,
        "avg_annual_points": "15.0",
        "units_reported": 0,
        "members_reported": 0,
    }
    empty = tree.read(f"/v1/grids/{tree.other_grid}/stats")
    assert (empty["members"], empty["participations"]) == (0, 0)


def test_a_communitys_figures_name_their_scope_without_tree_counts(
    tree: Tree,
) -> None:
    stats = tree.read(f"/v1/communities/{tree.community}/stats")
    assert (stats["scope"], stats["scope_id"]) == ("community", tree.community)
    assert (stats["members"], stats["avg_annual_points"]) == (1, "15.0")
    assert not {"communities", "grids", "grid_party_organisations"} & stats.keys()


def test_the_whole_deployments_figures_count_every_community_and_grid(
    tree: Tree,
) -> None:
    stats = tree.read("/v1/stats", role="member_other")
    assert (stats["scope"], stats["scope_id"]) == ("all", None)
    assert (
        stats["communities"],
        stats["grids"],
        stats["grid_party_organisations"],
    ) == (
        3,
        2,
        1,
    )
    assert (stats["members"], stats["participations"], stats["points"]) == (
        3,
        2,
        "35.0",
    )


@pytest.mark.parametrize(
    "url", ["/v1/districts/{}/stats", "/v1/streets/{}/stats", "/v1/grids/{}/stats"]
)
def test_figures_of_an_unknown_place_are_not_found(tree: Tree, url: str) -> None:
    response = tree.scene.client.get(url.format(NOWHERE), headers=ADMIN)
    problem(response, 404, "not_found")
    community = tree.scene.client.get(url.format(tree.community), headers=ADMIN)
    problem(community, 404, "not_found")


def test_figures_as_of_a_date_count_what_was_true_on_it(tree: Tree) -> None:
    url = f"/v1/districts/{tree.district}/stats"
    before = tree.read(url, as_of="2026-02-28")
    assert (before["as_of"], before["year"], before["members"]) == (
        "2026-02-28",
        2026,
        0,
    )
    assert before["avg_annual_points"] == "0.0"
    last_year = tree.read(url, as_of="2025-12-31")
    assert (last_year["year"], last_year["members"]) == (2025, 0)
    assert last_year["communities"] == 1


def test_a_year_not_yet_begun_has_zero_figures(tree: Tree) -> None:
    stats = tree.read(f"/v1/grids/{tree.grid}/stats", year=2027)
    assert stats["year"] == 2027
    assert (stats["members"], stats["participations"], stats["points"]) == (0, 0, "0.0")


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"as_of": "2026-03-02"}, "future_date"),
        ({"as_of": "2025-06-30", "year": 2026}, "validation_error"),
        ({"as_of": "2026-02-30"}, "validation_error"),
        ({"as_of": "20260301"}, "validation_error"),
        ({"as_of": "0"}, "validation_error"),
    ],
)
@pytest.mark.parametrize(
    "url", ["/v1/stats", "/v1/districts/{district}/stats", "/v1/grids/{grid}/stats"]
)
def test_a_figure_date_must_be_a_past_date_of_its_year(
    tree: Tree, url: str, params: dict[str, Any], code: str
) -> None:
    path = url.format(district=tree.district, grid=tree.grid)
    response = tree.scene.client.get(path, params=params, headers=ADMIN)
    assert error_fields(problem(response, 422, code)) == {"as_of"}


def test_every_operation_listed_here_names_tests_that_exist(database_url: str) -> None:
    named = {name for names in ENDPOINT_TESTS.values() for name in names}
    assert not named - globals().keys()

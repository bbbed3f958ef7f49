"""The tree's lists over HTTP: districts, a district's streets, a street's
communities, a community's grids."""

from __future__ import annotations

from uuid import uuid4

import pytest

from tests.api.support import ADMIN_TOKEN, bearer, problem
from tests.api.tree_support import Tree

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

NOWHERE = str(uuid4())
ADMIN = bearer(ADMIN_TOKEN)


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

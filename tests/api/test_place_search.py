"""Finding a community among those a token covers, by its name, its
street's or its district's: the console's place picker."""

from __future__ import annotations

import pytest

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from tests.api.support import Scene
from tests.api.tree_support import Tree
from tests.conftest import STORES

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "GET /v1/communities": (
        "test_communities_are_found_by_their_own_street_or_district_name",
        "test_an_organiser_finds_only_the_communities_its_scope_covers",
        "test_a_search_pages_through_its_matches_by_name",
    ),
    "GET /v1/communities/{community_id}": (
        "test_a_community_is_read_with_its_street_and_district",
    ),
}


def names(tree: Tree, role: str = "admin", **params: object) -> list[str]:
    return [c["name"] for c in tree.read("/v1/communities", role, **params)["items"]]


@pytest.mark.parametrize("database_url", STORES, indirect=True)
def test_communities_are_found_by_their_own_street_or_district_name(
    tree: Tree,
) -> None:
    assert names(tree, q="海滨") == ["海滨社区"]
    # The scene's community names its street as text only, outside the tree.
    assert names(tree, q="东风") == ["幸福里社区", "海滨社区"]
    assert names(tree, q="开发区") == ["海滨社区"]
    assert names(tree, q="幸福") == ["幸福里社区"]
    assert names(tree, q="没有这个地方") == []
    found = tree.read("/v1/communities", q="开发区")["items"]
    assert found == [
        {
            "id": tree.community,
            "name": "海滨社区",
            "street": "东风街道",
            "street_id": tree.street,
            "district": "秦皇岛经济技术开发区",
            "district_id": tree.district,
            "party_organisation": "党委",
        }
    ]


def test_what_a_pattern_would_mean_in_sql_is_searched_as_written(
    tree: Tree, system: System
) -> None:
    app = system.app
    app.register_community("百分%之百_社区", None, BOOTSTRAP_ADMIN)
    tree.scene.position = app.position()
    assert names(tree, q="%") == ["百分%之百_社区"]
    assert names(tree, q="_") == ["百分%之百_社区"]
    assert names(tree, q="!") == []


def test_an_organiser_finds_only_the_communities_its_scope_covers(tree: Tree) -> None:
    everything = names(tree)
    assert {"海滨社区", "幸福里社区"} <= set(everything)
    assert names(tree, "street_organizer") == ["海滨社区"]
    assert names(tree, "district_organizer") == ["海滨社区"]
    assert names(tree, "elsewhere_organizer") == []
    assert names(tree, "organizer_in") == ["幸福里社区"]
    assert names(tree, "member_self") == []


def test_a_search_pages_through_its_matches_by_name(tree: Tree, system: System) -> None:
    app = system.app
    for name in ("甲社区", "乙社区", "丙社区"):
        app.register_community(name, None, BOOTSTRAP_ADMIN)
    tree.scene.position = app.position()
    everything = names(tree, q="社区")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"q": "社区", "limit": 2} | ({"cursor": cursor} if cursor else {})
        answer = tree.read("/v1/communities", **params)
        seen += [c["name"] for c in answer["items"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    assert seen == everything == sorted(everything)
    assert len(seen) == 6


def test_a_bad_cursor_or_an_overlong_search_is_refused(scene: Scene) -> None:
    assert scene.read("/v1/communities", cursor="nonsense").status_code == 422
    assert scene.read("/v1/communities", q="社" * 51).status_code == 422


def test_a_community_is_read_with_its_street_and_district(tree: Tree) -> None:
    found = tree.read(f"/v1/communities/{tree.community}", "street_organizer")
    assert found["street"] == "东风街道"
    assert found["district"] == "秦皇岛经济技术开发区"
    outside = tree.scene.read(f"/v1/communities/{tree.community}", "organizer_in")
    assert outside.status_code == 403
    unknown = tree.scene.read(f"/v1/communities/{tree.member}")
    assert unknown.status_code == 404

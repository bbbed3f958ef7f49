"""The reads the organiser console needs: what a token may show, and a
community's members searched by name or phone."""

from __future__ import annotations

import pytest

from tests.api.support import Scene
from tests.conftest import STORES

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "GET /v1/me/token": (
        "test_an_organizers_token_names_its_communities_with_their_names",
        "test_an_admins_token_names_no_places",
        "test_a_members_token_names_its_member",
    ),
}


def test_an_organizers_token_names_its_communities_with_their_names(
    scene: Scene,
) -> None:
    answer = scene.read("/v1/me/token", role="organizer_in").json()
    assert answer == {
        "role": "organizer",
        "member_id": None,
        "places": [{"kind": "community", "id": scene.community, "name": "幸福里社区"}],
    }


def test_an_admins_token_names_no_places(scene: Scene) -> None:
    answer = scene.read("/v1/me/token").json()
    assert answer == {"role": "admin", "member_id": None, "places": []}


def test_a_members_token_names_its_member(scene: Scene) -> None:
    answer = scene.read("/v1/me/token", role="member_self").json()
    assert answer == {"role": "member", "member_id": scene.member, "places": []}


@pytest.mark.parametrize("database_url", STORES, indirect=True)
def test_community_members_are_searched_by_name_or_phone(scene: Scene) -> None:
    url = f"/v1/communities/{scene.community}/members"

    def names(**params: str) -> list[str]:
        answer = scene.read(url, **params).json()
        return [m["name"] for m in answer["items"]]

    assert names(q="王") == ["王芳"]
    assert names(q="13900") == ["李娜"]
    assert names(q="1380013") == ["王芳"]
    assert names(q="张") == []
    assert sorted(names(q="1")) == ["李娜", "王芳"]


def test_a_member_search_pages_through_its_matches(scene: Scene) -> None:
    url = f"/v1/communities/{scene.community}/members"
    first = scene.read(url, q="1", limit=1).json()
    assert len(first["items"]) == 1
    second = scene.read(url, q="1", limit=1, cursor=first["next_cursor"]).json()
    assert len(second["items"]) == 1
    assert second["next_cursor"] is None
    assert first["items"][0]["id"] != second["items"][0]["id"]

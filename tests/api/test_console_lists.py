"""The lists the console shows (shared/API.md 1.2, "Files, console,
operations"): a community's redemptions by status, the published reports
each caller may see, newest first, and a team's members, a page at a time."""

from __future__ import annotations

from typing import Any

import pytest

from projections.paging import encode_cursor
from tests.api.redemption_support import earn, offer, redeem
from tests.api.support import Scene, ok, problem
from tests.api.tree_support import Tree
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "GET /v1/communities/{community_id}/redemptions": (
        "test_a_communitys_redemptions_are_listed_newest_first_by_status",
        "test_redemptions_are_paged_and_bad_filters_are_problems",
    ),
    "GET /v1/teams/{team_id}/members": (
        "test_a_teams_members_are_listed_with_the_dates_they_joined_and_left",
    ),
    "GET /v1/reports": (
        "test_reports_are_listed_to_admins_and_to_organizers_of_their_places",
        "test_reports_are_filtered_paged_and_bad_filters_are_problems",
    ),
}


# A cursor of our encoding whose key is not a position.
NOT_A_POSITION = encode_cursor(["abc"])


def redemptions(scene: Scene, role: str = "admin", **params: Any) -> dict[str, Any]:
    url = f"/v1/communities/{scene.community}/redemptions"
    return ok(scene.read(url, role, **params))


def cancel(scene: Scene, redemption: str) -> dict[str, Any]:
    url = f"/v1/redemptions/{redemption}/cancel"
    return scene.write("POST", url, {"reason": "物品有破损"})


def test_a_communitys_redemptions_are_listed_newest_first_by_status(
    scene: Scene, clock: Clock
) -> None:
    earn(scene, clock, "2026-02-20", 5)
    earn(scene, clock, "2026-02-21", 5)
    reward = offer(scene, points="20", stock=5)
    first = redeem(scene, reward, 2)
    second = redeem(scene, reward, role="member_self")
    cancel(scene, first["id"])

    listed = redemptions(scene, "organizer_in")
    assert listed["next_cursor"] is None
    assert [r["id"] for r in listed["items"]] == [second["id"], first["id"]]
    assert listed["items"][1] == {
        "id": first["id"],
        "member_id": scene.member,
        "name": "王芳",
        "reward_id": reward,
        "reward": "洗衣液一瓶",
        "community_id": scene.community,
        "quantity": 2,
        "points": "40.0",
        "status": "cancelled",
        "made_on": "2026-03-01",
        "cancelled_on": "2026-03-01",
        "reason": "物品有破损",
        "position": listed["items"][1]["position"],
    }
    assert 0 < listed["items"][1]["position"] <= first["position"]
    assert listed["items"][0]["status"] == "made"
    assert listed["items"][0]["cancelled_on"] is None
    made = redemptions(scene, status="made")["items"]
    assert [r["id"] for r in made] == [second["id"]]
    cancelled = redemptions(scene, status="cancelled")["items"]
    assert [r["id"] for r in cancelled] == [first["id"]]
    other = ok(scene.read(f"/v1/communities/{scene.other_community}/redemptions"))
    assert other == {"items": [], "next_cursor": None}


def test_redemptions_are_paged_and_bad_filters_are_problems(
    scene: Scene, clock: Clock
) -> None:
    earn(scene, clock, "2026-02-20", 5)
    reward = offer(scene, points="10", stock=5)
    made = [redeem(scene, reward)["id"] for _ in range(3)]

    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        listed = redemptions(scene, **params)
        seen += [r["id"] for r in listed["items"]]
        cursor = listed["next_cursor"]
        if cursor is None:
            break
    assert seen == made[::-1]

    url = f"/v1/communities/{scene.community}/redemptions"
    problem(scene.read(url, status="spent"), 422, "validation_error")
    problem(scene.read(url, cursor="not-a-cursor"), 422, "validation_error")
    problem(scene.read(url, cursor=NOT_A_POSITION), 422, "validation_error")
    problem(scene.read(url, limit=0), 422, "validation_error")
    problem(scene.read(url, "organizer_out"), 403, "forbidden")
    problem(scene.read(url, "member_self"), 403, "forbidden")
    unknown = "/v1/communities/00000000-0000-4000-8000-000000000000/redemptions"
    problem(scene.read(unknown), 404, "not_found")


def publish(scene: Scene, scope: str, scope_id: str | None, year: int) -> Any:
    body = {"scope": scope, "year": year} | ({"scope_id": scope_id} if scope_id else {})
    response = scene.client.post(
        "/v1/reports", json=body, headers=scene.headers("admin")
    )
    assert response.status_code == 201, response.text
    scene.position = int(response.headers["X-Event-Position"])
    return response.json()


def ids(listed: dict[str, Any]) -> list[str]:
    return [r["id"] for r in listed["items"]]


def test_reports_are_listed_to_admins_and_to_organizers_of_their_places(
    tree: Tree,
) -> None:
    scene = tree.scene
    everything = publish(scene, "all", None, 2026)
    district = publish(scene, "district", tree.district, 2026)
    street = publish(scene, "street", tree.street, 2026)
    community = publish(scene, "community", tree.community, 2025)
    grid = publish(scene, "grid", tree.grid, 2026)
    elsewhere = publish(scene, "community", scene.community, 2026)

    listed = tree.read("/v1/reports")
    assert ids(listed) == [
        elsewhere["id"],
        grid["id"],
        community["id"],
        street["id"],
        district["id"],
        everything["id"],
    ]
    assert listed["items"][3] == {
        "id": street["id"],
        "scope": "street",
        "scope_id": tree.street,
        "scope_name": "东风街道",
        "year": 2026,
        "as_of": street["as_of"],
        "position": street["position"],
        "published_at": street["published_at"],
        "head_digest": street["head_digest"],
    }
    named = {r["scope"]: r["scope_name"] for r in listed["items"][1:]}
    assert named == {
        "grid": "第一网格",
        "community": "海滨社区",
        "street": "东风街道",
        "district": "秦皇岛经济技术开发区",
        "all": None,
    }
    below_district = [grid["id"], community["id"], street["id"], district["id"]]
    assert ids(tree.read("/v1/reports", "district_organizer")) == below_district
    below_street = [grid["id"], community["id"], street["id"]]
    assert ids(tree.read("/v1/reports", "street_organizer")) == below_street
    assert ids(tree.read("/v1/reports", "elsewhere_organizer")) == []
    assert ids(tree.read("/v1/reports", "organizer_in")) == [elsewhere["id"]]
    problem(scene.read("/v1/reports", "member_self"), 403, "forbidden")
    problem(scene.read("/v1/reports", "anonymous"), 401, "unauthorized")


def test_reports_are_filtered_paged_and_bad_filters_are_problems(
    tree: Tree,
) -> None:
    scene = tree.scene
    first = publish(scene, "community", tree.community, 2025)
    second = publish(scene, "community", tree.community, 2026)
    third = publish(scene, "grid", tree.grid, 2026)
    publish(scene, "all", None, 2026)

    by_year = tree.read("/v1/reports", "street_organizer", year=2026)
    assert ids(by_year) == [third["id"], second["id"]]
    by_scope = tree.read("/v1/reports", scope="community", scope_id=tree.community)
    assert ids(by_scope) == [second["id"], first["id"]]
    page = tree.read("/v1/reports", "district_organizer", limit=2)
    assert ids(page) == [third["id"], second["id"]]
    rest = tree.read(
        "/v1/reports", "district_organizer", limit=2, cursor=page["next_cursor"]
    )
    assert ids(rest) == [first["id"]]
    assert rest["next_cursor"] is None

    problem(scene.read("/v1/reports", scope="town"), 422, "validation_error")
    problem(scene.read("/v1/reports", scope_id="42"), 422, "validation_error")
    problem(scene.read("/v1/reports", year="soon"), 422, "validation_error")
    problem(scene.read("/v1/reports", cursor="%%%"), 422, "validation_error")
    problem(scene.read("/v1/reports", cursor=NOT_A_POSITION), 422, "validation_error")


def test_a_teams_members_are_listed_with_the_dates_they_joined_and_left(
    scene: Scene, summer: Clock
) -> None:
    url = f"/v1/teams/{scene.team}/members"
    body = {"member_id": scene.other_member, "joined_on": "2026-04-01"}
    scene.write("POST", url, body, "organizer_in")
    scene.write("DELETE", f"{url}/{scene.member}?left_on=2026-05-15")

    listed = ok(scene.read(url, "organizer_in"))
    assert listed["next_cursor"] is None
    assert [m["name"] for m in listed["items"]] == ["王芳", "李娜"]
    assert listed["items"][0]["member_id"] == scene.member
    assert listed["items"][0]["left_on"] == "2026-05-15"
    assert listed["items"][1] == {
        "member_id": scene.other_member,
        "name": "李娜",
        "joined_on": "2026-04-01",
        "left_on": None,
    }
    page = ok(scene.read(url, limit=1))
    rest = ok(scene.read(url, limit=1, cursor=page["next_cursor"]))
    assert [m["name"] for m in page["items"] + rest["items"]] == ["王芳", "李娜"]
    assert rest["next_cursor"] is None

    problem(scene.read(url, cursor="bad"), 422, "validation_error")
    problem(scene.read(url, cursor=NOT_A_POSITION), 422, "validation_error")
    problem(scene.read(url, "organizer_out"), 403, "forbidden")
    problem(scene.read(url, "member_self"), 403, "forbidden")
    unknown = "/v1/teams/00000000-0000-4000-8000-000000000000/members"
    problem(scene.read(unknown), 404, "not_found")

"""Points redemption over HTTP (shared/API.md, redemption): rewards offered and
listed with their stock, redemptions that spend points and stock, by those who
may, once per key. Cancellations, expiry and the account are in
``test_redemption_accounts``. Every expected figure is counted by hand from
DESIGN's "Points redemption"."""

from __future__ import annotations

from uuid import uuid4

import pytest

from tests.api.redemption_support import (
    account,
    app_of,
    earn,
    offer,
    redeem,
    refused,
    rewards,
)
from tests.api.support import ADMIN_TOKEN, Scene, bearer, error_fields, problem
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/communities/{community_id}/rewards": (
        "test_an_organizer_offers_rewards_and_lists_them_with_their_stock",
        "test_bad_rewards_are_refused_and_record_nothing",
    ),
    "GET /v1/communities/{community_id}/rewards": (
        "test_an_organizer_offers_rewards_and_lists_them_with_their_stock",
    ),
    "POST /v1/rewards/{reward_id}/restock": (
        "test_an_organizer_offers_rewards_and_lists_them_with_their_stock",
        "test_bad_rewards_are_refused_and_record_nothing",
    ),
    "POST /v1/members/{member_id}/redemptions": (
        "test_a_redemption_spends_points_and_stock",
        "test_a_redemption_beyond_the_balance_is_insufficient_points",
        "test_the_last_item_in_stock_goes_once_then_out_of_stock",
        "test_redemptions_are_made_by_the_member_itself_or_an_organizer_covering_it",
        "test_a_redemption_retried_with_its_idempotency_key_has_one_effect",
        "test_a_negative_balance_refuses_redemptions_until_points_are_earned",
    ),
    "POST /v1/redemptions/{redemption_id}/cancel": (
        "test_a_cancellation_gives_points_and_stock_back_once",
        "test_points_come_back_with_their_original_expiry",
        "test_a_merge_moves_the_duplicates_account_to_the_survivor",
    ),
    "GET /v1/members/{member_id}/account": (
        "test_a_redemption_spends_points_and_stock",
        "test_points_expire_at_the_end_of_the_third_year_oldest_spent_first",
        "test_points_come_back_with_their_original_expiry",
        "test_spending_changes_no_annual_points_hours_or_figures",
    ),
}

ADMIN = bearer(ADMIN_TOKEN)


def test_an_organizer_offers_rewards_and_lists_them_with_their_stock(
    scene: Scene,
) -> None:
    answer = scene.write(
        "POST",
        f"/v1/communities/{scene.community}/rewards",
        {"name": " 洗衣液一瓶 ", "points": "30", "stock": 2},
        "organizer_in",
    )
    assert answer == {
        "id": answer["id"],
        "community_id": scene.community,
        "name": "洗衣液一瓶",
        "points": "30.0",
        "stock": 2,
        "position": answer["position"],
    }
    restocked = scene.write(
        "POST", f"/v1/rewards/{answer['id']}/restock", {"quantity": 3}, "organizer_in"
    )
    assert restocked["stock"] == 5
    for role in ("admin", "organizer_in", "member_self", "organizer_out"):
        assert rewards(scene, role) == [
            {
                "id": answer["id"],
                "community_id": scene.community,
                "name": "洗衣液一瓶",
                "points": "30.0",
                "stock": 5,
            }
        ]
    body = {"name": "大米", "points": "10", "stock": 1}
    url = f"/v1/communities/{scene.community}/rewards"
    for role in ("organizer_out", "member_self"):
        refused(scene, url, body, 403, "forbidden", role)
    restock = f"/v1/rewards/{answer['id']}/restock"
    refused(scene, restock, {"quantity": 1}, 403, "forbidden", "organizer_out")
    refused(scene, f"/v1/rewards/{uuid4()}/restock", {"quantity": 1}, 404, "not_found")


def test_bad_rewards_are_refused_and_record_nothing(scene: Scene) -> None:
    url = f"/v1/communities/{scene.community}/rewards"
    for points in ("0", "-5", "1.25", "abc", None):
        body = {"name": "大米", "points": points, "stock": 1}
        answer = refused(scene, url, body, 422, "validation_error")
        assert "points" in error_fields(answer)
    for stock in (-1, 1.5, "3", None):
        body = {"name": "大米", "points": "10", "stock": stock}
        refused(scene, url, body, 422, "validation_error")
    refused(
        scene, url, {"name": "", "points": "1", "stock": 1}, 422, "validation_error"
    )
    refused(
        scene,
        f"/v1/communities/{uuid4()}/rewards",
        {"name": "大米", "points": "1", "stock": 1},
        404,
        "not_found",
    )
    reward = offer(scene)
    for quantity in (0, -1, "2", 2.0):
        refused(
            scene,
            f"/v1/rewards/{reward}/restock",
            {"quantity": quantity},
            422,
            "validation_error",
        )


def test_a_redemption_spends_points_and_stock(scene: Scene, clock: Clock) -> None:
    # 王芳 earned 20.0 at the scene's 政策宣讲 (2 h) and earns 30.0 more.
    earn(scene, clock, "2026-02-10", 3)
    reward = offer(scene, points="12.5", stock=5)
    answer = redeem(scene, reward, quantity=2, role="member_self")
    assert answer == {
        "id": answer["id"],
        "member_id": scene.member,
        "reward_id": reward,
        "quantity": 2,
        "points": "25.0",
        "balance": "25.0",
        "position": answer["position"],
    }
    found = account(scene)
    assert {k: found[k] for k in ("balance", "earned", "spent", "expired")} == {
        "balance": "25.0",
        "earned": "50.0",
        "spent": "25.0",
        "expired": "0.0",
    }
    assert found["refunded"] == "0.0"
    assert found["expiring"] == [
        {"year": 2026, "points": "25.0", "expires_on": "2029-12-31"}
    ]
    assert [(e["type"], e["points"], e["date"]) for e in found["entries"]] == [
        ("earned", "30.0", "2026-02-10"),
        ("earned", "20.0", "2026-03-01"),
        ("spent", "-25.0", "2026-03-01"),
    ]
    positions = [e["position"] for e in found["entries"]]
    assert positions[1] < positions[2] <= answer["position"]
    assert rewards(scene)[0]["stock"] == 3


def test_a_redemption_beyond_the_balance_is_insufficient_points(scene: Scene) -> None:
    reward = offer(scene, points="15")
    url = f"/v1/members/{scene.member}/redemptions"
    answer = refused(
        scene, url, {"reward_id": reward, "quantity": 2}, 409, "insufficient_points"
    )
    assert "20.0" in answer["detail"]
    redeem(scene, reward)
    refused(
        scene, url, {"reward_id": reward, "quantity": 1}, 409, "insufficient_points"
    )
    assert account(scene)["balance"] == "5.0"
    unknown = {"reward_id": str(uuid4())}
    answer = refused(scene, url, unknown, 422, "unknown_reference")
    assert error_fields(answer) == {"reward_id"}
    for body in (
        {"reward_id": reward, "quantity": 0},
        {"quantity": 1},
        {"reward_id": reward, "quantity": "1"},
    ):
        refused(scene, url, body, 422, "validation_error")


def test_the_last_item_in_stock_goes_once_then_out_of_stock(scene: Scene) -> None:
    reward = offer(scene, points="1", stock=1)
    redeem(scene, reward)
    url = f"/v1/members/{scene.member}/redemptions"
    refused(scene, url, {"reward_id": reward}, 409, "out_of_stock")
    assert rewards(scene)[0]["stock"] == 0
    assert account(scene)["balance"] == "19.0"


def test_redemptions_are_made_by_the_member_itself_or_an_organizer_covering_it(
    scene: Scene,
) -> None:
    reward = offer(scene, points="1", stock=10)
    for role in ("member_self", "organizer_in", "admin"):
        redeem(scene, reward, role=role)
    url = f"/v1/members/{scene.member}/redemptions"
    for role in ("member_other", "organizer_out"):
        refused(scene, url, {"reward_id": reward}, 403, "forbidden", role)
    refused(scene, url, {"reward_id": reward}, 401, "unauthorized", "anonymous")
    refused(
        scene,
        f"/v1/members/{uuid4()}/redemptions",
        {"reward_id": reward},
        404,
        "not_found",
    )
    response = scene.read(f"/v1/members/{scene.member}/account", "member_other")
    problem(response, 403, "forbidden")


def test_a_redemption_retried_with_its_idempotency_key_has_one_effect(
    scene: Scene,
) -> None:
    reward = offer(scene, points="5", stock=10)
    headers = ADMIN | {"Idempotency-Key": "redeem-once"}
    url = f"/v1/members/{scene.member}/redemptions"
    first = scene.client.post(url, json={"reward_id": reward}, headers=headers)
    assert first.status_code == 201, first.text
    again = scene.client.post(url, json={"reward_id": reward}, headers=headers)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    scene.position = app_of(scene).position()
    assert account(scene)["spent"] == "5.0"
    assert rewards(scene)[0]["stock"] == 9

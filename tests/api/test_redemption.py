"""Points redemption over HTTP (shared/API.md, redemption): rewards and stock,
redemptions that never overspend, cancellation once, expiry oldest first, and
the account with every movement. Every expected figure is counted by hand from
DESIGN's "Points redemption"."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.auth import BOOTSTRAP_ADMIN
from tests.api.support import (
    ADMIN_TOKEN,
    Scene,
    activity_body,
    bearer,
    error_fields,
    problem,
)
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
REASON = "退货"


def app_of(scene: Scene) -> Any:
    return scene.client.app.state.system.app


def earn(scene: Scene, clock: Clock, day: str, hours: int, member: str = "") -> str:
    """An activity on ``day`` (clock moved there and back) at which the member
    (王芳 unless told) earns 10 points an hour."""
    app, actor = app_of(scene), BOOTSTRAP_ADMIN
    now = clock.now
    body = activity_body(
        scene.team, day, title=f"{day} 宣讲", ends_at=f"{day}T14:00:00+08:00"
    )
    activity = app.schedule_activity(
        title=body["title"],
        team_id=UUID(scene.team),
        category=body["category"],
        starts_at=datetime.fromisoformat(body["starts_at"]),
        ends_at=datetime.fromisoformat(body["ends_at"]),
        actor=actor,
    ).id
    clock.now = datetime.fromisoformat(body["ends_at"]).astimezone(UTC)
    member_id = UUID(member or scene.member)
    app.record_attendance(activity, [(member_id, Decimal(hours))], actor)
    clock.now = max(now, clock.now)
    scene.position = app.position()
    return str(activity)


def offer(
    scene: Scene, points: str = "30", stock: int = 10, role: str = "admin"
) -> str:
    body = {"name": "洗衣液一瓶", "points": points, "stock": stock}
    url = f"/v1/communities/{scene.community}/rewards"
    return str(scene.write("POST", url, body, role)["id"])


def redeem(
    scene: Scene, reward: str, quantity: int = 1, role: str = "admin", member: str = ""
) -> dict[str, Any]:
    url = f"/v1/members/{member or scene.member}/redemptions"
    return scene.write("POST", url, {"reward_id": reward, "quantity": quantity}, role)


def account(scene: Scene, member: str = "") -> dict[str, Any]:
    response = scene.read(f"/v1/members/{member or scene.member}/account")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def refused(
    scene: Scene, url: str, body: Any, status: int, code: str, role: str = "admin"
) -> dict[str, Any]:
    app = app_of(scene)
    before = app.position()
    response = scene.client.post(url, json=body, headers=scene.headers(role))
    answer = problem(response, status, code)
    assert app.position() == before
    return answer


def rewards(scene: Scene, role: str = "admin") -> list[dict[str, Any]]:
    response = scene.read(f"/v1/communities/{scene.community}/rewards", role)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


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


def test_a_cancellation_gives_points_and_stock_back_once(scene: Scene) -> None:
    reward = offer(scene, points="8", stock=3)
    made = redeem(scene, reward)
    url = f"/v1/redemptions/{made['id']}/cancel"
    for role in ("member_self", "organizer_out"):
        refused(scene, url, {"reason": REASON}, 403, "forbidden", role)
    refused(scene, url, {}, 422, "validation_error")
    answer = scene.write("POST", url, {"reason": REASON}, "organizer_in")
    assert answer == {
        "id": made["id"],
        "member_id": scene.member,
        "status": "cancelled",
        "points": "8.0",
        "reason": REASON,
        "balance": "20.0",
        "position": answer["position"],
    }
    refused(scene, url, {"reason": REASON}, 409, "already_cancelled")
    found = account(scene)
    assert (found["balance"], found["spent"], found["refunded"]) == (
        "20.0",
        "8.0",
        "8.0",
    )
    assert [e["type"] for e in found["entries"]] == ["earned", "spent", "refunded"]
    assert found["entries"][-1]["reason"] == REASON
    assert rewards(scene)[0]["stock"] == 3
    refused(
        scene, f"/v1/redemptions/{uuid4()}/cancel", {"reason": REASON}, 404, "not_found"
    )


def test_points_expire_at_the_end_of_the_third_year_oldest_spent_first(
    scene: Scene, clock: Clock
) -> None:
    # 20.0 earned on 2026-03-01 (the scene); 10.0 in 2023, 40.0 in 2024.
    earn(scene, clock, "2023-05-01", 1)
    earn(scene, clock, "2024-05-01", 4)
    found = account(scene)
    # Today is 2026-03-01: 2023's points last until 2026-12-31.
    assert found["balance"] == "70.0"
    assert found["expiring"] == [
        {"year": 2023, "points": "10.0", "expires_on": "2026-12-31"},
        {"year": 2024, "points": "40.0", "expires_on": "2027-12-31"},
        {"year": 2026, "points": "20.0", "expires_on": "2029-12-31"},
    ]
    reward = offer(scene, points="25")
    redeem(scene, reward)  # 10.0 from 2023, 15.0 from 2024
    assert [(e["year"], e["points"]) for e in account(scene)["expiring"]] == [
        (2024, "25.0"),
        (2026, "20.0"),
    ]
    clock.now = datetime(2028, 1, 1, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
    found = account(scene)
    assert (found["balance"], found["expired"]) == ("20.0", "25.0")
    assert found["entries"][-1] == {
        "type": "expired",
        "points": "-25.0",
        "date": "2027-12-31",
        "position": None,
        "reason": None,
    }


def test_points_come_back_with_their_original_expiry(
    scene: Scene, clock: Clock
) -> None:
    earn(scene, clock, "2024-05-01", 3)  # 30.0 from 2024, expiring 2027-12-31
    reward = offer(scene, points="30")
    made = redeem(scene, reward)  # all of 2024's
    clock.now = datetime(2028, 2, 1, 2, 0, tzinfo=UTC)
    scene.write("POST", f"/v1/redemptions/{made['id']}/cancel", {"reason": REASON})
    found = account(scene)
    # 2024's 30.0 came back after 2027-12-31: expired. 2026's 20.0 stand.
    assert (found["balance"], found["expired"], found["refunded"]) == (
        "20.0",
        "30.0",
        "30.0",
    )


def test_spending_changes_no_annual_points_hours_or_figures(scene: Scene) -> None:
    before = scene.read(f"/v1/members/{scene.member}/points", year=2026).json()
    stats = scene.read(f"/v1/communities/{scene.community}/stats", year=2026).json()
    reward = offer(scene, points="20")
    redeem(scene, reward)
    after = scene.read(f"/v1/members/{scene.member}/points", year=2026).json()
    assert after == before
    assert (
        scene.read(f"/v1/communities/{scene.community}/stats", year=2026).json()
        == stats
    )
    assert account(scene)["balance"] == "0.0"


def test_a_negative_balance_refuses_redemptions_until_points_are_earned(
    scene: Scene, clock: Clock
) -> None:
    reward = offer(scene, points="15")
    redeem(scene, reward)  # 5.0 left of 2026's 20.0
    app = app_of(scene)
    app.revoke_attendance(
        UUID(scene.started), UUID(scene.member), "登记错误", BOOTSTRAP_ADMIN
    )
    scene.position = app.position()
    assert account(scene)["balance"] == "-15.0"
    cheap = offer(scene, points="0.1")
    url = f"/v1/members/{scene.member}/redemptions"
    refused(scene, url, {"reward_id": cheap}, 409, "insufficient_points")
    earn(scene, clock, "2026-02-20", 2)
    assert account(scene)["balance"] == "5.0"
    assert redeem(scene, cheap)["balance"] == "4.9"


def test_a_merge_moves_the_duplicates_account_to_the_survivor(
    scene: Scene, clock: Clock
) -> None:
    app = app_of(scene)
    duplicate = str(
        app.register_member(
            "王芳", UUID(scene.community), True, BOOTSTRAP_ADMIN, phone="13700137000"
        ).id
    )
    earn(scene, clock, "2026-02-10", 3, member=duplicate)  # 30.0 for the duplicate
    reward = offer(scene, points="25")
    made = redeem(scene, reward, member=duplicate)
    assert made["balance"] == "5.0"
    body = {"duplicate_id": duplicate, "reason": "同一人重复登记"}
    scene.write("POST", f"/v1/members/{scene.member}/merge", body)
    # 王芳: her own 20.0 and the duplicate's 30.0, less the 25.0 it spent.
    found = account(scene)
    assert (found["balance"], found["earned"], found["spent"]) == (
        "25.0",
        "50.0",
        "25.0",
    )
    assert account(scene, duplicate)["balance"] == "0.0"
    url = f"/v1/members/{duplicate}/redemptions"
    refused(scene, url, {"reward_id": reward}, 409, "member_merged")
    cancelled = scene.write(
        "POST", f"/v1/redemptions/{made['id']}/cancel", {"reason": REASON}
    )
    assert cancelled["balance"] == "50.0"
    assert account(scene)["balance"] == "50.0"

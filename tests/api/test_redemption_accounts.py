"""A member's points account over HTTP: a cancellation gives points and stock
back once, points expire oldest first at the end of their third year, and
spending changes no figure; a merge moves the account to the survivor. Every
expected figure is counted by hand from DESIGN's "Points redemption"."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from api.auth import BOOTSTRAP_ADMIN
from tests.api.redemption_support import (
    account,
    app_of,
    earn,
    offer,
    redeem,
    refused,
    rewards,
)
from tests.api.support import Scene
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

REASON = "退货"


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

"""积分兑换: rewards exchanged for points, the oldest unexpired first; a
cancellation gives points and stock back once."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from pytest_bdd import given, then, when

from domain.results import Redeemed
from tests.bdd.drivers import ReadSide, World, schedule
from tests.bdd.vocabulary import rows_are, shanghai, step, table_rows
from tests.conftest import Clock

TEAM = "夕阳红志愿服务队"
ACCOUNT = {
    "余额": "balance",
    "挣得": "earned",
    "用去": "spent",
    "作废": "expired",
    "退回": "refunded",
}


@pytest.fixture
def redeemed() -> dict[str, Redeemed]:
    """The last redemption of each member, by name."""
    return {}


def account(world: World, read_side: ReadSide, member: str) -> dict[str, Any]:
    app = world.app
    queries = read_side.caught_up()
    found: dict[str, Any] = queries.account(
        str(world.id(member)), app.today(), app.points_valid_years
    )
    return found


def redeem(
    world: World,
    read_side: ReadSide,
    redeemed: dict[str, Redeemed],
    member: str,
    quantity: int,
    reward: str,
) -> None:
    """Redeems as the API does: on the points earned, every event projected."""
    member_id = world.id(member)
    earned = read_side.caught_up().earned_by_year(str(member_id))
    result = world.attempt(
        world.app.redeem, member_id, world.id(reward), quantity, earned, world.actor
    )
    if result is not None:
        redeemed[member] = result


def activity_of(day: date) -> str:
    return f"{day} 的活动"


@given(
    step(
        '"{community}"的爱心超市上架"{name}"，每件 {points:Dec} 积分，库存 {stock:d} 件'
    )
)
def reward_offered(
    world: World, community: str, name: str, points: Decimal, stock: int
) -> None:
    world.make(
        name,
        world.app.offer_reward,
        world.id(community),
        name,
        points,
        stock,
        world.actor,
    )


@given(step('"{member}"在 {day:Date} 的活动中挣得 {points:Dec} 积分'))
def points_earned(
    world: World, clock: Clock, member: str, day: date, points: Decimal
) -> None:
    """An activity of fixed points on that day, attended: the clock is moved to
    its end to record the attendance, and stays there if it was earlier."""
    schedule(
        world,
        TEAM,
        activity_of(day),
        shanghai(day, time(9, 0)),
        shanghai(day, time(11, 0)),
        fixed_points=points,
    )
    before = clock.now
    clock.now = shanghai(day, time(11, 30))
    world.app.record_attendance(
        world.id(activity_of(day)), [(world.id(member), Decimal(1))], world.actor
    )
    clock.now = max(before, clock.now)


@when(step('"{member}"兑换 {quantity:d} 件"{reward}"'))
def member_redeems(
    world: World,
    read_side: ReadSide,
    redeemed: dict[str, Redeemed],
    member: str,
    quantity: int,
    reward: str,
) -> None:
    redeem(world, read_side, redeemed, member, quantity, reward)


@given(step('"{member}"已兑换 {quantity:d} 件"{reward}"'))
def member_redeemed(
    world: World,
    read_side: ReadSide,
    redeemed: dict[str, Redeemed],
    member: str,
    quantity: int,
    reward: str,
) -> None:
    redeem(world, read_side, redeemed, member, quantity, reward)
    world.check_no_unexpected_refusal()


@then(step('"{member}"兑换 {quantity:d} 件"{reward}"被拒绝，错误代码为"{code}"'))
def redemption_refused(
    world: World,
    read_side: ReadSide,
    redeemed: dict[str, Redeemed],
    member: str,
    quantity: int,
    reward: str,
    code: str,
) -> None:
    redeem(world, read_side, redeemed, member, quantity, reward)
    assert world.error is not None, "兑换没有被拒绝"
    world.error_seen = True
    assert world.error.code == code, world.error.message
    assert world.app.position() == world.before


@then(step("兑换成功，用去 {points} 积分，余额 {balance}"))
def redemption_made(
    world: World, redeemed: dict[str, Redeemed], points: str, balance: str
) -> None:
    world.check_no_unexpected_refusal()
    last = list(redeemed.values())[-1]
    assert (f"{last.points:.1f}", f"{last.balance:.1f}") == (points, balance)


@when(step('取消"{member}"的兑换，原因是"{reason}"'))
def cancel(
    world: World,
    read_side: ReadSide,
    redeemed: dict[str, Redeemed],
    member: str,
    reason: str,
) -> None:
    earned = read_side.caught_up().earned_by_year(str(world.id(member)))
    world.attempt(
        world.app.cancel_redemption, redeemed[member].id, reason, earned, world.actor
    )


@when(step('撤销"{member}"在 {day:Date} 的活动中的积分，原因是"{reason}"'))
def revoke(world: World, member: str, day: date, reason: str) -> None:
    world.attempt(
        world.app.revoke_attendance,
        world.id(activity_of(day)),
        world.id(member),
        reason,
        world.actor,
    )


@then(step('"{member}"的积分账户是：'))
def account_is(
    world: World, read_side: ReadSide, member: str, datatable: list[list[str]]
) -> None:
    found = account(world, read_side, member)
    rows_are(datatable, [{k: found[v] for k, v in ACCOUNT.items()}])


@then(step('"{member}"将要作废的积分是：'))
def expiring_is(
    world: World, read_side: ReadSide, member: str, datatable: list[list[str]]
) -> None:
    found = account(world, read_side, member)["expiring"]
    items = [
        {"年份": str(e["year"]), "积分": e["points"], "到期日": e["expires_on"]}
        for e in found
    ]
    assert table_rows(datatable) == items


@then(step('"{member}"的积分余额是 {balance}'))
def balance_is(world: World, read_side: ReadSide, member: str, balance: str) -> None:
    world.check_no_unexpected_refusal()
    assert account(world, read_side, member)["balance"] == balance


@then(step('"{reward}"的库存是 {stock:d} 件'))
def stock_is(world: World, read_side: ReadSide, reward: str, stock: int) -> None:
    reward_id = world.id(reward)
    community = str(world.app.reward(reward_id).community_id)
    items = read_side.caught_up().rewards(community, 50, None)["items"]
    [found] = [r for r in items if r["id"] == str(reward_id)]
    assert found["stock"] == stock
    assert world.app.reward(UUID(found["id"])).stock == stock

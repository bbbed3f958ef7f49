"""取消活动: a cancelled activity awards nothing and revokes what it had."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from tests.bdd.conftest import World, names

scenarios("取消活动.feature")


@when(parsers.parse('取消"{activity}"，但不说明原因'))
def cancel_without_reason(world: World, activity: str) -> None:
    world.attempt(
        lambda: world.app.cancel_activity(world.id(activity), " ", world.actor)
    )


@then(parsers.parse('取消事件撤销了"{members}"的参加记录'))
def cancellation_revoked(world: World, members: str) -> None:
    (cancelled,) = world.new_events()
    expected = {world.id(name) for name in names(members)}
    assert set(cancelled.revoked_member_ids) == expected

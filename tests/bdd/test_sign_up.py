"""活动报名: signing up and withdrawing before the start, within capacity."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from tests.bdd.conftest import World, names

scenarios("活动报名.feature")


@given(parsers.parse('"{member}"已报名"{activity}"'))
def signed_up(world: World, member: str, activity: str) -> None:
    world.app.sign_up(world.id(activity), world.id(member), world.actor)


@when(parsers.parse('"{member}"报名"{activity}"'))
def sign_up(world: World, member: str, activity: str) -> None:
    world.attempt(
        lambda: world.app.sign_up(world.id(activity), world.id(member), world.actor)
    )


@when(parsers.parse('"{member}"取消报名"{activity}"'))
def withdraw(world: World, member: str, activity: str) -> None:
    world.attempt(
        lambda: world.app.withdraw(world.id(activity), world.id(member), world.actor)
    )


@then(parsers.parse('"{activity}"的报名名单是"{members}"'))
def signups(world: World, activity: str, members: str) -> None:
    expected = {world.id(name) for name in names(members)}
    assert world.app.activity(world.id(activity)).signups == expected

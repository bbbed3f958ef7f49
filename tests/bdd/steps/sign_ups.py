"""活动报名: signing up and withdrawing, by an organiser for a member, or
through the API by the member for themselves."""

from __future__ import annotations

from pytest_bdd import given, then, when

from tests.bdd.drivers import ORGANIZER, Journey, World
from tests.bdd.vocabulary import given_or_when, names, step


@given(step('"{member}"已报名"{activity}"'))
def signed_up(world: World, member: str, activity: str) -> None:
    world.app.sign_up(world.id(activity), world.id(member), world.actor)


@when(step('"{member:Name}"报名"{activity}"'))
def sign_up(world: World, member: str, activity: str) -> None:
    world.attempt(
        lambda: world.app.sign_up(world.id(activity), world.id(member), world.actor)
    )


@when(step('"{member}"取消报名"{activity}"'))
def withdraw(world: World, member: str, activity: str) -> None:
    world.attempt(
        lambda: world.app.withdraw(world.id(activity), world.id(member), world.actor)
    )


@then(step('"{activity}"的报名名单是"{members}"'))
def signups(world: World, activity: str, members: str) -> None:
    expected = {world.id(name) for name in names(members)}
    assert world.app.activity(world.id(activity)).signups == expected


# A member's own requests through the API.


@given_or_when('"{member}"给自己报名"{activity}"')
def sign_up_oneself(journey: Journey, member: str, activity: str) -> None:
    url = f"/v1/activities/{journey.id(activity)}/signups"
    journey.send(member, "POST", url, {"member_id": journey.id(member)})


@when(step('"{member}"给"{other}"报名"{activity}"'))
def sign_up_someone_else(
    journey: Journey, member: str, other: str, activity: str
) -> None:
    url = f"/v1/activities/{journey.id(activity)}/signups"
    journey.send(member, "POST", url, {"member_id": journey.id(other)})


@when(step('"{member}"给自己取消报名"{activity}"'))
def withdraw_oneself(journey: Journey, member: str, activity: str) -> None:
    url = f"/v1/activities/{journey.id(activity)}/signups/{journey.id(member)}"
    journey.send(member, "DELETE", url)


@then(step('"{activity}"有 {count:d} 人报名'))
def signup_count(journey: Journey, activity: str, count: int) -> None:
    answer = journey.read(ORGANIZER, f"/v1/activities/{journey.id(activity)}").json()
    assert answer["signups"] == count

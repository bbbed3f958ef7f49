"""志愿服务队: founding, joining, leaving and dissolving teams, on a date or
today, and through the API."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from pytest_bdd import given, then, when

from tests.bdd.drivers import Journey, World
from tests.bdd.vocabulary import given_or_when, names, step


def found(world: World, team: str, community: str, day: date | None) -> None:
    world.make(
        team,
        world.app.found_team,
        team,
        world.id(community),
        world.actor,
        founded_on=day,
    )


def join(world: World, member: str, team: str, day: date | None) -> None:
    world.attempt(
        world.app.join_team,
        world.id(team),
        world.id(member),
        world.actor,
        joined_on=day,
    )


@given(step('"{community}"已成立"{team}"'))
def team_founded(world: World, community: str, team: str) -> None:
    world.ids[team] = world.app.found_team(team, world.id(community), world.actor).id


@given(step('"{member}"已加入"{team}"'))
def member_joined(world: World, member: str, team: str) -> None:
    world.app.join_team(world.id(team), world.id(member), world.actor)


@given(step('"{team}"已解散'))
def team_dissolved(world: World, team: str) -> None:
    world.app.dissolve_team(world.id(team), "队员已合并到其他服务队", world.actor)


@when(step('在"{community}"成立"{team}"'))
def found_team(world: World, community: str, team: str) -> None:
    found(world, team, community, None)


@when(step('在未登记的社区成立"{team}"'))
def found_team_in_unknown_community(world: World, team: str) -> None:
    world.attempt(lambda: world.app.found_team(team, uuid4(), world.actor))


@when(step('"{member}"加入"{team}"'))
def join_team(world: World, member: str, team: str) -> None:
    join(world, member, team, None)


@when(step('"{member}"退出"{team}"'))
def leave_team(world: World, member: str, team: str) -> None:
    world.attempt(
        lambda: world.app.leave_team(world.id(team), world.id(member), world.actor)
    )


@when(step('解散"{team}"，原因是"{reason}"'))
def dissolve_team(world: World, team: str, reason: str) -> None:
    world.attempt(lambda: world.app.dissolve_team(world.id(team), reason, world.actor))


# On a date.


@given_or_when('"{team}"于 {day:Date} 在"{community}"成立')
def founded_on(world: World, team: str, day: date, community: str) -> None:
    found(world, team, community, day)


@given_or_when('"{member}"于 {day:Date} 加入"{team}"')
def joined_on(world: World, member: str, day: date, team: str) -> None:
    join(world, member, team, day)


@given_or_when('"{member}"于 {day:Date} 退出"{team}"')
def left_team_on(world: World, member: str, day: date, team: str) -> None:
    world.attempt(
        world.app.leave_team, world.id(team), world.id(member), world.actor, left_on=day
    )


@given_or_when('"{team}"于 {day:Date} 解散')
def dissolved_on(world: World, team: str, day: date) -> None:
    reason = "队员已并入其他服务队"
    world.attempt(
        world.app.dissolve_team, world.id(team), reason, world.actor, dissolved_on=day
    )


@then(step('"{team}"的队员是"{members}"'))
def team_members(world: World, team: str, members: str) -> None:
    expected = {world.id(name) for name in names(members)}
    assert set(world.app.team(world.id(team)).members) == expected


@then(step('"{team}"没有队员'))
def team_without_members(world: World, team: str) -> None:
    assert world.app.team(world.id(team)).members == {}


@then(step('"{team}"已经解散'))
def team_is_dissolved(world: World, team: str) -> None:
    assert world.app.team(world.id(team)).dissolved


# Through the API.


@given_or_when('{who:Role}{done:Done}在"{community}"成立服务队"{team}"')
def team_founded_by(
    journey: Journey, who: str, done: bool, community: str, team: str
) -> None:
    body = {"name": team, "community_id": journey.id(community)}
    response = journey.post(who, "/v1/teams", body, done=done)
    journey.remember(team, response, "team")


@given_or_when('{who:Role}{done:Done}把"{member}"加入"{team}"')
def member_joined_by(
    journey: Journey, who: str, done: bool, member: str, team: str
) -> None:
    url = f"/v1/teams/{journey.id(team)}/members"
    journey.post(who, url, {"member_id": journey.id(member)}, done=done)

"""志愿服务队: founding, joining, leaving and dissolving teams."""

from __future__ import annotations

from uuid import uuid4

from pytest_bdd import given, parsers, scenarios, then, when

from tests.bdd.conftest import World, found, join, names

scenarios("志愿服务队.feature")


@given(parsers.parse('"{member}"已加入"{team}"'))
def member_joined(world: World, member: str, team: str) -> None:
    world.app.join_team(world.id(team), world.id(member), world.actor)


@given(parsers.parse('"{team}"已解散'))
def team_dissolved(world: World, team: str) -> None:
    world.app.dissolve_team(world.id(team), "队员已合并到其他服务队", world.actor)


@when(parsers.parse('在"{community}"成立"{team}"'))
def found_team(world: World, community: str, team: str) -> None:
    found(world, team, community, None)


@when(parsers.parse('在未登记的社区成立"{team}"'))
def found_team_in_unknown_community(world: World, team: str) -> None:
    world.attempt(lambda: world.app.found_team(team, uuid4(), world.actor))


@when(parsers.parse('"{member}"加入"{team}"'))
def join_team(world: World, member: str, team: str) -> None:
    join(world, member, team, None)


@when(parsers.parse('"{member}"退出"{team}"'))
def leave_team(world: World, member: str, team: str) -> None:
    world.attempt(
        lambda: world.app.leave_team(world.id(team), world.id(member), world.actor)
    )


@when(parsers.parse('解散"{team}"，原因是"{reason}"'))
def dissolve_team(world: World, team: str, reason: str) -> None:
    world.attempt(lambda: world.app.dissolve_team(world.id(team), reason, world.actor))


@then(parsers.parse('"{team}"的队员是"{members}"'))
def team_members(world: World, team: str, members: str) -> None:
    expected = {world.id(name) for name in names(members)}
    assert set(world.app.team(world.id(team)).members) == expected


@then(parsers.parse('"{team}"没有队员'))
def team_without_members(world: World, team: str) -> None:
    assert world.app.team(world.id(team)).members == {}


@then(parsers.parse('"{team}"已经解散'))
def team_is_dissolved(world: World, team: str) -> None:
    assert world.app.team(world.id(team)).dissolved

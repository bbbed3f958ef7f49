"""双报到: units report to several communities, members to exactly one."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from pytest_bdd import given, parsers, scenarios, then, when

from domain.member import Member
from tests.bdd.conftest import TYPES, World, names

scenarios("双报到.feature")


def report(world: World, who: str, community_id: UUID, day: date) -> None:
    reporter = world.app.repository.get(world.id(who))
    command = (
        world.app.double_report_member
        if isinstance(reporter, Member)
        else world.app.double_report_unit
    )
    command(world.id(who), community_id, day, world.actor)


@given(parsers.parse('"{who}"已于 {day:Date} 向"{community}"报到', extra_types=TYPES))
def reported(world: World, who: str, day: date, community: str) -> None:
    report(world, who, world.id(community), day)


@when(parsers.parse('"{who}"于 {day:Date} 向"{community}"报到', extra_types=TYPES))
def reports(world: World, who: str, day: date, community: str) -> None:
    world.attempt(lambda: report(world, who, world.id(community), day))


@when(parsers.parse('"{who}"于 {day:Date} 向未登记的社区报到', extra_types=TYPES))
def reports_to_unknown_community(world: World, who: str, day: date) -> None:
    world.attempt(lambda: report(world, who, uuid4(), day))


@then(parsers.parse('"{who}"的报到社区是"{communities}"'))
def reported_to(world: World, who: str, communities: str) -> None:
    reporter = world.app.repository.get(world.id(who))
    expected = [world.id(name) for name in names(communities)]
    if isinstance(reporter, Member):
        assert [reporter.reported_to] == expected
    else:
        assert set(reporter.reported_to) == set(expected)


@then(parsers.parse('"{member}"仍登记在"{community}"'))
def still_registered_in(world: World, member: str, community: str) -> None:
    assert world.app.member(world.id(member)).community_id == world.id(community)


@then(parsers.parse('这次报到结束了在"{community}"的报到'))
def earlier_report_ended(world: World, community: str) -> None:
    (moved,) = world.new_events()
    assert moved.previous_community_id == world.id(community)

"""双报到: units' party organisations report to one or more communities (组织报到),
party members to exactly one (个人报到); and the read side's count of both."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from pytest_bdd import then, when

from domain.member import Member
from tests.bdd.drivers import ReadSide, World
from tests.bdd.vocabulary import given_or_when, names, step


@given_or_when('"{member}"于 {day:Date} 向"{community}"个人报到')
def member_reported_on(world: World, member: str, day: date, community: str) -> None:
    world.attempt(
        world.app.double_report_member,
        world.id(member),
        world.id(community),
        day,
        world.actor,
    )


@given_or_when('"{member}"于 {day:Date} 结束个人报到')
def member_report_ended_on(world: World, member: str, day: date) -> None:
    world.attempt(
        world.app.end_member_double_report, world.id(member), world.actor, ended_on=day
    )


@given_or_when('"{unit}"于 {day:Date} 向"{community}"组织报到')
def unit_reported_on(world: World, unit: str, day: date, community: str) -> None:
    world.attempt(
        world.app.double_report_unit,
        world.id(unit),
        world.id(community),
        day,
        world.actor,
    )


@given_or_when('"{unit}"于 {day:Date} 结束向"{community}"的组织报到')
def unit_report_ended_on(world: World, unit: str, day: date, community: str) -> None:
    world.attempt(
        world.app.end_unit_double_report,
        world.id(unit),
        world.id(community),
        world.actor,
        ended_on=day,
    )


@when(step('"{member}"于 {day:Date} 向未登记的社区个人报到'))
def member_reports_to_unknown_community(world: World, member: str, day: date) -> None:
    world.attempt(
        world.app.double_report_member, world.id(member), uuid4(), day, world.actor
    )


@when(step('"{unit}"于 {day:Date} 向未登记的社区组织报到'))
def unit_reports_to_unknown_community(world: World, unit: str, day: date) -> None:
    world.attempt(
        world.app.double_report_unit, world.id(unit), uuid4(), day, world.actor
    )


@then(step('"{who}"的报到社区是"{communities}"'))
def reported_to(world: World, who: str, communities: str) -> None:
    reporter = world.app.repository.get(world.id(who))
    expected = [world.id(name) for name in names(communities)]
    if isinstance(reporter, Member):
        assert [reporter.reported_to] == expected
    else:
        assert set(reporter.reported_to) == set(expected)


@then(step('"{member}"仍登记在"{community}"'))
def still_registered_in(world: World, member: str, community: str) -> None:
    assert world.app.member(world.id(member)).community_id == world.id(community)


@then(step('这次报到结束了在"{community}"的报到'))
def earlier_report_ended(world: World, community: str) -> None:
    (moved,) = world.new_events()
    assert moved.previous_community_id == world.id(community)


# As the read side counts them.


@then(step('"{member}"现在报到的社区是"{community}"，报到日期是 {day:Date}'))
def member_reports_to(
    world: World, read_side: ReadSide, member: str, community: str, day: date
) -> None:
    record = read_side.caught_up().member(str(world.id(member)))
    assert record is not None
    assert record["double_report"] == {
        "community_id": str(world.id(community)),
        "reported_on": day.isoformat(),
    }


@then(step('"{community}"的报到党员是"{members}"'))
def reported_members_are(
    world: World, read_side: ReadSide, community: str, members: str
) -> None:
    reports = read_side.caught_up().community_double_reports(str(world.id(community)))
    assert [m["name"] for m in reports["members"]] == names(members)


@then(step('"{unit}"报到的社区是"{communities}"'))
def unit_reports_to(
    world: World, read_side: ReadSide, unit: str, communities: str
) -> None:
    reports = read_side.caught_up().unit_double_reports(str(world.id(unit)))
    expected = [str(world.id(name)) for name in names(communities)]
    assert [c["community_id"] for c in reports["communities"]] == expected

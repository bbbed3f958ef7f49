"""Figures true to time: business dates on every dated fact, and every figure
of a year as of a date. Steps give commands to the application and read the
figures through ``Queries``; the shared steps are in ``conftest``."""

from __future__ import annotations

from datetime import date, time

from pytest_bdd import given, scenarios, when

from tests.bdd.conftest import World, found, join, register, schedule, shanghai, step

scenarios(
    "按日期统计.feature",
    "业务日期.feature",
    "按日期计人.feature",
    "志愿者的年度数字.feature",
)


@given(
    step(
        '"{team}"已安排活动"{title}"，时间为 {day:Date} {start:Time} '
        "至 {end_day:Date} {end:Time}"
    )
)
def activity_over_days(
    world: World,
    team: str,
    title: str,
    day: date,
    start: time,
    end_day: date,
    end: time,
) -> None:
    starts_at, ends_at = shanghai(day, start), shanghai(end_day, end)
    schedule(world, team, title, starts_at, ends_at, category="应急值守")


# Commands that give no date: the fact takes effect today.


@when(step('在"{community}"成立"{team}"，不写日期'))
def found_today(world: World, community: str, team: str) -> None:
    found(world, team, community, None)


@when(step('"{name}"在"{community}"注册，不写日期'))
def register_today(world: World, name: str, community: str) -> None:
    register(world, name, community, None, None)


@when(step('"{member}"加入"{team}"，不写日期'))
def join_today(world: World, member: str, team: str) -> None:
    join(world, member, team, None)

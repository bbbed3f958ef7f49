"""The published figures: 人次, annual points, 人均年积分, revocations and
cancellations, double-report counts. Steps give commands to the application and
read the figures through ``Queries`` once the projector has caught up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from parse import with_pattern
from pytest_bdd import given, parsers, scenarios, then, when

from domain.application import VolunteerPoints
from projections.queries import Queries
from projections.runner import Projector
from tests.bdd.conftest import TYPES, World, names

scenarios(
    "人次与年度积分.feature",
    "人均年积分.feature",
    "撤销与取消的积分.feature",
    "双报到统计.feature",
)

DISTRICT = "全区"
STATUSES = {
    "recorded": "已登记",
    "corrected": "已更正",
    "revoked": "已撤销",
    "cancelled": "已取消",
}


@with_pattern(r'"[^"]+"|全区')
def parse_scope(text: str) -> str:
    return text.strip('"')


FIGURE_TYPES = TYPES | {"Scope": parse_scope}


def step(text: str) -> Any:
    return parsers.parse(text, extra_types=FIGURE_TYPES)


@dataclass
class ReadSide:
    projector: Projector

    def caught_up(self) -> Queries:
        self.projector.catch_up()
        return Queries(self.projector.view)


@pytest.fixture
def read_side(app: VolunteerPoints) -> ReadSide:
    return ReadSide(Projector(app))


def figures(world: World, queries: Queries, scope: str, year: int) -> dict[str, Any]:
    """A member's, a team's, a community's or the district's figures for a year,
    under the names the features use."""
    if scope == DISTRICT:
        stats = queries.stats(None, year)
        return {
            "人次": stats["participations"],
            "服务时长": stats["hours"],
            "积分": stats["points"],
            "活动": stats["activities"],
        }
    scope_id = str(world.id(scope))
    if queries.member(scope_id) is not None:
        points = queries.member_points(scope_id, year)
        return {
            "人次": points["activities"],
            "服务时长": points["hours"],
            "积分": points["points"],
        }
    team = queries.team(scope_id, year)
    found = team if team is not None else queries.stats(scope_id, year)
    return {
        "人次": found["participations"],
        "服务时长": found["hours"],
        "积分": found["points"],
        "活动": found["activities"],
    }


def compare_rows(
    datatable: list[list[str]], actual_of: Any
) -> tuple[list[list[str]], list[list[str]]]:
    """The table as given, and as the read side has it, for one assert."""
    header, *rows = datatable
    actual = [
        [row[0], *(str(actual_of(row[0])[column]) for column in header[1:])]
        for row in rows
    ]
    return actual, rows


# Setting the scene.


@given(step('"{community}"已于 {day:Date} 注册志愿者"{name}"'))
def member_registered_on(world: World, community: str, day: date, name: str) -> None:
    written = world.app.register_member(
        name, world.id(community), True, world.actor, registered_on=day
    )
    world.ids[name] = written.id


@given(step('"{member}"已于 {day:Date} 向"{community}"个人报到'))
def member_reported(world: World, member: str, day: date, community: str) -> None:
    world.app.double_report_member(
        world.id(member), world.id(community), day, world.actor
    )


@given(step('"{unit}"已于 {day:Date} 向"{community}"组织报到'))
def unit_reported(world: World, unit: str, day: date, community: str) -> None:
    world.app.double_report_unit(world.id(unit), world.id(community), day, world.actor)


# Commands.


@when(step('"{member}"于 {day:Date} 转到"{community}"报到'))
def member_moves(world: World, member: str, day: date, community: str) -> None:
    world.attempt(
        lambda: world.app.double_report_member(
            world.id(member), world.id(community), day, world.actor
        )
    )


@when(step('"{unit}"于 {day:Date} 向"{community}"组织报到'))
def unit_reports(world: World, unit: str, day: date, community: str) -> None:
    world.attempt(
        lambda: world.app.double_report_unit(
            world.id(unit), world.id(community), day, world.actor
        )
    )


@when(step('撤销"{member}"在"{activity}"的参加记录，原因是"{reason}"'))
def revoke(world: World, member: str, activity: str, reason: str) -> None:
    world.attempt(
        lambda: world.app.revoke_attendance(
            world.id(activity), world.id(member), reason, world.actor
        )
    )


@when(step('取消"{activity}"，原因是"{reason}"'))
def cancel(world: World, activity: str, reason: str) -> None:
    world.attempt(
        lambda: world.app.cancel_activity(world.id(activity), reason, world.actor)
    )


# The figures, read through the queries.


@then(step("{year:d} 年的统计是："))
def figures_are(
    world: World, read_side: ReadSide, year: int, datatable: list[list[str]]
) -> None:
    queries = read_side.caught_up()
    actual, expected = compare_rows(
        datatable, lambda scope: figures(world, queries, scope, year)
    )
    assert actual == expected


@then(step("{year:d} 年的活动场次是："))
def activities_are(
    world: World, read_side: ReadSide, year: int, datatable: list[list[str]]
) -> None:
    figures_are(world, read_side, year, datatable)


AVERAGE = "{scope:Scope} {year:d} 年人均年积分是 {average}，计入 {counted:d} 名志愿者"


@then(step(AVERAGE))
def average_is(
    world: World,
    read_side: ReadSide,
    scope: str,
    year: int,
    average: str,
    counted: int,
) -> None:
    community = None if scope == DISTRICT else str(world.id(scope))
    stats = read_side.caught_up().stats(community, year)
    assert (stats["avg_annual_points"], stats["members"]) == (average, counted)


@then(step('"{member}" {year:d} 年的积分明细是：'))
def statement_is(
    world: World,
    read_side: ReadSide,
    member: str,
    year: int,
    datatable: list[list[str]],
) -> None:
    statement = read_side.caught_up().statement(str(world.id(member)), year)
    header, *expected = datatable
    shown = {
        "活动": lambda item: item["title"],
        "日期": lambda item: item["date"],
        "时长": lambda item: item["hours"],
        "积分": lambda item: item["points"],
        "状态": lambda item: STATUSES[item["status"]],
        "原因": lambda item: item["reason"] or "",
    }
    actual = [[shown[c](item) for c in header] for item in statement["items"]]
    assert actual == expected


@then(step("报到统计是："))
def report_counts_are(
    world: World, read_side: ReadSide, clock: Any, datatable: list[list[str]]
) -> None:
    queries = read_side.caught_up()

    def counts(scope: str) -> dict[str, int]:
        community = None if scope == DISTRICT else str(world.id(scope))
        stats = queries.stats(community, clock.now.year)
        return {
            "单位党组织": stats["units_reported"],
            "党员": stats["members_reported"],
        }

    actual, expected = compare_rows(datatable, counts)
    assert actual == expected


@then(step('"{community}"的报到党员是"{members}"'))
def reported_members_are(
    world: World, read_side: ReadSide, community: str, members: str
) -> None:
    reports = read_side.caught_up().community_double_reports(str(world.id(community)))
    assert [m["name"] for m in reports["members"]] == names(members)


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


@then(step('"{unit}"报到的社区是"{communities}"'))
def unit_reports_to(
    world: World, read_side: ReadSide, unit: str, communities: str
) -> None:
    reports = read_side.caught_up().unit_double_reports(str(world.id(unit)))
    expected = [str(world.id(name)) for name in names(communities)]
    assert [c["community_id"] for c in reports["communities"]] == expected

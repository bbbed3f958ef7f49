"""The published figures: 人次, annual points, 人均年积分, revocations and
cancellations, double-report counts. Steps give commands to the application and
read the figures through ``Queries`` once the projector has caught up; the
shared steps and the figures' names are in ``conftest``."""

from __future__ import annotations

from pytest_bdd import given, scenarios, then, when

from tests.bdd.conftest import (
    ReadSide,
    World,
    figure_step,
    figures_table,
    member_reported_on,
    names,
    one_figure,
    registered_on,
    step,
    unit_reported_on,
)

scenarios(
    "人次与年度积分.feature",
    "人均年积分.feature",
    "撤销与取消的积分.feature",
    "双报到统计.feature",
)

# These features' column names for figures the shared steps name otherwise.
LABELS = {"服务时长": "时长", "单位党组织": "报到单位", "党员": "报到党员"}


def in_shared_names(datatable: list[list[str]]) -> list[list[str]]:
    header, *rows = datatable
    return [[LABELS.get(label, label) for label in header], *rows]


# These features' words for the shared dated steps.

given(step('"{community}"已于 {day:Date} 注册志愿者"{name}"'))(registered_on)
given(step('"{member}"已于 {day:Date} 向"{community}"个人报到'))(member_reported_on)
given(step('"{unit}"已于 {day:Date} 向"{community}"组织报到'))(unit_reported_on)
when(step('"{member}"于 {day:Date} 转到"{community}"报到'))(member_reported_on)


# The figures, read through the queries.


@then(step("{year:d} 年的统计是："))
@then(step("{year:d} 年的活动场次是："))
def figures_are(
    world: World, read_side: ReadSide, year: int, datatable: list[list[str]]
) -> None:
    figures_table(world, read_side, year, None, in_shared_names(datatable))


@then(
    figure_step(
        "{scope:Scope} {year:d} 年人均年积分是 {average}，计入 {counted:d} 名志愿者"
    )
)
def average_is(
    world: World,
    read_side: ReadSide,
    scope: str,
    year: int,
    average: str,
    counted: int,
) -> None:
    one_figure(world, read_side, scope, year, None, "人均年积分", average)
    one_figure(world, read_side, scope, year, None, "注册志愿者", str(counted))


@then(step("报到统计是："))
def report_counts_are(
    world: World, read_side: ReadSide, datatable: list[list[str]]
) -> None:
    year = world.app.today().year
    figures_table(world, read_side, year, None, in_shared_names(datatable))


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

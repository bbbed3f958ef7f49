"""The figures of a year as of a date: of the whole deployment, a scope, a team
or a member, read through the queries once the projector has caught up, or
asked of the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from pytest_bdd import then, when

from domain.community import Community
from domain.dates import figure_date
from domain.member import Member
from domain.team import Team
from domain.tree import District, Grid, Street
from projections.queries import Queries
from tests.bdd.drivers import ADMIN, ORGANIZER, Journey, ReadSide, World
from tests.bdd.vocabulary import SCOPE_FIGURES, WHOLE, step, table_rows

TEAM_FIGURES = {
    "截至": "as_of",
    "队员": "members",
    "活动": "activities",
    "人次": "participations",
    "时长": "hours",
    "积分": "points",
}
MEMBER_FIGURES = {
    "截至": "as_of",
    "积分": "points",
    "时长": "hours",
    "人次": "activities",
    "累计积分": "lifetime_points",
    "累计时长": "lifetime_hours",
    "星级": "star",
}
SCOPE_KINDS: dict[type[Any], str] = {
    District: "district",
    Street: "street",
    Community: "community",
    Grid: "grid",
}
# The figures an answer of the API holds, a team's or a scope's.
FIGURES = SCOPE_FIGURES | {"队员": "members"}
STATS = {
    "community": "/v1/communities/{}/stats",
    "street": "/v1/streets/{}/stats",
    "district": "/v1/districts/{}/stats",
}


def scope_of(world: World, name: str) -> tuple[str, str | None]:
    """The scope and scope id a figure of the whole deployment, a district, a
    street, a community or a grid is asked for with."""
    if name in WHOLE:
        return "all", None
    aggregate: Any = world.app.repository.get(world.id(name))
    assert type(aggregate) in SCOPE_KINDS, f"“{name}”不是统计范围"
    return SCOPE_KINDS[type(aggregate)], str(aggregate.id)


def figures_of(
    world: World, queries: Queries, name: str, year: int, on: date
) -> dict[str, str]:
    """The figures of the whole deployment, a scope, a team or a member for a
    year as of ``on``, under the names the features use."""
    if name not in WHOLE:
        aggregate: Any = world.app.repository.get(world.id(name))
        if isinstance(aggregate, Member):
            found = queries.member_points(str(aggregate.id), year, on)
            return {k: str(found[v]) for k, v in MEMBER_FIGURES.items()}
        if isinstance(aggregate, Team):
            team = queries.team(str(aggregate.id), year, on)
            assert team is not None, f"读模型中没有服务队“{name}”"
            return {k: str(team[v]) for k, v in TEAM_FIGURES.items()}
    scope, scope_id = scope_of(world, name)
    stats = queries.stats(scope, scope_id, year, on)
    return {k: str(stats[v]) for k, v in SCOPE_FIGURES.items() if v in stats}


def figures_table(
    world: World,
    read_side: ReadSide,
    year: int,
    as_of: date | None,
    datatable: list[list[str]],
) -> None:
    """Compares a table of figures, one row per scope, team or member; "—"
    stands for a figure that row's kind does not have."""
    on = figure_date(year, as_of, world.app.today())
    queries = read_side.caught_up()
    header, *expected = datatable
    actual = []
    for row in expected:
        found = figures_of(world, queries, row[0], year, on)
        actual.append([row[0], *(found.get(label, "—") for label in header[1:])])
    assert actual == expected


@then(step("{year:d} 年的数字是："))
def figures_in_year(
    world: World, read_side: ReadSide, year: int, datatable: list[list[str]]
) -> None:
    figures_table(world, read_side, year, None, datatable)


@then(step("截至 {day:Date} 的数字是："))
def figures_as_of(
    world: World, read_side: ReadSide, day: date, datatable: list[list[str]]
) -> None:
    figures_table(world, read_side, day.year, day, datatable)


def one_figure(
    world: World,
    read_side: ReadSide,
    name: str,
    year: int,
    as_of: date | None,
    label: str,
    value: str,
) -> None:
    on = figure_date(year, as_of, world.app.today())
    found = figures_of(world, read_side.caught_up(), name, year, on)
    assert label in found, f"“{name}”没有“{label}”这个数字"
    assert found[label] == value, f"{name} {on} 的{label}: {found[label]}"


@then(step("{scope:Scope} {year:d} 年的{label}是 {value}"))
def figure_in_year(
    world: World, read_side: ReadSide, scope: str, year: int, label: str, value: str
) -> None:
    one_figure(world, read_side, scope, year, None, label, value)


@then(step("{scope:Scope}截至 {day:Date} 的{label}是 {value}"))
def figure_as_of(
    world: World, read_side: ReadSide, scope: str, day: date, label: str, value: str
) -> None:
    one_figure(world, read_side, scope, day.year, day, label, value)


@then(
    step("{scope:Scope} {year:d} 年人均年积分是 {average}，计入 {counted:d} 名志愿者")
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


# Asked of the API.


@when(step('组织者查看"{scope}" {year:d} 年的数字'))
def organizer_reads(journey: Journey, scope: str, year: int) -> None:
    url = STATS[journey.kinds[scope]].format(journey.id(scope))
    journey.read(ORGANIZER, url, year=year)


@when("管理员查看全市的数字，不写年份")
def admin_reads_all(journey: Journey) -> None:
    journey.read(ADMIN, "/v1/stats")


@when(step('管理员查看"{scope}"的数字，不写年份'))
def admin_reads_scope(journey: Journey, scope: str) -> None:
    journey.read(ADMIN, STATS[journey.kinds[scope]].format(journey.id(scope)))


@when(step("管理员查看全市 {year:d} 年截至 {day:Date} 的数字"))
def admin_reads_all_as_of(journey: Journey, year: int, day: date) -> None:
    journey.read(ADMIN, "/v1/stats", year=year, as_of=day.isoformat())


@when(step('"{member}"查看服务队"{team}" {year:d} 年的数字'))
def read_team(journey: Journey, member: str, team: str, year: int) -> None:
    journey.read(member, f"/v1/teams/{journey.id(team)}", year=year)


@when(step('"{member}"查看全区 {year:d} 年的数字'))
def read_district(journey: Journey, member: str, year: int) -> None:
    journey.read(member, "/v1/stats", year=year)


@then(step("回答的是 {year:d} 年截至 {day:Date} 的数字"))
def answered_for(journey: Journey, year: int, day: date) -> None:
    answer = journey.answer()
    assert (answer["year"], answer["as_of"]) == (year, day.isoformat())


@then(step('回答中的"{label}"是 {value}'))
def answered_figure(journey: Journey, label: str, value: str) -> None:
    assert str(journey.answer()[FIGURES[label]]) == value


@then(step('"{name}" {year:d} 年的数字是'))
def figures(journey: Journey, name: str, year: int, datatable: list[list[str]]) -> None:
    url = {
        "team": f"/v1/teams/{journey.id(name)}",
        "community": f"/v1/communities/{journey.id(name)}/stats",
    }[journey.kinds[name]]
    answer = journey.read(ORGANIZER, url, year=year).json()
    (expected,) = table_rows(datatable)
    assert {label: str(answer[FIGURES[label]]) for label in expected} == expected

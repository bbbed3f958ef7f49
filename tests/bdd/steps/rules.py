"""Points rules (积分规则): a rule set written out step by step, drafted and
published; activities of its categories; what the statement, the history
and a what-if then show."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from pytest_bdd import given, then, when

from domain.dates import figure_date
from domain.rules import rule_version
from projections.sealing import Sealer
from projections.what_if import what_if
from tests.bdd.drivers import ReadSide, World
from tests.bdd.steps.statements import statement_items
from tests.bdd.vocabulary import (
    WINDOW,
    Rule,
    given_or_when,
    rows_are,
    shanghai,
    shown,
    step,
    table_rows,
)

RULE_SETS = "rule sets"


def _written(world: World) -> dict[str, dict[str, Any]]:
    """The rule sets the scenario wrote, by name, before they are drafted."""
    found: dict[str, dict[str, Any]] = world.kept.setdefault(RULE_SETS, {})
    return found


def _drafted(world: World, name: str) -> Any:
    written = _written(world)[name]
    if name not in world.ids:
        world.ids[name] = world.app.draft_rule_set(
            name,
            written["district_id"],
            written["categories"],
            written["caps"],
            world.actor,
        ).id
    return world.ids[name]


@given(step('"{district}"的积分规则"{name}"有这些类别：'))
def rule_set_written(
    world: World, district: str, name: str, datatable: list[list[str]]
) -> None:
    _written(world)[name] = {
        "district_id": world.id(district),
        "categories": [
            {"code": r["代码"], "name": r["名称"], "points_per_hour": r["每小时积分"]}
            for r in table_rows(datatable)
        ],
        "caps": {},
    }


@given(step('"{district}"的积分规则"{name}"与"{model}"相同'))
def rule_set_copied(world: World, district: str, name: str, model: str) -> None:
    _written(world)[name] = _written(world)[model] | {"district_id": world.id(district)}


@given(step('"{name}"每次活动最多计 {hours:Dec} 小时'))
def hours_cap(world: World, name: str, hours: Decimal) -> None:
    _written(world)[name]["caps"]["hours_per_activity"] = str(hours)


@given(step('"{name}"每人每天最多计 {points:Dec} 积分'))
def day_cap(world: World, name: str, points: Decimal) -> None:
    _written(world)[name]["caps"]["points_per_member_day"] = str(points)


@given(step('"{name}"的"{code}"类每人每年最多计 {points:Dec} 积分'))
def year_cap(world: World, name: str, code: str, points: Decimal) -> None:
    caps = _written(world)[name]["caps"]
    caps.setdefault("points_per_member_year_by_category", {})[code] = str(points)


@given(step('已发布"{name}"，自 {day:Date} 起施行'))
def rule_set_published(world: World, name: str, day: date) -> None:
    world.app.publish_rule_set(_drafted(world, name), day, world.actor)


@when(step('发布"{name}"，自 {day:Date} 起施行'))
def publish_rule_set(world: World, read_side: ReadSide, name: str, day: date) -> None:
    rule_set_id = _drafted(world, name)
    published = world.attempt(world.app.publish_rule_set, rule_set_id, day, world.actor)
    world.kept["published"] = published


@then(step("发布的是第 {version:d} 版，重新计分 {count:d} 条"))
def published_as(world: World, read_side: ReadSide, version: int, count: int) -> None:
    published = world.kept["published"]
    assert published.version == version
    found = read_side.caught_up().rule_set(str(published.id))
    assert found is not None
    assert (found["version"], found["rerated"]) == (version, count)


def _schedule(
    world: World,
    team: str,
    category: str,
    title: str,
    day: date,
    start: time,
    end: time,
    rule: Rule,
) -> Any:
    return world.app.schedule_activity(
        title=title,
        team_id=world.id(team),
        category=category,
        starts_at=shanghai(day, start),
        ends_at=shanghai(day, end),
        actor=world.actor,
        **rule,
    )


@given_or_when('"{team}"{done:Done}安排"{category}"类活动"{title}"，' + WINDOW)
def category_activity_scheduled(
    world: World,
    team: str,
    done: bool,
    category: str,
    title: str,
    day: date,
    start: time,
    end: time,
    rule: Rule,
) -> None:
    world.make(title, _schedule, world, team, category, title, day, start, end, rule)


@then(step('"{member}" {year:d} 年的积分明细是：'))
def rated_statement_is(
    world: World,
    read_side: ReadSide,
    member: str,
    year: int,
    datatable: list[list[str]],
) -> None:
    items = [
        {
            "活动": item["title"],
            "时长": shown(item["hours"]),
            "封顶前积分": item["full_points"],
            "计入积分": item["points"],
            "规则版本": "无"
            if item["rule_version"] is None
            else str(item["rule_version"]),
        }
        for item in statement_items(world, read_side, member, year)
    ]
    rows_are(datatable, items)


@then(step('"{member}" {year:d} 年的积分是 {points}'))
def year_points_are(
    world: World, read_side: ReadSide, member: str, year: int, points: str
) -> None:
    on = figure_date(year, None, world.app.today())
    found = read_side.caught_up().member_points(str(world.id(member)), year, on)
    assert found["points"] == points


def _version(text: str) -> int | None:
    return None if text == "无" else int(text)


@then(
    step(
        '"{member}"在"{activity}"的积分重新计算过：原来 {before}，现在 {after}，'
        '规则版本 {v1} → {v2}，原因是"{reason}"'
    )
)
def rerated_in_history(
    world: World,
    read_side: ReadSide,
    member: str,
    activity: str,
    before: str,
    after: str,
    v1: str,
    v2: str,
    reason: str,
) -> None:
    found = read_side.caught_up().member_history(str(world.id(member)), 100, None)
    rerated = [
        (i["details"], i["reason"])
        for i in found["items"]
        if i["type"] == "AttendanceRerated"
        and i["details"]["activity_id"] == str(world.id(activity))
    ]
    assert [
        (
            d["previous_points"],
            d["points"],
            d["previous_rule_version"],
            d["rule_version"],
            why,
        )
        for d, why in rerated
    ] == [(before, after, _version(v1), _version(v2), reason)]
    year = world.app.activity(world.id(activity)).starts_at.year
    (item,) = [
        i
        for i in statement_items(world, read_side, member, year)
        if i["activity_id"] == str(world.id(activity))
    ]
    assert [h["type"] for h in item["history"]][-1] == "AttendanceRerated"


@then(step('"{activity}"的历史中有"{member}"重新计分：原来 {before}，现在 {after}'))
def rerated_in_activity_history(
    world: World,
    read_side: ReadSide,
    activity: str,
    member: str,
    before: str,
    after: str,
) -> None:
    found = read_side.caught_up().activity_history(str(world.id(activity)), 100, None)
    entries = [
        (e["member_id"], e["previous_points"], e["points"])
        for i in found["items"]
        if i["type"] == "AttendanceRerated"
        for e in i["details"]["entries"]
    ]
    assert entries == [(str(world.id(member)), before, after)]


@when(step('按"{name}"模拟测算"{district}" {year:d} 年'))
def run_what_if(
    world: World, read_side: ReadSide, name: str, district: str, year: int
) -> None:
    rule_set_id = _drafted(world, name)
    read_side.caught_up()
    world.before = world.app.position()
    draft = world.app.rule_set(rule_set_id)
    version = rule_version(
        str(draft.district_id), 0, date(year, 1, 1), draft.categories, draft.caps
    )
    on = figure_date(year, None, world.app.today())
    scope_id = str(world.id(district))
    view = read_side.projector.view
    answer = what_if(world.app, view, Sealer(), version, "district", scope_id, year, on)
    world.kept["what-if"] = answer


@then(
    step("测算的现行积分是 {now}，草案积分是 {then_}，积分有变化的志愿者 {count:d} 人")
)
def what_if_answered(world: World, now: str, then_: str, count: int) -> None:
    answer = world.kept["what-if"]
    assert (answer["current"]["points"], answer["draft"]["points"]) == (now, then_)
    assert answer["members_changed"] == count
    assert len(answer["largest_changes"]) == count

"""A member's points and statement, the history behind each item, and an
activity's history: read through the queries, or asked of the API."""

from __future__ import annotations

from typing import Any

from pytest_bdd import then, when

from domain.dates import figure_date, local_date
from tests.bdd.drivers import Journey, ReadSide, World
from tests.bdd.vocabulary import EVENT_NAMES, rows_are, shown, step, table_rows

STATEMENT_STATUSES = {
    "recorded": "已登记",
    "corrected": "已更正",
    "revoked": "已撤销",
    "cancelled": "已取消",
}
# An activity's history names its events by type; the features by label.
HISTORY_TYPES = {
    label: name.removeprefix("Activity.")
    for label, name in EVENT_NAMES.items()
    if name.startswith("Activity.")
}
HISTORY_LABELS = {name: label for label, name in HISTORY_TYPES.items()}
PAGE = 100


def statement_items(
    world: World, read_side: ReadSide, member: str, year: int
) -> list[dict[str, Any]]:
    on = figure_date(year, None, world.app.today())
    statement = read_side.caught_up().statement(str(world.id(member)), year, on)
    items: list[dict[str, Any]] = statement["items"]
    return items


@then(step('"{member}" {year:d} 年的明细是：'))
def statement_is(
    world: World,
    read_side: ReadSide,
    member: str,
    year: int,
    datatable: list[list[str]],
) -> None:
    items = [
        {
            "活动": item["title"],
            "日期": item["date"],
            "时长": shown(item["hours"]),
            "积分": shown(item["points"]),
            "状态": STATEMENT_STATUSES[item["status"]],
            "登记人": shown(item["recorded_by"]),
            "原因": shown(item["reason"]),
        }
        for item in statement_items(world, read_side, member, year)
    ]
    rows_are(datatable, items)


@then(step('"{activity}"的签到记录是：'))
def attendances_are(
    world: World, read_side: ReadSide, activity: str, datatable: list[list[str]]
) -> None:
    queries = read_side.caught_up()
    listed = queries.activity_attendances(str(world.id(activity)), PAGE, None)
    items = [
        {
            "志愿者": item["name"],
            "时长": item["hours"],
            "积分": item["points"],
            "状态": STATEMENT_STATUSES[item["status"]],
            "登记人": item["recorded_by"],
            "原因": shown(item["reason"]),
        }
        for item in listed["items"]
    ]
    rows_are(datatable, items)


@then(step('"{member}"在"{activity}"的经过是：'))
def item_history_is(
    world: World,
    read_side: ReadSide,
    member: str,
    activity: str,
    datatable: list[list[str]],
) -> None:
    year = local_date(world.app.activity(world.id(activity)).starts_at).year
    (item,) = [
        item
        for item in statement_items(world, read_side, member, year)
        if item["activity_id"] == str(world.id(activity))
    ]
    steps = [
        {
            "类型": HISTORY_LABELS[entry["type"]],
            "时长": shown(entry["hours"]),
            "积分": shown(entry["points"]),
            "操作人": shown(entry["recorded_by"]),
            "原因": shown(entry["reason"]),
        }
        for entry in item["history"]
    ]
    rows_are(datatable, steps)


def history_items(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "类型": HISTORY_LABELS.get(item["type"], item["type"]),
            "操作人": shown(item["actor"]),
            "原因": shown(item["reason"]),
            "时长": shown(item["details"].get("hours")),
            "积分": shown(item["details"].get("points")),
            "原时长": shown(item["details"].get("previous_hours")),
            "原积分": shown(item["details"].get("previous_points")),
        }
        for item in items
    ]


@then(step('"{member}"的历史中有：'))
def member_history_has(
    world: World, read_side: ReadSide, member: str, datatable: list[list[str]]
) -> None:
    found = read_side.caught_up().member_history(str(world.id(member)), PAGE, None)
    listed = {HISTORY_TYPES[row[0]] for row in datatable[1:]}
    items = history_items([i for i in found["items"] if i["type"] in listed])
    rows_are(datatable, items)


@then(step('"{activity}"的历史是：'))
def activity_history_is(
    world: World, read_side: ReadSide, activity: str, datatable: list[list[str]]
) -> None:
    found = read_side.caught_up().activity_history(str(world.id(activity)), PAGE, None)
    assert found["next_cursor"] is None
    rows_are(datatable, history_items(found["items"]))


# Asked of the API.

STATEMENT_FIELDS = {
    "活动": "title",
    "日期": "date",
    "时长": "hours",
    "积分": "points",
    "状态": "status",
    "原因": "reason",
}
STATUS_OF_LABEL = {label: status for status, label in STATEMENT_STATUSES.items()}


@when(step('"{member}"查看自己 {year:d} 年的积分'))
def my_points(journey: Journey, member: str, year: int) -> None:
    journey.read(member, "/v1/me/points", year=year)


@when(step('"{member}"查看自己 {year:d} 年的明细'))
def my_statement(journey: Journey, member: str, year: int) -> None:
    journey.read(member, "/v1/me/statement", year=year)


@when(step('"{member}"每页 {limit:d} 条查看自己 {year:d} 年的明细'))
def my_statement_page(journey: Journey, member: str, limit: int, year: int) -> None:
    journey.read(member, "/v1/me/statement", year=year, limit=limit)


@when(step('"{member}"接着看明细的下一页'))
def next_statement_page(journey: Journey, member: str) -> None:
    cursor = journey.answer()["next_cursor"]
    assert cursor is not None, "已经是最后一页"
    assert journey.response is not None
    asked = journey.response.request.url
    params = {k: v for k, v in asked.params.items() if k != "min_position"}
    journey.read(member, asked.path, **params | {"cursor": cursor})


@when(step('{who}查看"{member}" {year:d} 年的积分'))
def member_points(journey: Journey, who: str, member: str, year: int) -> None:
    journey.read(who, f"/v1/members/{journey.id(member)}/points", year=year)


@then(step('积分是"{points}"，时长是"{hours}"，参加了 {count:d} 次活动'))
def points_are(journey: Journey, points: str, hours: str, count: int) -> None:
    answer = journey.answer()
    assert (answer["points"], answer["hours"], answer["activities"]) == (
        points,
        hours,
        count,
    )


@then("明细是")
def statement_answered(journey: Journey, datatable: list[list[str]]) -> None:
    items = journey.answer()["items"]
    expected = table_rows(datatable)
    for row in expected:
        row["状态"] = STATUS_OF_LABEL[row["状态"]]
    assert [
        {label: shown(item[field]) for label, field in STATEMENT_FIELDS.items()}
        for item in items
    ] == expected


@then(step('明细{more}，这一页上全年合计积分"{points}"，时长"{hours}"'))
def statement_page_ends(journey: Journey, more: str, points: str, hours: str) -> None:
    answer = journey.answer()
    assert more in ("还有下一页", "没有下一页了")
    assert (answer["next_cursor"] is not None) == (more == "还有下一页")
    assert (answer["points"], answer["hours"]) == (points, hours)

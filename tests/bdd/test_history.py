"""历史记录: corrections and revocations keep the earlier values; a member's
and an activity's history, and each statement item's, can be read."""

from __future__ import annotations

from typing import Any

from pytest_bdd import scenarios, then

from domain.dates import local_date
from tests.bdd.conftest import (
    EVENT_NAMES,
    ReadSide,
    World,
    rows_are,
    shown,
    statement_items,
    step,
)

scenarios("历史记录.feature")

TYPES = {
    label: name.removeprefix("Activity.")
    for label, name in EVENT_NAMES.items()
    if name.startswith("Activity.")
}
LABELS = {name: label for label, name in TYPES.items()}
PAGE = 100


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
            "类型": LABELS[entry["type"]],
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
            "类型": LABELS.get(item["type"], item["type"]),
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
    listed = {TYPES[row[0]] for row in datatable[1:]}
    items = history_items([i for i in found["items"] if i["type"] in listed])
    rows_are(datatable, items)


@then(step('"{activity}"的历史是：'))
def activity_history_is(
    world: World, read_side: ReadSide, activity: str, datatable: list[list[str]]
) -> None:
    found = read_side.caught_up().activity_history(str(world.id(activity)), PAGE, None)
    assert found["next_cursor"] is None
    rows_are(datatable, history_items(found["items"]))

"""更正与撤销: one attendance per member per activity, corrections, revocations."""

from __future__ import annotations

from decimal import Decimal

from pytest_bdd import parsers, scenarios, then, when

from tests.bdd.conftest import (
    STATEMENT_STATUSES,
    ReadSide,
    World,
    event_name,
    rows_are,
    shown,
)

scenarios("更正与撤销.feature")


@when(parsers.parse('登记"{activity}"的参加记录：'))
def record_several(world: World, activity: str, datatable: list[list[str]]) -> None:
    records = [(world.id(name), Decimal(hours)) for name, hours in datatable[1:]]
    world.attempt(
        lambda: world.app.record_attendance(world.id(activity), records, world.actor)
    )


@when(parsers.parse('撤销"{member}"在"{activity}"的参加记录，但不说明原因'))
def revoke_without_reason(world: World, member: str, activity: str) -> None:
    world.attempt(
        lambda: world.app.revoke_attendance(
            world.id(activity), world.id(member), "", world.actor
        )
    )


@then(parsers.parse('更正事件记下"{member}"原来是 {hours} 小时、{points} 积分'))
def correction_keeps_previous(
    world: World, member: str, hours: str, points: str
) -> None:
    (correction,) = world.new_events()
    (entry,) = correction.entries
    assert entry["member_id"] == world.id(member)
    assert entry["previous_hours"] == Decimal(hours)
    assert str(entry["previous_points"]) == points


@then(parsers.parse('"{activity}"的记录中仍有"{member}" {hours} 小时的登记'))
def history_kept(world: World, activity: str, member: str, hours: str) -> None:
    recorded = [
        entry["hours"]
        for event in world.stored_events(activity)
        if event_name(event) == "Activity.AttendanceRecorded"
        for entry in event.entries
        if entry["member_id"] == world.id(member)
    ]
    assert recorded == [Decimal(hours)]


@then(parsers.parse('"{member}"在"{activity}"只有一条参加记录'))
def one_attendance(world: World, member: str, activity: str) -> None:
    found = world.app.activity(world.id(activity))
    assert list(found.attendances) == [world.id(member)]
    assert found.attendance_count == 1


@then(parsers.parse('"{activity}"的签到记录是：'))
def attendances_are(
    world: World, read_side: ReadSide, activity: str, datatable: list[list[str]]
) -> None:
    queries = read_side.caught_up()
    listed = queries.activity_attendances(str(world.id(activity)), 500, None)
    rows_are(
        datatable,
        [
            {
                "志愿者": item["name"],
                "时长": item["hours"],
                "积分": item["points"],
                "状态": STATEMENT_STATUSES[item["status"]],
                "登记人": item["recorded_by"],
                "原因": shown(item["reason"]),
            }
            for item in listed["items"]
        ],
    )

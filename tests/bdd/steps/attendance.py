"""Attendance: recorded, corrected and revoked, one record per member per
activity, with the hours and points each record keeps; through the API too."""

from __future__ import annotations

from decimal import Decimal

from pytest_bdd import given, then, when

from tests.bdd.drivers import ORGANIZER, Journey, World, event_name
from tests.bdd.vocabulary import given_or_when, step, table_rows


@given(step('已登记"{member}"参加"{activity}" {hours:Dec} 小时'))
def attendance_recorded(
    world: World, member: str, activity: str, hours: Decimal
) -> None:
    world.app.record_attendance(
        world.id(activity), [(world.id(member), hours)], world.actor
    )


@when(step('登记"{member}"参加"{activity}" {hours:Dec} 小时{reason:Reason}'))
def record_attendance(
    world: World, member: str, activity: str, hours: Decimal, reason: str | None
) -> None:
    records = [(world.id(member), hours)]
    world.attempt(
        world.app.record_attendance,
        world.id(activity),
        records,
        world.actor,
        reason=reason,
    )


@when(step('登记"{activity}"的参加记录：'))
def record_several(world: World, activity: str, datatable: list[list[str]]) -> None:
    records = [(world.id(name), Decimal(hours)) for name, hours in datatable[1:]]
    world.attempt(
        lambda: world.app.record_attendance(world.id(activity), records, world.actor)
    )


@given(step('已撤销"{member}"在"{activity}"的参加记录，原因是"{reason}"'))
def attendance_revoked(world: World, member: str, activity: str, reason: str) -> None:
    world.app.revoke_attendance(
        world.id(activity), world.id(member), reason, world.actor
    )


@when(step('撤销"{member}"在"{activity}"的参加记录，原因是"{reason}"'))
def revoke_attendance(world: World, member: str, activity: str, reason: str) -> None:
    world.attempt(
        world.app.revoke_attendance,
        world.id(activity),
        world.id(member),
        reason,
        world.actor,
    )


@when(step('撤销"{member}"在"{activity}"的参加记录，但不说明原因'))
def revoke_without_reason(world: World, member: str, activity: str) -> None:
    world.attempt(
        lambda: world.app.revoke_attendance(
            world.id(activity), world.id(member), "", world.actor
        )
    )


@then(step('"{member}"在"{activity}"的参加记录为 {hours:Dec} 小时、{points} 积分'))
def attendance_is(
    world: World, member: str, activity: str, hours: Decimal, points: str
) -> None:
    attendance = world.app.activity(world.id(activity)).attendances[world.id(member)]
    assert not attendance.revoked
    assert isinstance(attendance.hours, Decimal)
    assert isinstance(attendance.points, Decimal)
    assert attendance.hours == hours
    assert str(attendance.points) == points


@then(step('"{member}"在"{activity}"的参加记录已撤销'))
def attendance_revoked_now(world: World, member: str, activity: str) -> None:
    attendances = world.app.activity(world.id(activity)).attendances
    assert attendances[world.id(member)].revoked


@then(step('"{member}"在"{activity}"没有参加记录'))
def no_attendance(world: World, member: str, activity: str) -> None:
    attendances = world.app.activity(world.id(activity)).attendances
    assert world.id(member) not in attendances


@then(step('"{member}"在"{activity}"只有一条参加记录'))
def one_attendance(world: World, member: str, activity: str) -> None:
    found = world.app.activity(world.id(activity))
    assert list(found.attendances) == [world.id(member)]
    assert found.attendance_count == 1


# What the stored events keep.


@then(step('"{activity}"的登记事件中"{member}"的积分是 {points}'))
def recorded_points(world: World, activity: str, member: str, points: str) -> None:
    recorded = [
        entry
        for event in world.stored_events(activity)
        if type(event).__qualname__ == "Activity.AttendanceRecorded"
        for entry in event.entries
        if entry["member_id"] == world.id(member)
    ]
    assert [str(entry["points"]) for entry in recorded] == [points]


@then(step('更正事件记下"{member}"原来是 {hours} 小时、{points} 积分'))
def correction_keeps_previous(
    world: World, member: str, hours: str, points: str
) -> None:
    (correction,) = world.new_events()
    (entry,) = correction.entries
    assert entry["member_id"] == world.id(member)
    assert entry["previous_hours"] == Decimal(hours)
    assert str(entry["previous_points"]) == points


@then(step('"{activity}"的记录中仍有"{member}" {hours} 小时的登记'))
def history_kept(world: World, activity: str, member: str, hours: str) -> None:
    recorded = [
        entry["hours"]
        for event in world.stored_events(activity)
        if event_name(event) == "Activity.AttendanceRecorded"
        for entry in event.entries
        if entry["member_id"] == world.id(member)
    ]
    assert recorded == [Decimal(hours)]


# Through the API.


@given_or_when('{who:Role}{done:Done}登记"{activity}"的参加记录')
def attendance_recorded_by(
    journey: Journey, who: str, done: bool, activity: str, datatable: list[list[str]]
) -> None:
    records = [
        {"member_id": journey.id(row["志愿者"]), "hours": row["时长"]}
        for row in table_rows(datatable)
    ]
    url = f"/v1/activities/{journey.id(activity)}/attendance"
    journey.post(who, url, {"records": records}, done=done)


CORRECTION = (
    '{who:Role}把"{member}"在"{activity}"的时长更正为 {hours:Dec} 小时，'
    '原因是"{reason}"'
)


@when(step(CORRECTION))
def attendance_corrected_by(
    journey: Journey, who: str, member: str, activity: str, hours: Decimal, reason: str
) -> None:
    body = {
        "records": [{"member_id": journey.id(member), "hours": str(hours)}],
        "reason": reason,
    }
    url = f"/v1/activities/{journey.id(activity)}/attendance"
    journey.send(who, "POST", url, body)


@given(step('组织者撤销了"{member}"在"{activity}"的参加记录，原因是"{reason}"'))
def attendance_revoked_by_organizer(
    journey: Journey, member: str, activity: str, reason: str
) -> None:
    url = (
        f"/v1/activities/{journey.id(activity)}/attendance/{journey.id(member)}/revoke"
    )
    journey.made(ORGANIZER, "POST", url, {"reason": reason})


@then(
    step("登记结果为新增 {recorded:d} 条、未变 {unchanged:d} 条、更正 {corrected:d} 条")
)
def attendance_outcome(
    journey: Journey, recorded: int, unchanged: int, corrected: int
) -> None:
    answer = journey.answer()
    assert (answer["recorded"], answer["unchanged"], answer["corrected"]) == (
        recorded,
        unchanged,
        corrected,
    )

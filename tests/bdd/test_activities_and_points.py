"""活动与积分: points rules, when attendance may be recorded, hours, rounding."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from tests.bdd.conftest import World

scenarios("活动与积分.feature")


@when(parsers.parse('结束"{activity}"的登记'))
def close_activity(world: World, activity: str) -> None:
    world.attempt(lambda: world.app.close_activity(world.id(activity), world.actor))


@then(parsers.parse('"{activity}"的登记事件中"{member}"的积分是 {points}'))
def recorded_points(world: World, activity: str, member: str, points: str) -> None:
    recorded = [
        entry
        for event in world.stored_events(activity)
        if type(event).__qualname__ == "Activity.AttendanceRecorded"
        for entry in event.entries
        if entry["member_id"] == world.id(member)
    ]
    assert [str(entry["points"]) for entry in recorded] == [points]

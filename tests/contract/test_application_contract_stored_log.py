"""The application's contract on the stored log, on SQLite and PostgreSQL: a
second application on the same database sees the same state, and the stored
events name their aggregate and keep every correction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from domain.activity import CLOSED, Activity
from domain.application import VolunteerPoints
from tests.conftest import Clock
from tests.contract.contract_world import build_world, on_shared_stores, states

# A second application on the same database sees the same state.


@on_shared_stores
def test_a_second_application_rebuilds_the_same_state_from_the_stored_events(
    make_app: Callable[[], VolunteerPoints], clock: Clock
) -> None:
    first = make_app()
    world = build_world(first, clock)
    first.record_attendance(world.running, [(world.bob, "2.5")], "admin")
    first.record_attendance(world.running, [(world.bob, 2)], "admin", reason="更正")
    first.double_report_member(world.alice, world.elsewhere, date(2026, 3, 1), "a")
    first.double_report_unit(world.unit, world.community, date(2026, 3, 1), "a")

    second = make_app()

    assert second.position() == first.position()
    assert states(second, world.ids()) == states(first, world.ids())
    assert second.activity(world.running).attendances[world.bob].points == Decimal(
        "20.0"
    )


@on_shared_stores
def test_applications_on_one_database_see_each_others_writes(
    make_app: Callable[[], VolunteerPoints], clock: Clock
) -> None:
    first = make_app()
    world = build_world(first, clock)
    second = make_app()
    second.activity(world.running)

    first.record_attendance(world.running, [(world.bob, 1)], "admin")
    second.revoke_attendance(world.running, world.alice, "重复", "admin")
    first.close_activity(world.running, "admin")

    for app in (first, second):
        activity = app.activity(world.running)
        assert activity.status == CLOSED
        assert activity.attendances[world.bob].revoked is False
        assert activity.attendances[world.alice].revoked is True
    assert states(first, world.ids()) == states(second, world.ids())


@on_shared_stores
def test_stored_events_name_their_aggregate_and_keep_every_correction(
    make_app: Callable[[], VolunteerPoints], clock: Clock
) -> None:
    first = make_app()
    world = build_world(first, clock)
    first.record_attendance(world.running, [(world.alice, 2)], "admin", reason="更正")

    stored = list(make_app().events.get(world.running))

    assert [type(e).__name__ for e in stored] == [
        "Scheduled",
        "AttendanceRecorded",
        "AttendanceCorrected",
    ]
    assert isinstance(stored[-1], Activity.AttendanceCorrected)
    assert stored[-1].entries[0]["previous_hours"] == Decimal(1)

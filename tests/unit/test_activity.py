"""An activity's rules: sign-ups and attendance, recorded and corrected.
Revocation, closing, cancelling and replay are in
``test_activity_revocation_and_closing``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.activity import SCHEDULED, Activity
from domain.errors import (
    ActivityFull,
    ActivityNotStarted,
    ActivityStarted,
    InvalidCommand,
    InvalidHours,
    NotFound,
)
from tests.unit.activity_support import (
    BEFORE,
    DURING,
    ENDS,
    STARTS,
    an_activity,
    event_names,
)


def test_a_new_activity_is_scheduled_with_nobody_signed_up_or_attending() -> None:
    activity = an_activity()

    assert activity.status == SCHEDULED
    assert activity.signups == set()
    assert activity.attendances == {}
    assert activity.longest_attendance == Decimal(3)


def test_members_sign_up_before_the_start() -> None:
    activity, member = an_activity(), uuid4()

    assert activity.sign_up(member, BEFORE, "member") is True

    assert activity.signups == {member}
    assert event_names(activity) == ["SignedUp"]


def test_signing_up_twice_changes_nothing() -> None:
    activity, member = an_activity(), uuid4()
    activity.sign_up(member, BEFORE, "member")
    activity.collect_events()

    assert activity.sign_up(member, BEFORE, "member") is False

    assert event_names(activity) == []


def test_nobody_signs_up_once_the_activity_has_started() -> None:
    activity = an_activity()

    with pytest.raises(ActivityStarted):
        activity.sign_up(uuid4(), STARTS, "member")

    assert activity.signups == set()


def test_nobody_signs_up_beyond_capacity() -> None:
    activity = an_activity(capacity=2)
    activity.sign_up(uuid4(), BEFORE, "member")
    activity.sign_up(uuid4(), BEFORE, "member")
    activity.collect_events()

    with pytest.raises(ActivityFull) as raised:
        activity.sign_up(uuid4(), BEFORE, "member")

    assert raised.value.code == "activity_full"
    assert len(activity.signups) == 2
    assert event_names(activity) == []


def test_a_member_already_signed_up_to_a_full_activity_is_not_refused() -> None:
    activity, member = an_activity(capacity=1), uuid4()
    activity.sign_up(member, BEFORE, "member")

    assert activity.sign_up(member, BEFORE, "member") is False


def test_withdrawing_frees_a_place() -> None:
    activity, member = an_activity(capacity=1), uuid4()
    activity.sign_up(member, BEFORE, "member")

    activity.withdraw(member, BEFORE, "member")

    assert activity.signups == set()
    assert activity.sign_up(uuid4(), BEFORE, "member") is True


def test_a_member_who_did_not_sign_up_cannot_withdraw() -> None:
    with pytest.raises(NotFound):
        an_activity().withdraw(uuid4(), BEFORE, "member")


def test_nobody_withdraws_once_the_activity_has_started() -> None:
    activity, member = an_activity(), uuid4()
    activity.sign_up(member, BEFORE, "member")

    with pytest.raises(ActivityStarted):
        activity.withdraw(member, DURING, "member")

    assert activity.signups == {member}


def test_attendance_earns_ten_points_an_hour_by_default() -> None:
    activity, member = an_activity(), uuid4()

    outcome = activity.record_attendance([(member, "1.5")], DURING, "organiser")

    assert (outcome.recorded, outcome.unchanged, outcome.corrected) == (1, 0, 0)
    attendance = activity.attendances[member]
    assert attendance.hours == Decimal("1.5")
    assert attendance.points == Decimal("15.0")
    assert event_names(activity) == ["AttendanceRecorded"]


def test_attendance_earns_the_activitys_own_rate() -> None:
    activity, member = an_activity(points_per_hour=Decimal("3")), uuid4()

    activity.record_attendance([(member, "0.25")], DURING, "organiser")

    assert activity.attendances[member].points == Decimal("0.8")


def test_attendance_at_a_fixed_points_activity_earns_the_fixed_points() -> None:
    activity, member = an_activity(fixed_points=Decimal("5")), uuid4()

    activity.record_attendance([(member, "0.5")], DURING, "organiser")

    assert activity.attendances[member].points == Decimal("5.0")


def test_one_event_records_a_whole_batch_of_members() -> None:
    activity, members = an_activity(), [uuid4() for _ in range(3)]

    outcome = activity.record_attendance([(m, 2) for m in members], DURING, "organiser")

    assert outcome.recorded == 3
    assert event_names(activity) == ["AttendanceRecorded"]
    assert activity.attendance_count == 3


def test_recording_the_same_hours_again_changes_nothing() -> None:
    activity, member = an_activity(), uuid4()
    activity.record_attendance([(member, "1.5")], DURING, "organiser")
    activity.collect_events()

    outcome = activity.record_attendance([(member, "1.50")], DURING, "organiser")

    assert (outcome.recorded, outcome.unchanged, outcome.corrected) == (0, 1, 0)
    assert event_names(activity) == []


def test_recording_different_hours_is_a_correction_that_keeps_the_history() -> None:
    activity, member = an_activity(), uuid4()
    activity.record_attendance([(member, "1.5")], DURING, "organiser")
    activity.collect_events()

    outcome = activity.record_attendance(
        [(member, 2)], DURING, "organiser", reason="签到表有误"
    )

    assert (outcome.recorded, outcome.unchanged, outcome.corrected) == (0, 0, 1)
    assert activity.attendances[member].points == Decimal("20.0")
    [corrected] = activity.collect_events()
    assert isinstance(corrected, Activity.AttendanceCorrected)
    assert corrected.reason == "签到表有误"
    [entry] = corrected.entries
    assert entry["previous_hours"] == Decimal("1.5")
    assert entry["previous_points"] == Decimal("15.0")


def test_one_request_may_record_new_unchanged_and_corrected_attendance() -> None:
    activity, kept, changed, new = an_activity(), uuid4(), uuid4(), uuid4()
    activity.record_attendance([(kept, 1), (changed, 1)], DURING, "organiser")
    activity.collect_events()

    outcome = activity.record_attendance(
        [(kept, 1), (changed, 2), (new, 3)], DURING, "organiser"
    )

    assert (outcome.recorded, outcome.unchanged, outcome.corrected) == (1, 1, 1)
    assert event_names(activity) == ["AttendanceRecorded", "AttendanceCorrected"]


def test_a_member_twice_in_one_request_with_different_hours_is_refused() -> None:
    activity, member = an_activity(), uuid4()

    with pytest.raises(InvalidCommand):
        activity.record_attendance([(member, 1), (member, 2)], DURING, "organiser")

    assert activity.attendances == {}
    assert event_names(activity) == []


def test_a_member_twice_in_one_request_with_the_same_hours_counts_once() -> None:
    activity, member = an_activity(), uuid4()

    outcome = activity.record_attendance(
        [(member, 1), (member, "1.0")], DURING, "organiser"
    )

    assert (outcome.recorded, outcome.unchanged) == (1, 1)


@pytest.mark.parametrize("hours", [0, -1, "0.3", "3.25", "NaN", 1.5, "1e30"])
def test_one_invalid_hours_value_refuses_the_whole_batch(hours: object) -> None:
    activity = an_activity()

    with pytest.raises(InvalidHours):
        activity.record_attendance(
            [(uuid4(), 1), (uuid4(), hours)], DURING, "organiser"
        )

    assert activity.attendances == {}
    assert event_names(activity) == []


def test_attendance_cannot_be_recorded_before_the_start() -> None:
    activity = an_activity()

    with pytest.raises(ActivityNotStarted):
        activity.record_attendance([(uuid4(), 1)], BEFORE, "organiser")


def test_attendance_can_be_recorded_after_the_end_until_closed() -> None:
    activity, member = an_activity(), uuid4()

    activity.record_attendance([(member, 3)], ENDS + timedelta(days=3), "organiser")

    assert activity.attendance_count == 1

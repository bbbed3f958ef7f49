"""An activity's rules: sign-ups, attendance, corrections, revocation, closing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.activity import CANCELLED, CLOSED, SCHEDULED, Activity
from domain.errors import (
    ActivityCancelled,
    ActivityClosed,
    ActivityFull,
    ActivityNotStarted,
    ActivityStarted,
    AlreadyCancelled,
    InvalidCommand,
    InvalidHours,
    NotFound,
)

STARTS = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
ENDS = STARTS + timedelta(hours=3)
BEFORE = STARTS - timedelta(hours=1)
DURING = STARTS + timedelta(hours=1)


def an_activity(
    capacity: int | None = None,
    points_per_hour: Decimal | None = None,
    fixed_points: Decimal | None = None,
) -> Activity:
    activity = Activity(
        title="社区清洁",
        team_id=uuid4(),
        community_id=uuid4(),
        category="环境整治",
        starts_at=STARTS,
        ends_at=ENDS,
        location=None,
        capacity=capacity,
        points_per_hour=points_per_hour,
        fixed_points=fixed_points,
        actor="organiser",
    )
    activity.collect_events()
    return activity


def event_names(activity: Activity) -> list[str]:
    return [type(e).__name__ for e in activity.collect_events()]


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


def test_revoking_attendance_keeps_it_with_its_reason_but_removes_its_points() -> None:
    activity, member = an_activity(), uuid4()
    activity.record_attendance([(member, 1)], DURING, "organiser")
    activity.collect_events()

    activity.revoke_attendance(member, "重复登记", "organiser")

    assert activity.attendances[member].revoked is True
    assert activity.attendance_count == 0
    [revoked] = activity.collect_events()
    assert isinstance(revoked, Activity.AttendanceRevoked)
    assert revoked.reason == "重复登记"


def test_only_standing_attendance_can_be_revoked() -> None:
    activity, member = an_activity(), uuid4()
    with pytest.raises(NotFound):
        activity.revoke_attendance(member, "重复登记", "organiser")
    activity.record_attendance([(member, 1)], DURING, "organiser")
    activity.revoke_attendance(member, "重复登记", "organiser")

    with pytest.raises(NotFound):
        activity.revoke_attendance(member, "重复登记", "organiser")


def test_revoked_attendance_can_be_recorded_afresh() -> None:
    activity, member = an_activity(), uuid4()
    activity.record_attendance([(member, 1)], DURING, "organiser")
    activity.revoke_attendance(member, "误撤销", "organiser")
    activity.collect_events()

    outcome = activity.record_attendance([(member, 1)], DURING, "organiser")

    assert outcome.recorded == 1
    assert activity.attendances[member].revoked is False
    assert event_names(activity) == ["AttendanceRecorded"]


def test_closing_stops_attendance_being_recorded() -> None:
    activity = an_activity()

    assert activity.close(DURING, "organiser") is True

    assert activity.status == CLOSED
    with pytest.raises(ActivityClosed):
        activity.record_attendance([(uuid4(), 1)], DURING, "organiser")
    with pytest.raises(ActivityClosed):
        activity.sign_up(uuid4(), DURING, "member")


def test_closing_twice_changes_nothing() -> None:
    activity = an_activity()
    activity.close(DURING, "organiser")
    activity.collect_events()

    assert activity.close(DURING, "organiser") is False

    assert event_names(activity) == []


def test_an_activity_cannot_be_closed_before_it_starts() -> None:
    with pytest.raises(ActivityNotStarted):
        an_activity().close(BEFORE, "organiser")


def test_a_mistake_can_still_be_revoked_after_closing() -> None:
    activity, member = an_activity(), uuid4()
    activity.record_attendance([(member, 1)], DURING, "organiser")
    activity.close(DURING, "organiser")

    activity.revoke_attendance(member, "冒名登记", "organiser")

    assert activity.attendance_count == 0


def test_cancelling_revokes_every_standing_attendance_with_the_cancellation() -> None:
    activity = an_activity()
    members = sorted((uuid4() for _ in range(3)), key=str)
    activity.record_attendance([(m, 1) for m in members], DURING, "organiser")
    activity.revoke_attendance(members[0], "重复登记", "organiser")
    activity.collect_events()

    revoked = activity.cancel("暴雨", "organiser")

    assert revoked == members[1:]
    assert activity.status == CANCELLED
    assert activity.attendance_count == 0
    [cancelled] = activity.collect_events()
    assert isinstance(cancelled, Activity.Cancelled)
    assert cancelled.reason == "暴雨"
    assert cancelled.revoked_member_ids == members[1:]


def test_a_cancelled_activity_awards_nothing_and_accepts_nothing() -> None:
    activity, member = an_activity(), uuid4()
    activity.sign_up(member, BEFORE, "member")
    activity.cancel("暴雨", "organiser")

    with pytest.raises(ActivityCancelled):
        activity.record_attendance([(member, 1)], DURING, "organiser")
    with pytest.raises(ActivityCancelled):
        activity.sign_up(uuid4(), BEFORE, "member")
    with pytest.raises(ActivityCancelled):
        activity.withdraw(member, BEFORE, "member")
    with pytest.raises(ActivityCancelled):
        activity.close(DURING, "organiser")
    with pytest.raises(ActivityCancelled):
        activity.revoke_attendance(member, "x", "organiser")


def test_cancelling_twice_is_refused() -> None:
    activity = an_activity()
    activity.cancel("暴雨", "organiser")

    with pytest.raises(AlreadyCancelled) as raised:
        activity.cancel("暴雨", "organiser")

    assert raised.value.code == "already_cancelled"


def test_a_closed_activity_cannot_be_cancelled() -> None:
    activity = an_activity()
    activity.close(DURING, "organiser")

    with pytest.raises(ActivityClosed):
        activity.cancel("暴雨", "organiser")


def test_replaying_the_events_gives_the_same_activity() -> None:
    member, other = uuid4(), uuid4()
    live = Activity(
        title="义诊",
        team_id=uuid4(),
        community_id=uuid4(),
        category="义诊",
        starts_at=STARTS,
        ends_at=ENDS,
        location="社区卫生站",
        capacity=5,
        points_per_hour=Decimal("12"),
        fixed_points=None,
        actor="organiser",
    )
    live.sign_up(member, BEFORE, "member")
    live.record_attendance([(member, "1.25"), (other, 2)], DURING, "organiser")
    live.record_attendance([(member, 3)], DURING, "organiser")
    live.revoke_attendance(other, "未到场", "organiser")
    live.close(DURING, "organiser")

    replayed = None
    for stored in live.collect_events():
        replayed = stored.mutate(replayed)

    assert isinstance(replayed, Activity)
    assert state(replayed) == state(live)
    assert replayed.attendances[member].points == Decimal("36.0")


def state(activity: Activity) -> dict[str, object]:
    return {k: v for k, v in vars(activity).items() if k != "_pending_events"}

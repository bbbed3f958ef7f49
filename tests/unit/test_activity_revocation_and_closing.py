"""An activity's rules after attendance: revoking it, closing and cancelling
the activity, and replaying its events."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from domain.activity import CANCELLED, CLOSED, Activity
from domain.errors import (
    ActivityCancelled,
    ActivityClosed,
    ActivityNotStarted,
    AlreadyCancelled,
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

"""The district driver's commands of activities and attendance, each valid
when given."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from domain.activity import CANCELLED, CLOSED
from tests.projections.district_model import (
    ACTOR,
    BEIJING_TIME,
    DURATIONS,
    HOURS,
    REASONS,
    RECORDER,
    RULES,
    TITLES,
    Activity,
    DistrictState,
    beijing,
)


class ActivityCommands(DistrictState):
    """The commands of activities and attendance that ``District`` chooses
    from."""

    # Activities and attendance.

    def starts(self) -> list[datetime]:
        """Start times around this year: last year (back-filled), around
        midnight (in Shanghai and in UTC), later this year and next year."""
        now = self.clock.now
        y = now.astimezone(BEIJING_TIME).year
        fixed = [
            beijing(f"{y - 1}-03-15", "09:00"),
            beijing(f"{y - 1}-12-31", "23:59"),
            beijing(f"{y}-01-01", "00:00"),
            beijing(f"{y}-01-01", "07:59"),  # still 31 December in UTC
            beijing(f"{y}-06-30", "19:00"),
            beijing(f"{y}-12-31", "23:30"),
            beijing(f"{y + 1}-01-01", "00:30"),
            beijing(f"{y + 1}-06-30", "09:00"),
        ]
        return fixed + [now - timedelta(hours=3), now + timedelta(hours=2)] * 2

    def schedule_activity(self) -> None:
        starts_at = self.choose.choice(self.starts()).replace(microsecond=0)
        duration = self.choose.choice(DURATIONS)
        capacity = self.choose.choice([None, None, 1, 2])
        written = self.app.schedule_activity(
            self.choose.choice(TITLES),
            self.choose.choice(self.standing_teams()),
            "政策宣讲",
            starts_at,
            starts_at + duration,
            ACTOR,
            location=self.choose.choice([None, "社区党群服务中心"]),
            capacity=capacity,
            **self.choose.choice(RULES),
        )
        longest = Decimal(int(duration.total_seconds())) / 3600
        self.activities[written.id] = Activity(starts_at, longest, capacity)

    def sign_up(self) -> None:
        activity = self.choose.choice(self.open_for_sign_up())
        member = self.choose.choice(self.registered())
        self.app.sign_up(activity, member, "member")
        self.activities[activity].signups.add(member)

    def withdraw(self) -> None:
        activity = self.choose.choice(self.withdrawable())
        member = self.choose.choice(self.among(self.activities[activity].signups))
        self.app.withdraw(activity, member, "member")
        self.activities[activity].signups.remove(member)

    def record_attendance(self) -> None:
        activity = self.choose.choice(self.open_for_attendance())
        longest = self.activities[activity].longest
        hours = [h for h in HOURS if Decimal(h) <= longest]
        registered = self.registered()
        chosen = {
            self.choose.choice(registered) for _ in range(self.choose.integer(1, 3))
        }
        records = [(m, Decimal(self.choose.choice(hours))) for m in self.among(chosen)]
        reason = self.choose.choice([None, *REASONS])
        actor = self.choose.choice([ACTOR, RECORDER])
        self.app.record_attendance(activity, records, actor, reason=reason)
        self.activities[activity].counting |= chosen

    def revoke_attendance(self) -> None:
        activity = self.choose.choice(self.revocable())
        member = self.choose.choice(self.among(self.activities[activity].counting))
        reason = self.choose.choice(REASONS)
        self.app.revoke_attendance(activity, member, reason, RECORDER)
        self.activities[activity].counting.remove(member)

    def cancel_activity(self) -> None:
        activity = self.choose.choice(self.cancellable())
        self.app.cancel_activity(activity, "暴雨，活动取消", ACTOR)
        self.activities[activity].status = CANCELLED
        self.activities[activity].counting.clear()

    def close_activity(self) -> None:
        activity = self.choose.choice(self.open_for_attendance())
        self.app.close_activity(activity, ACTOR)
        self.activities[activity].status = CLOSED

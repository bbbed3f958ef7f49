"""An activity's making: its start and hours, its scheduling after the
checks the command makes, its attendance, and its closing once it is over."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from api.demo.sampling import at, between
from api.demo.state import DistrictState
from api.demo.vocabulary import FIXED_POINTS
from domain.activity import SCHEDULED, Activity
from domain.commands.activities import check_window
from domain.dates import local_date
from domain.inputs import check_capacity, check_text
from domain.member import Member
from domain.points import points_rule
from domain.team import Team

QUARTER = Decimal("0.25")
CLOSED_AFTER = timedelta(days=3)


class Scheduling(DistrictState):
    """What every activity the demo holds goes through."""

    def start_this_year(self, first: date, duration: Decimal) -> datetime:
        """A start on a day from ``first`` to today, ending an hour or more
        before now where the day allows it."""
        length = timedelta(minutes=int(duration * 60))
        last = local_date(self.now - length - timedelta(hours=9))
        day = between(self.rng, first, max(last, first))
        starts_at = at(day, 8) + timedelta(minutes=30 * self.rng.randint(0, 16))
        latest = self.now - length - timedelta(hours=1)
        if starts_at > latest:
            starts_at = max(at(day, 0), latest)
        return starts_at

    def hours(self, duration: Decimal) -> Decimal:
        """Mostly the whole activity, sometimes less, at least half of it."""
        shorter = QUARTER * self.rng.choice((0, 0, 0, 0, 1, 2, 4))
        half = (duration / 2 / QUARTER).to_integral_value() * QUARTER
        return max(duration - shorter, half)

    def held_before(self, team: Team, day: date, attendees: list[Member]) -> None:
        plan, rng = self.plan, self.rng
        duration = Decimal(rng.choice(plan.durations))
        category, titles = rng.choice(plan.titles)
        activity = self.schedule(
            team,
            category,
            rng.choice(titles.split()),
            at(day, 8) + timedelta(minutes=30 * rng.randint(0, 16)),
            duration,
        )
        if attendees:
            self.record(activity, [(m, self.hours(duration)) for m in attendees])
        self.done(activity)

    def schedule(
        self,
        team: Team,
        category: str,
        title: str,
        starts_at: datetime,
        duration: Decimal,
        capacity: int | None = None,
    ) -> Activity:
        team.check_is_not_dissolved()
        start, end = check_window(
            starts_at, starts_at + timedelta(minutes=int(duration * 60))
        )
        rate, fixed = points_rule(None, FIXED_POINTS.get(category))
        self.activities += 1
        return Activity(
            title=check_text(title, "title"),
            team_id=team.id,
            community_id=team.community_id,
            category=check_text(category, "category", max_length=50),
            starts_at=start,
            ends_at=end,
            location=f"{self.community_names[team.community_id]}党群服务中心",
            capacity=check_capacity(capacity),
            points_per_hour=rate,
            fixed_points=fixed,
            actor=self.actor,
        )

    def record(
        self,
        activity: Activity,
        records: Sequence[tuple[Member, Decimal]],
        reason: str | None = None,
    ) -> None:
        for member, _ in records:
            member.check_is_registered()
        entries = [(m.id, h) for m, h in records]
        activity.record_attendance(entries, self.app.clock(), self.actor, reason)

    def done(self, activity: Activity) -> None:
        """Closes an activity that ended days ago, as organisers do, and
        saves it with the next batch."""
        if activity.status == SCHEDULED and activity.ends_at < self.now - CLOSED_AFTER:
            activity.close(self.app.clock(), self.actor)
        self.attendances += activity.attendance_count
        self.batch.add(activity)

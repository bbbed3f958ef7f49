"""A district's activities (志愿活动): this year's, held and attended as
planned, and last year's, cancelled, upcoming and the dissolved teams' last."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from api.demo.sampling import at, between, spread
from api.demo.scheduling import QUARTER, Scheduling
from api.demo.vocabulary import CANCELLED, CORRECTED, DISSOLVED, FIXED_POINTS, REVOKED
from domain.inputs import check_reason
from domain.member import Member
from domain.team import Team


@dataclass
class Planned:
    """An activity of this year before it is recorded: who attended, how long."""

    team: Team
    starts_at: datetime
    duration: Decimal
    category: str
    title: str
    attendees: list[Member] = field(default_factory=list)
    hours: list[Decimal] = field(default_factory=list)
    extra: Member | None = None


class ActivityLoading(Scheduling):
    """This year's activities, then the others."""

    def load_activities(self) -> None:
        plan, rng = self.plan, self.rng
        planned = self.plan_this_year()
        if plan.reported_average_points is not None:
            self.make_average(planned, plan.reported_average_points)
        corrections = set(
            rng.sample(
                [(i, j) for i, p in enumerate(planned) for j in range(len(p.hours))],
                plan.corrections,
            )
        )
        spare = [p for p in planned if len(self.rosters[p.team.id]) > len(p.attendees)]
        for p in rng.sample(spare, plan.revocations):
            present = {m.id for m in p.attendees}
            absent = [
                m for m, _ in self.rosters[p.team.id].values() if m.id not in present
            ]
            p.extra = rng.choice(absent)
        for i, p in enumerate(planned):
            self.hold(p, {j for k, j in corrections if k == i})
        self.load_other_activities()

    def plan_this_year(self) -> list[Planned]:
        plan, rng = self.plan, self.rng
        per_team = spread(rng, plan.activities, [plan.activities] * len(self.teams), 1)
        planned = []
        for team, count in zip(self.teams, per_team, strict=True):
            first = max(team.founded_on, self.year_start)
            for _ in range(count):
                duration = Decimal(rng.choice(plan.durations))
                category, titles = rng.choice(plan.titles)
                starts_at = self.start_this_year(first, duration)
                planned.append(
                    Planned(
                        team, starts_at, duration, category, rng.choice(titles.split())
                    )
                )
        caps = [len(self.rosters[p.team.id]) for p in planned]
        least = min(plan.least_attendance, *caps)
        counts = spread(rng, plan.participations, caps, least)
        if plan.reported_participations is None:
            for p, count in zip(planned, counts, strict=True):
                roster = [m for m, _ in self.rosters[p.team.id].values()]
                p.attendees = rng.sample(roster, count)
                p.hours = [self.hours(p.duration) for _ in p.attendees]
        else:
            self.choose_attendees(planned, counts, plan.reported_participations)
            for p in planned:
                p.hours = [self.hours(p.duration) for _ in p.attendees]
        return planned

    def choose_attendees(
        self, planned: list[Planned], counts: list[int], reported: int
    ) -> None:
        """Each activity's attendees, so that ``reported`` of all the
        participations are those of members double-reported."""
        rng = self.rng
        parts = []
        for p, count in zip(planned, counts, strict=True):
            roster = [m for m, _ in self.rosters[p.team.id].values()]
            on_report = [m for m in roster if m.reported_to is not None]
            others = [m for m in roster if m.reported_to is None]
            least = max(0, count - len(others))
            parts.append((on_report, others, count, least))
        caps = [min(count, len(r)) - least for r, _, count, least in parts]
        extra = spread(rng, reported - sum(part[3] for part in parts), caps)
        for p, (on_report, others, count, least), more in zip(
            planned, parts, extra, strict=True
        ):
            chosen = least + more
            p.attendees = rng.sample(on_report, chosen) + rng.sample(
                others, count - chosen
            )

    def make_average(self, planned: list[Planned], average: Decimal) -> None:
        """Moves hours a quarter at a time until the points (10 an hour) of
        the members double-reported divided by their number make
        ``average``."""
        assert all(p.category not in FIXED_POINTS for p in planned)
        reported = sum(1 for m in self.members if m.reported_to is not None)
        target = (average * reported / 10 / QUARTER).to_integral_value(
            ROUND_HALF_UP
        ) * QUARTER
        cells = [
            (p, j)
            for p in planned
            for j, m in enumerate(p.attendees)
            if m.reported_to is not None
        ]
        total = sum((p.hours[j] for p, j in cells), Decimal(0))
        self.rng.shuffle(cells)
        for index in range(100 * len(cells)):
            if total == target:
                return
            p, j = cells[index % len(cells)]
            if total > target and p.hours[j] > 1:
                p.hours[j] -= QUARTER
                total -= QUARTER
            elif total < target and p.hours[j] < p.duration:
                p.hours[j] += QUARTER
                total += QUARTER
        raise AssertionError(f"{self.plan.name}: hours cannot make {average}")

    def hold(self, p: Planned, corrected: set[int]) -> None:
        """Schedules an activity held this year and records its attendance:
        corrected hours first as written on the sheet, then as checked; a
        member recorded by mistake, then revoked."""
        activity = self.schedule(p.team, p.category, p.title, p.starts_at, p.duration)
        records = [
            (m, self.as_first_written(h, p.duration) if j in corrected else h)
            for j, (m, h) in enumerate(zip(p.attendees, p.hours, strict=True))
        ]
        if p.extra is not None:
            records.append((p.extra, p.duration))
        if records:
            self.record(activity, records)
        if corrected:
            checked = [(p.attendees[j], p.hours[j]) for j in sorted(corrected)]
            self.record(activity, checked, check_reason(CORRECTED))
        if p.extra is not None:
            activity.revoke_attendance(p.extra.id, check_reason(REVOKED), self.actor)
        self.done(activity)

    @staticmethod
    def as_first_written(hours: Decimal, duration: Decimal) -> Decimal:
        half_hour = 2 * QUARTER
        return hours + half_hour if hours + half_hour <= duration else hours - half_hour

    def load_other_activities(self) -> None:
        """Last year's activities, this year's cancelled ones, those still to
        come (with sign-ups), and the dissolved teams' last activities."""
        plan, rng = self.plan, self.rng
        old_teams = [t for t in self.teams if t.founded_on < self.year_start]
        autumn = date(self.today.year - 1, 9, 1)
        for _ in range(plan.last_year_activities):
            team = rng.choice(old_teams)
            day = between(rng, autumn, self.last_year_end)
            eligible = [
                m for m, joined in self.rosters[team.id].values() if joined <= day
            ]
            self.held_before(
                team, day, rng.sample(eligible, min(len(eligible), rng.randint(3, 15)))
            )
        for _ in range(plan.cancelled_activities):
            team = rng.choice(self.teams)
            duration = Decimal(rng.choice(plan.durations))
            category, titles = rng.choice(plan.titles)
            starts_at = self.start_this_year(
                max(team.founded_on, self.year_start), duration
            )
            activity = self.schedule(
                team, category, rng.choice(titles.split()), starts_at, duration
            )
            activity.cancel(check_reason(CANCELLED), self.actor)
            self.done(activity)
        for _ in range(plan.upcoming_activities):
            team = rng.choice(self.teams)
            day = self.today + timedelta(days=rng.randint(2, 28))
            category, titles = rng.choice(plan.titles)
            activity = self.schedule(
                team,
                category,
                rng.choice(titles.split()),
                at(day, rng.choice((9, 14))),
                Decimal(rng.choice(plan.durations)),
                capacity=30,
            )
            roster = [m for m, _ in self.rosters[team.id].values()]
            for member in rng.sample(roster, min(len(roster), rng.randint(3, 10))):
                member.check_is_registered()
                activity.sign_up(member.id, self.app.clock(), self.actor)
            self.done(activity)
        for team, crew in self.dissolving:
            dissolved_on = between(
                rng, date(self.today.year - 1, 10, 1), date(self.today.year - 1, 11, 30)
            )
            for _ in range(2):
                day = between(
                    rng,
                    date(self.today.year - 1, 7, 1),
                    dissolved_on - timedelta(days=1),
                )
                self.held_before(team, day, crew)
            self.batch.flush()
            team.dissolve(
                check_reason(DISSOLVED),
                self.on(dissolved_on, "dissolved_on"),
                self.actor,
            )
            self.batch.add(team)

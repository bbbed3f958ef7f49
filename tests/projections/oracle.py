"""An independent recomputation of every published figure from the stored events.

It shares no code with ``projections/``: it folds the event list into plain
state, then counts from that state, with its own decimal arithmetic, its own
points rule and its own Asia/Shanghai dates. Its methods answer the same
questions as ``projections.queries.Queries`` with the same plain data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from domain.application import VolunteerPoints

BEIJING_TIME = ZoneInfo("Asia/Shanghai")
STAR_HOURS = (100, 300, 600, 1000, 1500)
COUNTING = ("recorded", "corrected")


def stored_events(app: VolunteerPoints, page: int = 5000) -> Iterator[Any]:
    """Every event in the log, in order, read straight from the recorder."""
    start = 1
    while notifications := app.recorder.select_notifications(start=start, limit=page):
        yield from (app.mapper.to_domain_event(n) for n in notifications)
        start = notifications[-1].id + 1


def one_place(value: Decimal | Fraction) -> Decimal:
    """Rounds half-up to one decimal place (exact for fractions, too)."""
    if isinstance(value, Fraction):
        tenths = value * 10
        whole = tenths.numerator // tenths.denominator
        if tenths - whole >= Fraction(1, 2):
            whole += 1
        return Decimal(whole) / 10
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def points_shown(value: Decimal) -> str:
    return f"{one_place(value):.1f}"


def hours_shown(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


@dataclass
class Attendance:
    member_id: str
    hours: Decimal
    points: Decimal
    status: str
    recorded_by: str
    reason: str | None = None

    @property
    def counts(self) -> bool:
        return self.status in COUNTING


@dataclass
class Activity:
    id: str
    title: str
    team_id: str
    community_id: str
    category: str
    starts_at: datetime
    ends_at: datetime
    location: str | None
    capacity: int | None
    points_per_hour: Decimal | None
    fixed_points: Decimal | None
    status: str = "scheduled"
    signups: set[str] = field(default_factory=set)
    attendances: dict[str, Attendance] = field(default_factory=dict)

    @property
    def day(self) -> date:
        return self.starts_at.astimezone(BEIJING_TIME).date()

    def points_for(self, hours: Decimal) -> Decimal:
        if self.fixed_points is not None:
            return one_place(self.fixed_points)
        rate = Decimal(10) if self.points_per_hour is None else self.points_per_hour
        return one_place(hours * rate)


@dataclass
class Member:
    id: str
    name: str
    community_id: str
    party_member: bool
    unit_id: str | None
    grid: str | None
    phone: str | None
    registered_on: date
    reported_to: str | None = None
    reported_on: date | None = None


@dataclass
class Team:
    id: str
    name: str
    community_id: str
    members: set[str] = field(default_factory=set)
    dissolved: bool = False


def text(value: Any) -> str | None:
    return None if value is None else str(value)


class Oracle:
    """What every figure must be, given the events."""

    def __init__(self, events: Iterable[Any]) -> None:
        self.communities: dict[str, tuple[str, str | None]] = {}
        self.units: dict[str, str] = {}
        self.unit_reports: dict[str, dict[str, date]] = {}
        self.members: dict[str, Member] = {}
        self.teams: dict[str, Team] = {}
        self.activities: dict[str, Activity] = {}
        self.events = 0
        self.entries = 0
        folds: dict[str, Callable[[Any], None]] = {
            "Community.Registered": self._community_registered,
            "Unit.Registered": self._unit_registered,
            "Unit.DoubleReported": self._unit_reported,
            "Member.Registered": self._member_registered,
            "Member.DoubleReported": self._member_reported,
            "Team.Founded": self._team_founded,
            "Team.MemberJoined": self._member_joined,
            "Team.MemberLeft": self._member_left,
            "Team.Dissolved": self._team_dissolved,
            "Activity.Scheduled": self._scheduled,
            "Activity.SignedUp": self._signed_up,
            "Activity.Withdrew": self._withdrew,
            "Activity.AttendanceRecorded": self._recorded,
            "Activity.AttendanceCorrected": self._corrected,
            "Activity.AttendanceRevoked": self._revoked,
            "Activity.Cancelled": self._cancelled,
            "Activity.Closed": self._closed,
        }
        for event in events:
            self.events += 1
            fold = folds.get(type(event).__qualname__)
            if fold is not None:
                fold(event)
        self._by_member: dict[str, list[tuple[Activity, Attendance]]] = defaultdict(
            list
        )
        for activity in self.activities.values():
            for attendance in activity.attendances.values():
                self._by_member[attendance.member_id].append((activity, attendance))

    # Folding the events into plain state.

    def _community_registered(self, e: Any) -> None:
        self.communities[str(e.originator_id)] = (e.name, e.street)

    def _unit_registered(self, e: Any) -> None:
        self.units[str(e.originator_id)] = e.name
        self.unit_reports[str(e.originator_id)] = {}

    def _unit_reported(self, e: Any) -> None:
        reports = self.unit_reports[str(e.originator_id)]
        assert str(e.community_id) not in reports, "a unit reported twice"
        reports[str(e.community_id)] = e.reported_on

    def _member_registered(self, e: Any) -> None:
        member_id = str(e.originator_id)
        self.members[member_id] = Member(
            member_id,
            e.name,
            str(e.community_id),
            e.party_member,
            text(e.unit_id),
            e.grid,
            e.phone,
            e.registered_on,
        )

    def _member_reported(self, e: Any) -> None:
        member = self.members[str(e.originator_id)]
        member.reported_to = str(e.community_id)
        member.reported_on = e.reported_on

    def _team_founded(self, e: Any) -> None:
        team_id = str(e.originator_id)
        self.teams[team_id] = Team(team_id, e.name, str(e.community_id))

    def _member_joined(self, e: Any) -> None:
        self.teams[str(e.originator_id)].members.add(str(e.member_id))

    def _member_left(self, e: Any) -> None:
        self.teams[str(e.originator_id)].members.remove(str(e.member_id))

    def _team_dissolved(self, e: Any) -> None:
        self.teams[str(e.originator_id)].dissolved = True

    def _scheduled(self, e: Any) -> None:
        activity_id = str(e.originator_id)
        self.activities[activity_id] = Activity(
            activity_id,
            e.title,
            str(e.team_id),
            str(e.community_id),
            e.category,
            e.starts_at.astimezone(UTC),
            e.ends_at.astimezone(UTC),
            e.location,
            e.capacity,
            e.points_per_hour,
            e.fixed_points,
        )

    def _signed_up(self, e: Any) -> None:
        self.activities[str(e.originator_id)].signups.add(str(e.member_id))

    def _withdrew(self, e: Any) -> None:
        self.activities[str(e.originator_id)].signups.remove(str(e.member_id))

    def _attend(self, e: Any, status: str, reason: str | None) -> None:
        activity = self.activities[str(e.originator_id)]
        for entry in e.entries:
            self.entries += 1
            points = activity.points_for(entry["hours"])
            assert entry["points"] == points, (entry, points)
            activity.attendances[str(entry["member_id"])] = Attendance(
                str(entry["member_id"]), entry["hours"], points, status, e.actor, reason
            )

    def _recorded(self, e: Any) -> None:
        self._attend(e, "recorded", None)

    def _corrected(self, e: Any) -> None:
        self._attend(e, "corrected", e.reason)

    def _take_back(self, attendance: Attendance, status: str, e: Any) -> None:
        attendance.status = status
        attendance.reason = e.reason
        attendance.recorded_by = e.actor

    def _revoked(self, e: Any) -> None:
        activity = self.activities[str(e.originator_id)]
        self._take_back(activity.attendances[str(e.member_id)], "revoked", e)

    def _cancelled(self, e: Any) -> None:
        # Independent of the event's own list: every attendance still counting.
        activity = self.activities[str(e.originator_id)]
        activity.status = "cancelled"
        for attendance in activity.attendances.values():
            if attendance.counts:
                self._take_back(attendance, "cancelled", e)

    def _closed(self, e: Any) -> None:
        self.activities[str(e.originator_id)].status = "closed"

    # The questions the read side answers.

    def years(self) -> list[int]:
        """Every year the events touch, and one on either side."""
        found = {a.day.year for a in self.activities.values()}
        found |= {m.registered_on.year for m in self.members.values()}
        if not found:
            return []
        return list(range(min(found) - 1, max(found) + 2))

    def _counting(self, member_id: str) -> list[tuple[Activity, Attendance]]:
        return [(a, t) for a, t in self._by_member.get(member_id, []) if t.counts]

    def annual_points(self, member_id: str, year: int) -> Decimal:
        return sum(
            (t.points for a, t in self._counting(member_id) if a.day.year == year),
            Decimal(0),
        )

    def member_points(self, member_id: str, year: int) -> dict[str, Any]:
        counting = self._counting(member_id)
        this_year = [t for a, t in counting if a.day.year == year]
        lifetime_hours = sum((t.hours for _, t in counting), Decimal(0))
        return {
            "member_id": member_id,
            "year": year,
            "points": points_shown(sum((t.points for t in this_year), Decimal(0))),
            "hours": hours_shown(sum((t.hours for t in this_year), Decimal(0))),
            "activities": len(this_year),
            "lifetime_points": points_shown(
                sum((t.points for _, t in counting), Decimal(0))
            ),
            "lifetime_hours": hours_shown(lifetime_hours),
            "star": sum(1 for h in STAR_HOURS if lifetime_hours >= h),
        }

    def statement(self, member_id: str, year: int) -> dict[str, Any]:
        rows = sorted(
            (
                (a, t)
                for a, t in self._by_member.get(member_id, [])
                if a.day.year == year
            ),
            key=lambda row: (row[0].starts_at, row[0].id),
        )
        totals = self.member_points(member_id, year)
        return {
            "member_id": member_id,
            "year": year,
            "items": [
                {
                    "activity_id": a.id,
                    "title": a.title,
                    "date": a.day.isoformat(),
                    "hours": str(t.hours),
                    "points": str(t.points) if t.counts else "0.0",
                    "status": t.status,
                    "recorded_by": t.recorded_by,
                    "reason": t.reason,
                }
                for a, t in rows
            ],
            "points": totals["points"],
            "hours": totals["hours"],
        }

    def member(self, member_id: str) -> dict[str, Any] | None:
        member = self.members.get(member_id)
        if member is None:
            return None
        teams = sorted(t.id for t in self.teams.values() if member_id in t.members)
        return self.member_record(member) | {"teams": teams}

    @staticmethod
    def member_record(member: Member) -> dict[str, Any]:
        return {
            "id": member.id,
            "name": member.name,
            "community_id": member.community_id,
            "party_member": member.party_member,
            "unit_id": member.unit_id,
            "grid": member.grid,
            "phone": member.phone,
            "registered_on": member.registered_on.isoformat(),
            "double_report": None
            if member.reported_to is None
            else {
                "community_id": member.reported_to,
                "reported_on": text(member.reported_on),
            },
        }

    def community_members(self, community_id: str) -> list[dict[str, Any]]:
        return [
            self.member_record(m)
            for m in sorted(self.members.values(), key=lambda m: m.id)
            if m.community_id == community_id
        ]

    def leaderboard(self, community_id: str, year: int, limit: int) -> dict[str, Any]:
        board = []
        for member in self.members.values():
            if member.community_id != community_id:
                continue
            this_year = [t for a, t in self._counting(member.id) if a.day.year == year]
            points = sum((t.points for t in this_year), Decimal(0))
            hours = sum((t.hours for t in this_year), Decimal(0))
            if points > 0:
                board.append((-points, -hours, member.id, member.name, points, hours))
        board.sort()
        return {
            "community_id": community_id,
            "year": year,
            "items": [
                {
                    "member_id": member_id,
                    "name": name,
                    "points": points_shown(points),
                    "hours": hours_shown(hours),
                }
                for _, _, member_id, name, points, hours in board[:limit]
            ],
        }

    def _held(self, year: int) -> list[Activity]:
        return [
            a
            for a in self.activities.values()
            if a.status != "cancelled" and a.day.year == year
        ]

    def team(self, team_id: str, year: int) -> dict[str, Any] | None:
        team = self.teams.get(team_id)
        if team is None:
            return None
        activities = [a for a in self._held(year) if a.team_id == team_id]
        counted = [t for a in activities for t in a.attendances.values() if t.counts]
        return self.team_record(team) | {
            "year": year,
            "members": len(team.members),
            "activities": len(activities),
            "participations": len(counted),
            "hours": hours_shown(sum((t.hours for t in counted), Decimal(0))),
            "points": points_shown(sum((t.points for t in counted), Decimal(0))),
        }

    @staticmethod
    def team_record(team: Team) -> dict[str, Any]:
        return {
            "id": team.id,
            "name": team.name,
            "community_id": team.community_id,
            "dissolved": team.dissolved,
        }

    def all_teams(self, community_id: str | None) -> list[dict[str, Any]]:
        return [
            self.team_record(t)
            for t in sorted(self.teams.values(), key=lambda t: t.id)
            if community_id in (None, t.community_id)
        ]

    def activity(self, activity_id: str) -> dict[str, Any] | None:
        activity = self.activities.get(activity_id)
        if activity is None:
            return None
        return {
            "id": activity.id,
            "title": activity.title,
            "team_id": activity.team_id,
            "community_id": activity.community_id,
            "category": activity.category,
            "starts_at": activity.starts_at.isoformat(),
            "ends_at": activity.ends_at.isoformat(),
            "date": activity.day.isoformat(),
            "location": activity.location,
            "status": activity.status,
            "capacity": activity.capacity,
            "signups": len(activity.signups),
            "attendances": sum(1 for t in activity.attendances.values() if t.counts),
        }

    def all_activities(
        self, team_id: str | None = None, community_id: str | None = None
    ) -> list[dict[str, Any]]:
        chosen = sorted(
            (
                a
                for a in self.activities.values()
                if team_id in (None, a.team_id)
                and community_id in (None, a.community_id)
            ),
            key=lambda a: (a.starts_at, a.id),
        )
        return [self.activity(a.id) for a in chosen]

    def stats(self, community_id: str | None, year: int) -> dict[str, Any]:
        def inside(owner: str | None) -> bool:
            return owner is not None and community_id in (None, owner)

        standing = [
            t for t in self.teams.values() if not t.dissolved and inside(t.community_id)
        ]
        held = [a for a in self._held(year) if inside(a.community_id)]
        counted = [t for a in held for t in a.attendances.values() if t.counts]
        year_end = date(year, 12, 31)
        registered = [
            m
            for m in self.members.values()
            if inside(m.community_id) and m.registered_on <= year_end
        ]
        total = sum((self.annual_points(m.id, year) for m in registered), Decimal(0))
        average = (
            one_place(Fraction(total) / len(registered)) if registered else Decimal(0)
        )
        reporting_units = {
            unit_id
            for unit_id, reports in self.unit_reports.items()
            if any(inside(c) for c in reports)
        }
        return {
            "year": year,
            "teams": len(standing),
            "volunteers": len(set().union(*(t.members for t in standing))),
            "activities": len(held),
            "participations": len(counted),
            "hours": hours_shown(sum((t.hours for t in counted), Decimal(0))),
            "points": points_shown(sum((t.points for t in counted), Decimal(0))),
            "members": len(registered),
            "avg_annual_points": points_shown(average),
            "units_reported": len(reporting_units),
            "members_reported": sum(
                1 for m in self.members.values() if inside(m.reported_to)
            ),
        }

    def community_double_reports(self, community_id: str) -> dict[str, Any]:
        units = sorted(
            (reports[community_id].isoformat(), unit_id)
            for unit_id, reports in self.unit_reports.items()
            if community_id in reports
        )
        members = sorted(
            (m.reported_on.isoformat(), m.id, m.name)
            for m in self.members.values()
            if m.reported_to == community_id and m.reported_on is not None
        )
        return {
            "community_id": community_id,
            "units": [
                {"unit_id": u, "name": self.units[u], "reported_on": on}
                for on, u in units
            ],
            "members": [
                {"member_id": m, "name": name, "reported_on": on}
                for on, m, name in members
            ],
        }

    def unit_double_reports(self, unit_id: str) -> dict[str, Any]:
        reports = self.unit_reports.get(unit_id, {})
        return {
            "unit_id": unit_id,
            "communities": [
                {"community_id": c, "reported_on": on}
                for on, c in sorted((d.isoformat(), c) for c, d in reports.items())
            ],
            "members": [
                {
                    "member_id": m.id,
                    "name": m.name,
                    "community_id": m.reported_to,
                    "reported_on": text(m.reported_on),
                }
                for m in sorted(self.members.values(), key=lambda m: m.id)
                if m.unit_id == unit_id and m.reported_to is not None
            ],
        }

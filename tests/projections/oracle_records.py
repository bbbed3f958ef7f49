"""The plain, dated records the oracle's state is made of, and the oracle's own
rounding and dates: one place of decimals half-up, Asia/Shanghai. Like the
fold, they share no code with ``projections/``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
COUNTING = ("recorded", "corrected")


def one_place(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def in_effect(start: date, end: date | None, on: date) -> bool:
    """A fact dated ``start`` holds from that day; an end dated ``end`` ends it
    from that day, so it last held the day before."""
    return start <= on and (end is None or on < end)


def text(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass
class Community:
    id: str
    name: str
    street: str | None
    street_id: str | None
    party_organisation: str | None


@dataclass
class Grid:
    id: str
    name: str
    community_id: str
    party_organisation: bool


@dataclass
class Interval:
    """A dated fact about one place: a registration period, a double report,
    a team membership."""

    place_id: str
    start: date
    end: date | None = None
    grid_id: str | None = None

    def holds_on(self, on: date) -> bool:
        return in_effect(self.start, self.end, on)


@dataclass
class Member:
    id: str
    name: str
    party_member: bool
    unit_id: str | None
    phone: str | None
    registered_on: date
    grid_name: str | None
    periods: list[Interval]
    reports: list[Interval] = field(default_factory=list)
    left_on: date | None = None

    def period_on(self, on: date) -> Interval | None:
        """The registration period (community and grid) the member is in on a date."""
        return next((p for p in self.periods if p.holds_on(on)), None)

    def reports_on(self, on: date) -> list[Interval]:
        return [r for r in self.reports if r.holds_on(on)]

    def end_report(self, on: date) -> None:
        for report in self.reports:
            if report.end is None:
                report.end = on


@dataclass
class Team:
    id: str
    name: str
    community_id: str
    founded_on: date
    dissolved_on: date | None = None
    memberships: list[Interval] = field(default_factory=list)

    def stands_on(self, on: date) -> bool:
        """Founded on or before the date and not dissolved on or before it."""
        return in_effect(self.founded_on, self.dissolved_on, on)

    def members_on(self, on: date) -> set[str]:
        return {m.place_id for m in self.memberships if m.holds_on(on)}


@dataclass
class Change:
    """One event in the life of one attendance: the hours and points it
    recorded, corrected to, revoked or cancelled, and, for a correction, the
    hours and points it replaced."""

    type: str
    hours: Decimal
    points: Decimal
    actor: str
    at: datetime
    reason: str | None
    previous_hours: Decimal | None = None
    previous_points: Decimal | None = None


@dataclass
class Attendance:
    member_id: str
    hours: Decimal
    points: Decimal
    status: str
    recorded_by: str
    reason: str | None
    history: list[Change] = field(default_factory=list)

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
        """The activity's local start date in Asia/Shanghai."""
        return self.starts_at.astimezone(SHANGHAI).date()

    def points_for(self, hours: Decimal) -> Decimal:
        if self.fixed_points is not None:
            return one_place(self.fixed_points)
        rate = Decimal(10) if self.points_per_hour is None else self.points_per_hour
        return one_place(hours * rate)

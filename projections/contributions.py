"""What one member, unit or team adds to the figures of each scope, as changes
dated by day: a figure as of D is the sum of its scope's changes up to D
(counts of what is in effect on D) or from 1 January of D's year to D (what
the year has held so far).

Distinct counts stay distinct: a member in two teams of one district adds one
volunteer there, for the union of the days it is in either. A member's
annual points count in the scope it is registered in on D, whatever it earned
them: on joining a scope in the middle of a year, the points it earned that
year so far come with it; on leaving, they go. A member double-reported to a
scope brings its year's participations and points to the scope's reported
members' figures alike, for the union of the days it is reported there."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

# The earliest day: what counts on every date, such as the tree's own units.
EPOCH = "0001-01-01"
ALL = ("all", "")

Scope = tuple[str, str]
Path = tuple[Scope, ...]
Paths = Callable[[str], Path]
Key = tuple[str, str, str]  # scope, scope id, day
Changes = dict[Key, list[int]]  # a change to each of COLUMNS

# What is in effect on a day, then what a year holds up to a day.
COUNTS = (
    "teams",
    "volunteers",
    "members",
    "units_reported",
    "members_reported",
    "communities",
    "grids",
    "grid_party_organisations",
)
FLOWS = (
    "activities",
    "participations",
    "hours100",
    "points10",
    "member_points10",
    "reported_participations",
    "reported_points10",
)
COLUMNS = COUNTS + FLOWS
INDEX = {column: i for i, column in enumerate(COLUMNS)}
PARTICIPATIONS, HOURS, POINTS, MEMBER_POINTS = (
    INDEX[c] for c in ("participations", "hours100", "points10", "member_points10")
)
REPORTED_PARTICIPATIONS, REPORTED_POINTS = (
    INDEX[c] for c in ("reported_participations", "reported_points10")
)


class Interval(NamedTuple):
    """Days from ``start`` up to the day before ``end`` (open when None)."""

    start: str
    end: str | None


class Period(NamedTuple):
    """A registration: the community and grid a member is registered with, and
    when."""

    community_id: str
    grid_id: str | None
    since: str
    until: str | None


class Membership(NamedTuple):
    """A period in a team, with the team's community and its own dates."""

    community_id: str
    joined_on: str
    left_on: str | None
    founded_on: str
    dissolved_on: str | None


class Report(NamedTuple):
    """A double report (双报到) to a community, in effect from ``reported_on``
    until the day before ``ended_on``."""

    community_id: str
    reported_on: str
    ended_on: str | None


class Earned(NamedTuple):
    """What a member's attendances on one day brought: participations, hours
    (hundredths), points (tenths)."""

    day: str
    participations: int
    hours100: int
    points10: int


@dataclass(slots=True)
class MemberFacts:
    """Everything a member's contribution is made of."""

    periods: list[Period]
    memberships: list[Membership]
    reports: list[Report]
    earned: list[Earned]


def row_of(changes: Changes, scope: Scope, day: str) -> list[int]:
    """The changes of a scope's day, begun at nothing."""
    key = (scope[0], scope[1], day)
    row = changes.get(key)
    if row is None:
        row = changes[key] = [0] * len(COLUMNS)
    return row


def add(changes: Changes, scope: Scope, day: str, column: str, amount: int) -> None:
    if amount:
        row_of(changes, scope, day)[INDEX[column]] += amount


def _later(a: str | None, b: str | None) -> str | None:
    return a if b is None else b if a is None else min(a, b)


def overlap(a: Interval, b: Interval) -> Interval | None:
    """The days in both, if any."""
    start, end = max(a.start, b.start), _later(a.end, b.end)
    return None if end is not None and end <= start else Interval(start, end)


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """The same days as disjoint intervals, in order."""
    merged: list[Interval] = []
    for start, end in sorted(intervals, key=lambda i: i.start):
        if end is not None and end <= start:
            continue
        last = merged[-1] if merged else None
        if last is not None and (last.end is None or last.end >= start):
            later = None if last.end is None or end is None else max(last.end, end)
            merged[-1] = Interval(last.start, later)
        else:
            merged.append(Interval(start, end))
    return merged


def count_days(
    changes: Changes,
    scope: Scope,
    column: str,
    intervals: Iterable[Interval],
    sign: int = 1,
) -> None:
    """One (or minus one, with ``sign`` -1) for each day in any of the
    intervals."""
    for start, end in union(intervals):
        add(changes, scope, start, column, sign)
        if end is not None:
            add(changes, scope, end, column, -sign)


def period_scopes(period: Period, paths: Paths) -> Path:
    path = paths(period.community_id)
    return path if period.grid_id is None else (("grid", period.grid_id), *path)


def member_changes(
    facts: MemberFacts, paths: Paths, changes: Changes | None = None, sign: int = 1
) -> Changes:
    """A member's whole contribution, as registered member, volunteer, member
    double-reported, and with its annual points where it is registered: added
    to ``changes`` (or taken away, with ``sign`` -1)."""
    changes = {} if changes is None else changes
    for period in facts.periods:
        registered = [Interval(period.since, period.until)]
        for scope in period_scopes(period, paths):
            count_days(changes, scope, "members", registered, sign)
    serving: dict[Scope, list[Interval]] = {}
    for m in facts.memberships:
        days = overlap(
            Interval(m.joined_on, m.left_on), Interval(m.founded_on, m.dissolved_on)
        )
        if days is not None:
            for scope in paths(m.community_id):
                serving.setdefault(scope, []).append(days)
    reported = reported_days(facts.periods, facts.reports, paths)
    everywhere = union(serving.get(ALL, []))
    for period in facts.periods:
        if period.grid_id is None:
            continue
        registered_in_grid = Interval(period.since, period.until)
        within = (overlap(registered_in_grid, i) for i in everywhere)
        serving.setdefault(("grid", period.grid_id), []).extend(
            i for i in within if i is not None
        )
    for scope, intervals in serving.items():
        count_days(changes, scope, "volunteers", intervals, sign)
    for scope, intervals in reported.items():
        count_days(changes, scope, "members_reported", intervals, sign)
    add_earnings(changes, facts.periods, facts.earned, paths, sign)
    add_reported_earnings(changes, reported, facts.earned, sign)
    return changes


def reported_days(
    periods: Sequence[Period], reports: Sequence[Report], paths: Paths
) -> dict[Scope, list[Interval]]:
    """The days a member is double-reported in each scope, as disjoint
    intervals: in the community it reported to and that community's street,
    district and deployment; in a grid, while registered in the grid and
    reported to the grid's own community."""
    reported: dict[Scope, list[Interval]] = {}
    for r in reports:
        for scope in paths(r.community_id):
            reported.setdefault(scope, []).append(Interval(r.reported_on, r.ended_on))
    for period in periods:
        if period.grid_id is None:
            continue
        here = union(reported.get(("community", period.community_id), []))
        registered_in_grid = Interval(period.since, period.until)
        within = (overlap(registered_in_grid, i) for i in here)
        reported.setdefault(("grid", period.grid_id), []).extend(
            i for i in within if i is not None
        )
    return {scope: union(intervals) for scope, intervals in reported.items()}


def add_earnings(
    changes: Changes,
    periods: Sequence[Period],
    earned: Iterable[Earned],
    paths: Paths,
    sign: int,
) -> None:
    """What earnings add to the annual points of the scopes a member is
    registered in (and, in its grid, to participations and hours too): on the
    day earned, where it is registered that day; on the days it joins or
    leaves a scope later that year, as they come or go with it."""
    for e in earned:
        year = e.day[:4]
        for period in periods:
            if period.since <= e.day and (period.until is None or e.day < period.until):
                _earn(changes, period, paths, e.day, e, sign)
            elif period.since > e.day and period.since[:4] == year:
                _earn(changes, period, paths, period.since, e, sign)
            until = period.until
            if until is not None and e.day < until and until[:4] == year:
                _earn(changes, period, paths, until, e, -sign)


def _earn(
    changes: Changes, period: Period, paths: Paths, day: str, e: Earned, sign: int
) -> None:
    points10 = sign * e.points10
    for scope in period_scopes(period, paths):
        row = row_of(changes, scope, day)
        row[MEMBER_POINTS] += points10
        if scope[0] == "grid":
            row[PARTICIPATIONS] += sign * e.participations
            row[HOURS] += sign * e.hours100
            row[POINTS] += points10


def add_reported_earnings(
    changes: Changes,
    reported: dict[Scope, list[Interval]],
    earned: Iterable[Earned],
    sign: int,
) -> None:
    """What earnings add to the participations and annual points of the
    members reported to each scope: on the day earned, where reported that
    day; on the days the report starts or ends later that year, as they come
    or go with it. The intervals of a scope are disjoint (reported_days), so
    a member counts once in it."""
    earned = list(earned)
    for scope, intervals in reported.items():
        for e in earned:
            year = e.day[:4]
            for start, end in intervals:
                if start <= e.day and (end is None or e.day < end):
                    _report_earn(changes, scope, e.day, e, sign)
                elif start > e.day and start[:4] == year:
                    _report_earn(changes, scope, start, e, sign)
                if end is not None and e.day < end and end[:4] == year:
                    _report_earn(changes, scope, end, e, -sign)


def _report_earn(
    changes: Changes, scope: Scope, day: str, e: Earned, sign: int
) -> None:
    row = row_of(changes, scope, day)
    row[REPORTED_PARTICIPATIONS] += sign * e.participations
    row[REPORTED_POINTS] += sign * e.points10


def unit_changes(
    reports: Sequence[Report],
    paths: Paths,
    changes: Changes | None = None,
    sign: int = 1,
) -> Changes:
    """A unit double-reported counts once in a scope for the days any of its
    reports to a community there is in effect."""
    changes = {} if changes is None else changes
    reported: dict[Scope, list[Interval]] = {}
    for r in reports:
        for scope in paths(r.community_id):
            reported.setdefault(scope, []).append(Interval(r.reported_on, r.ended_on))
    for scope, intervals in reported.items():
        count_days(changes, scope, "units_reported", intervals, sign)
    return changes

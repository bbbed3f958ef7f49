"""An independent recomputation of every figure, written from DESIGN's text.

It reads the stored events straight from the recorder, folds them into plain
dated state (``oracle_state``) and answers, for any figure date D, what DESIGN
"Rules" and "Part two" ("The organisation tree", "Time") say each figure is:

- a fact dated X holds from X inclusive; an ending dated E (``left_on``,
  ``dissolved_on``, ``ended_on``, a move's ``moved_on`` for the community left)
  holds until the day before E;
- D is 31 December of the year, or today while the year runs, or ``as_of``;
  nothing after today ever counts;
- a year not begun has nothing in it: every dated figure is zero.

It shares no code with ``projections/``: its own decimal arithmetic, points
rule, Asia/Shanghai dates and counting. Its methods answer the questions of
``projections.queries.Queries`` with the same plain data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from domain.application import VolunteerPoints
from tests.projections.oracle_state import (
    Activity,
    Attendance,
    Community,
    Grid,
    Member,
    State,
    Team,
    one_place,
    text,
)

STAR_HOURS = (100, 300, 600, 1000, 1500)
SCOPES = ("all", "district", "street", "community", "grid")
TREE_SCOPES = ("all", "district", "street")

__all__ = ["Activity", "Oracle", "figure_date", "stored_events"]


def stored_events(app: VolunteerPoints, page: int = 5000) -> Iterator[Any]:
    """Every event in the log, in order, read straight from the recorder."""
    start = 1
    while notifications := app.recorder.select_notifications(start=start, limit=page):
        yield from (app.mapper.to_domain_event(n) for n in notifications)
        start = notifications[-1].id + 1


def figure_date(year: int, as_of: date | None, today: date) -> date:
    """D for a figure of ``year``: ``as_of`` when given (in that year, not after
    today), else 31 December of the year or today, whichever comes first."""
    if as_of is not None:
        assert as_of <= today, (as_of, today)
        assert as_of.year == year, (year, as_of)
        return as_of
    return min(date(year, 12, 31), today)


def points_shown(value: Decimal | Fraction) -> str:
    if isinstance(value, Fraction):
        tenths = value * 10
        whole = tenths.numerator // tenths.denominator
        if tenths - whole >= Fraction(1, 2):
            whole += 1
        return f"{Decimal(whole) / 10:.1f}"
    return f"{one_place(value):.1f}"


def hours_shown(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


class Oracle:
    """What every figure must be, given the events."""

    def __init__(self, events: Iterable[Any]) -> None:
        self.state = State(events)
        self.events = self.state.events
        self.entries = self.state.entries
        self.kinds = self.state.kinds
        self.communities = self.state.communities
        self.grids = self.state.grids
        self.members = self.state.members
        self.teams = self.state.teams
        self.activities = self.state.activities
        self.units = self.state.units
        self._by_member: dict[str, list[tuple[Activity, Attendance]]] = {}
        for activity in self.activities.values():
            for attendance in activity.attendances.values():
                rows = self._by_member.setdefault(attendance.member_id, [])
                rows.append((activity, attendance))

    # Where things are in the tree.

    @property
    def districts(self) -> list[str]:
        return sorted(self.state.districts)

    @property
    def streets(self) -> list[str]:
        return sorted(self.state.streets)

    def district_of(self, community: Community) -> str | None:
        if community.street_id is None:
            return None
        return self.state.streets[community.street_id][1]

    def communities_in(self, scope: str, scope_id: str | None) -> set[str]:
        """The communities under a place of the tree (or the whole deployment).

        A community created without a street belongs to no district or street:
        it counts in the whole deployment's figures only."""
        if scope == "all":
            return set(self.communities)
        if scope == "district":
            return {
                c.id
                for c in self.communities.values()
                if self.district_of(c) == scope_id
            }
        if scope == "street":
            return {c.id for c in self.communities.values() if c.street_id == scope_id}
        assert scope == "community", scope
        return {scope_id} if scope_id in self.communities else set()

    # Dated questions shared by the figures.

    @staticmethod
    def begun(year: int, on: date) -> bool:
        """A year whose figure date lies before its 1 January has not begun."""
        return on >= date(year, 1, 1)

    @staticmethod
    def held(activity: Activity, year: int, on: date) -> bool:
        """Held in the year as of D: not cancelled, with a local start date from
        1 January of the year through D."""
        return activity.status != "cancelled" and date(year, 1, 1) <= activity.day <= on

    def counting(self, member_id: str) -> list[tuple[Activity, Attendance]]:
        """The member's attendances that are not revoked, at activities not
        cancelled, wherever they were held."""
        return [
            (a, t)
            for a, t in self._by_member.get(member_id, [])
            if t.counts and a.status != "cancelled"
        ]

    def earned(self, member_id: str, year: int, on: date) -> list[Attendance]:
        return [t for a, t in self.counting(member_id) if self.held(a, year, on)]

    def standing_teams(self, on: date) -> list[Team]:
        return [t for t in self.teams.values() if t.stands_on(on)]

    def in_a_standing_team(self, on: date) -> set[str]:
        return set().union(*(t.members_on(on) for t in self.standing_teams(on)))

    def registered(self, on: date, communities: set[str]) -> list[Member]:
        """Members registered on D with one of the communities (deregistered
        members drop out from their ``left_on``, movers count in the new
        community from ``moved_on``)."""
        found = []
        for member in self.members.values():
            period = member.period_on(on)
            if period is not None and period.place_id in communities:
                found.append(member)
        return found

    def in_grid(self, on: date, grid_id: str) -> list[Member]:
        """Members registered in the grid on D: the grid of the registration
        period the member is in on D. The grid is part of a registration: a
        change of grid holds for the whole period it was made in (it is not
        dated), and a move starts a period with no grid."""
        found = []
        for member in self.members.values():
            period = member.period_on(on)
            if period is not None and period.grid_id == grid_id:
                found.append(member)
        return found

    # The figures of a scope.

    def stats(
        self, scope: str, scope_id: str | None, year: int, on: date
    ) -> dict[str, Any]:
        """The figures of a scope for a year as of D.

        Choices where the text leaves one:
        - a member's double report counts from ``reported_on`` whether or not
          the member was registered yet (the report is its own dated fact);
          it ends on ``ended_on``, on the ``reported_on`` of the member's next
          report, or on the member's ``left_on`` (a deregistered member is
          registered with no community, so reports to none);
        - team membership is its own dated fact: a member who deregistered but
          never left the team still counts as a volunteer of a standing team;
        - the tree counts (communities, grids, grid party organisations) are
          undated and count in every year's figures, a year not begun
          included ("counts in every year's figures"); every dated figure of
          a year not begun is zero;
        - a grid's ``members_reported`` counts its members on D whose double
          report in effect on D is to the grid's own community: a report counts
          "in the community they reported to", and a grid is part of its
          community, so a report to another community counts there, not in the
          grid."""
        assert scope in SCOPES, scope
        if scope == "grid":
            assert scope_id is not None
            figures = self._grid_figures(scope_id, year, on)
        else:
            figures = self._community_figures(
                self.communities_in(scope, scope_id), year, on
            )
        figures = {
            "scope": scope,
            "scope_id": scope_id,
            "year": year,
            "as_of": on.isoformat(),
        } | figures
        if scope in TREE_SCOPES:
            figures |= self._tree_counts(self.communities_in(scope, scope_id))
        return figures

    def _community_figures(
        self, communities: set[str], year: int, on: date
    ) -> dict[str, Any]:
        if not self.begun(year, on):
            return self._zeros()
        teams = [t for t in self.standing_teams(on) if t.community_id in communities]
        volunteers = set().union(*(t.members_on(on) for t in teams))
        held = [
            a
            for a in self.activities.values()
            if a.community_id in communities and self.held(a, year, on)
        ]
        counted = [t for a in held for t in a.attendances.values() if t.counts]
        members = self.registered(on, communities)
        units = {
            unit_id
            for unit_id, reports in self.state.unit_reports.items()
            if any(r.place_id in communities and r.holds_on(on) for r in reports)
        }
        reported = {
            m.id
            for m in self.members.values()
            if any(r.place_id in communities for r in m.reports_on(on))
        }
        return {
            "teams": len(teams),
            "volunteers": len(volunteers),
            "activities": len(held),
            "participations": len(counted),
            "hours": hours_shown(total(t.hours for t in counted)),
            "points": points_shown(total(t.points for t in counted)),
            "members": len(members),
            "avg_annual_points": self._average(members, year, on),
            "units_reported": len(units),
            "members_reported": len(reported),
        }

    def _grid_figures(self, grid_id: str, year: int, on: date) -> dict[str, Any]:
        """A grid has no teams or activities of its own: its figures are those
        of its members on D, their attendances wherever they earned them."""
        if not self.begun(year, on):
            return self._zeros()
        members = self.in_grid(on, grid_id)
        in_teams = self.in_a_standing_team(on)
        earned = [t for m in members for t in self.earned(m.id, year, on)]
        community_id = self.state.grids[grid_id].community_id
        return {
            "teams": 0,
            "volunteers": sum(1 for m in members if m.id in in_teams),
            "activities": 0,
            "participations": len(earned),
            "hours": hours_shown(total(t.hours for t in earned)),
            "points": points_shown(total(t.points for t in earned)),
            "members": len(members),
            "avg_annual_points": self._average(members, year, on),
            "units_reported": 0,
            "members_reported": sum(
                1
                for m in members
                if any(r.place_id == community_id for r in m.reports_on(on))
            ),
        }

    def _average(self, members: list[Member], year: int, on: date) -> str:
        """人均年积分: the members' annual points added up, ÷ the number of members
        (those with none included), half-up to one place; "0.0" with none."""
        if not members:
            return "0.0"
        points = total(t.points for m in members for t in self.earned(m.id, year, on))
        return points_shown(Fraction(points) / len(members))

    @staticmethod
    def _zeros() -> dict[str, Any]:
        return {
            "teams": 0,
            "volunteers": 0,
            "activities": 0,
            "participations": 0,
            "hours": "0",
            "points": "0.0",
            "members": 0,
            "avg_annual_points": "0.0",
            "units_reported": 0,
            "members_reported": 0,
        }

    def _tree_counts(self, communities: set[str]) -> dict[str, int]:
        grids = [g for g in self.grids.values() if g.community_id in communities]
        return {
            "communities": len(communities),
            "grids": len(grids),
            "grid_party_organisations": sum(1 for g in grids if g.party_organisation),
        }

    # A member's figures.

    def member_points(self, member_id: str, year: int, on: date) -> dict[str, Any]:
        """Points and hours from the year's activities held through D; lifetime
        totals and star rating from every activity held on or before D (as of
        the end of the year, never after today: for a year not begun, as of
        today)."""
        this_year = self.earned(member_id, year, on)
        lifetime = [t for a, t in self.counting(member_id) if a.day <= on]
        lifetime_hours = total(t.hours for t in lifetime)
        return {
            "member_id": member_id,
            "year": year,
            "as_of": on.isoformat(),
            "points": points_shown(total(t.points for t in this_year)),
            "hours": hours_shown(total(t.hours for t in this_year)),
            "activities": len(this_year),
            "lifetime_points": points_shown(total(t.points for t in lifetime)),
            "lifetime_hours": hours_shown(lifetime_hours),
            "star": sum(1 for h in STAR_HOURS if lifetime_hours >= h),
        }

    def statement(self, member_id: str, year: int, on: date) -> dict[str, Any]:
        """Every attendance at the year's activities dated from 1 January
        through D, revoked and cancelled ones included, by start time.

        Choices where the text leaves one: ``recorded_by`` is who recorded the
        attendance (recording it again after a revocation makes a new
        recorder; corrections, revocations and cancellations do not);
        ``reason`` is that of the latest correction, revocation or
        cancellation, none once recorded again. Each history entry carries
        the hours and points its event concerns: recorded, corrected to, or
        taken back by a revocation or cancellation; only a correction has
        earlier values (``previous_hours``, ``previous_points``: DESIGN names
        them for corrections alone)."""
        rows = sorted(
            (
                (a, t)
                for a, t in self._by_member.get(member_id, [])
                if date(year, 1, 1) <= a.day <= on
            ),
            key=lambda row: (row[0].starts_at, row[0].id),
        )
        totals = self.member_points(member_id, year, on)
        return {
            "member_id": member_id,
            "year": year,
            "as_of": on.isoformat(),
            "items": [self._item(a, t) for a, t in rows],
            "points": totals["points"],
            "hours": totals["hours"],
        }

    @staticmethod
    def _item(activity: Activity, attendance: Attendance) -> dict[str, Any]:
        return {
            "activity_id": activity.id,
            "title": activity.title,
            "date": activity.day.isoformat(),
            "hours": str(attendance.hours),
            "points": str(attendance.points) if attendance.counts else "0.0",
            "status": attendance.status,
            "recorded_by": attendance.recorded_by,
            "reason": attendance.reason,
            "history": [
                {
                    "type": change.type,
                    "hours": str(change.hours),
                    "points": str(change.points),
                    "previous_hours": text(change.previous_hours),
                    "previous_points": text(change.previous_points),
                    "recorded_by": change.actor,
                    "recorded_at": change.at.isoformat(),
                    "reason": change.reason,
                }
                for change in attendance.history
            ],
        }

    def leaderboard(
        self, community_id: str, year: int, on: date, limit: int
    ) -> dict[str, Any]:
        """The community's members on D with annual points, most points first
        (then most hours, then member id); members with none are left out."""
        board = []
        for member in self.registered(on, {community_id}):
            earned = self.earned(member.id, year, on)
            points = total(t.points for t in earned)
            hours = total(t.hours for t in earned)
            if points > 0:
                board.append((-points, -hours, member.id, member.name, points, hours))
        board.sort()
        return {
            "community_id": community_id,
            "year": year,
            "as_of": on.isoformat(),
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

    # A team.

    def team(self, team_id: str, year: int, on: date) -> dict[str, Any] | None:
        """The team's record as known now, and its figures as of D: members on
        D (none while the team does not stand: before ``founded_on`` or from
        ``dissolved_on``), its activities held in the year through D, whatever
        became of the team (dissolving leaves its activities as they are)."""
        team = self.teams.get(team_id)
        if team is None:
            return None
        begun = self.begun(year, on)
        held = [
            a
            for a in self.activities.values()
            if a.team_id == team_id and begun and self.held(a, year, on)
        ]
        counted = [t for a in held for t in a.attendances.values() if t.counts]
        members = team.members_on(on) if begun and team.stands_on(on) else set()
        return self.team_record(team) | {
            "year": year,
            "as_of": on.isoformat(),
            "members": len(members),
            "activities": len(held),
            "participations": len(counted),
            "hours": hours_shown(total(t.hours for t in counted)),
            "points": points_shown(total(t.points for t in counted)),
        }

    @staticmethod
    def team_record(team: Team) -> dict[str, Any]:
        return {
            "id": team.id,
            "name": team.name,
            "community_id": team.community_id,
            "dissolved": team.dissolved_on is not None,
            "founded_on": team.founded_on.isoformat(),
            "dissolved_on": None
            if team.dissolved_on is None
            else team.dissolved_on.isoformat(),
        }

    # The tree's lists.

    def district_items(self) -> list[dict[str, Any]]:
        return [{"id": d, "name": self.state.districts[d]} for d in self.districts]

    def street_items(self, district_id: str) -> list[dict[str, Any]]:
        return [
            {"id": s, "name": name, "district_id": d}
            for s in self.streets
            for name, d in [self.state.streets[s]]
            if d == district_id
        ]

    def community_items(self, street_id: str) -> list[dict[str, Any]]:
        return [
            {
                "id": c.id,
                "name": c.name,
                "street": c.street,
                "street_id": c.street_id,
                "district_id": self.district_of(c),
                "party_organisation": c.party_organisation,
            }
            for c in sorted(self.communities.values(), key=lambda c: c.id)
            if c.street_id == street_id
        ]

    def grid_items(self, community_id: str) -> list[dict[str, Any]]:
        return [
            self.grid_record(g)
            for g in sorted(self.grids.values(), key=lambda g: g.id)
            if g.community_id == community_id
        ]

    @staticmethod
    def grid_record(grid: Grid) -> dict[str, Any]:
        return {
            "id": grid.id,
            "name": grid.name,
            "community_id": grid.community_id,
            "party_organisation": grid.party_organisation,
        }

    # Dates worth asking about.

    def dates(self) -> set[date]:
        """Every business date and activity date the events carry."""
        found: set[date] = {a.day for a in self.activities.values()}
        for member in self.members.values():
            for interval in member.periods + member.reports:
                found.add(interval.start)
                if interval.end is not None:
                    found.add(interval.end)
        for team in self.teams.values():
            found.add(team.founded_on)
            if team.dissolved_on is not None:
                found.add(team.dissolved_on)
            for membership in team.memberships:
                found.add(membership.start)
                if membership.end is not None:
                    found.add(membership.end)
        for reports in self.state.unit_reports.values():
            for report in reports:
                found.add(report.start)
                if report.end is not None:
                    found.add(report.end)
        return found

"""The ground the oracle counts on: its own rounding and sums, the figure
date D, and where things are in the tree and who counts on D."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tests.projections.oracle_records import (
    Activity,
    Attendance,
    Community,
    Member,
    Team,
    one_place,
)
from tests.projections.oracle_state import State

STAR_HOURS = (100, 300, 600, 1000, 1500)
SCOPES = ("all", "district", "street", "community", "grid")
TREE_SCOPES = ("all", "district", "street")


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


class Counting:
    """The state the events fold into, and who and what counts on a date."""

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

"""The oracle's figures of a scope (the whole deployment, a district, a street,
a community, a grid), the tree's lists, and the dates worth asking about."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from tests.projections.oracle_counting import (
    SCOPES,
    TREE_SCOPES,
    Counting,
    hours_shown,
    points_shown,
    total,
)
from tests.projections.oracle_records import (
    Grid,
    Member,
)


class ScopeFigures(Counting):
    """What the figures of each scope and the tree's lists must be."""

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
        reported = [
            m
            for m in self.members.values()
            if any(r.place_id in communities for r in m.reports_on(on))
        ]
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
            **self._reported_figures(reported, year, on),
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
        reported = [
            m
            for m in members
            if any(r.place_id == community_id for r in m.reports_on(on))
        ]
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
            "members_reported": len(reported),
            **self._reported_figures(reported, year, on),
        }

    def _average(self, members: list[Member], year: int, on: date) -> str:
        """人均年积分: the members' annual points added up, ÷ the number of members
        (those with none included), half-up to one place; "0.0" with none."""
        if not members:
            return "0.0"
        points = total(t.points for m in members for t in self.earned(m.id, year, on))
        return points_shown(Fraction(points) / len(members))

    def _reported_figures(
        self, reported: list[Member], year: int, on: date
    ) -> dict[str, Any]:
        """The members reported on D: how many times they took part in the
        year up to D, and their 人均年积分, both wherever they served."""
        return {
            "members_reported_participations": sum(
                len(self.earned(m.id, year, on)) for m in reported
            ),
            "members_reported_avg_annual_points": self._average(reported, year, on),
        }

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
            "members_reported_participations": 0,
            "members_reported_avg_annual_points": "0.0",
        }

    def _tree_counts(self, communities: set[str]) -> dict[str, int]:
        grids = [g for g in self.grids.values() if g.community_id in communities]
        return {
            "communities": len(communities),
            "grids": len(grids),
            "grid_party_organisations": sum(1 for g in grids if g.party_organisation),
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

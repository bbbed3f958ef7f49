"""What a page changes in vp_figure_day, gathered in memory and written once,
after every other read model has written its part of the page."""

from __future__ import annotations

from projections.contributions import (
    COLUMNS,
    Changes,
    Earned,
    Paths,
    add,
    add_earnings,
    add_reported_earnings,
    member_changes,
    reported_days,
    unit_changes,
)
from projections.member_facts import (
    CommunityPaths,
    member_facts,
    places_of,
    unit_reports,
)
from projections.sql import Cursor, Sql

ADD_CHANGES = Sql(
    "INSERT INTO {t}vp_scope_change VALUES (?, ?, ?, ?, "
    + ", ".join("?" * len(COLUMNS))
    + ") ON CONFLICT (scope, scope_id, grain, period) DO UPDATE SET "
    + ", ".join(f"{c} = vp_scope_change.{c} + excluded.{c}" for c in COLUMNS)
)
# Each day's changes are added to its day, its month and its year.
GRAINS = (("d", 10), ("m", 7), ("y", 4))
HELD = ("participations", "hours100", "points10")


class ScopeDayFold:
    """The page's changes per scope and day, from which the parts of the
    members and units it touched are taken as they stood before it, and to
    which they are added back as they stand at its end; and what members
    earned."""

    late = True

    def __init__(self) -> None:
        self.paths: CommunityPaths | None = None
        self.changes: Changes = {}
        self._pending: set[str] = set()
        self._members: set[str] = set()
        self._pending_units: set[str] = set()
        self._units: set[str] = set()
        self._earned: dict[str, dict[str, list[int]]] = {}
        self._held: dict[tuple[str, str], list[int]] = {}

    def touch_member(self, member_id: str) -> None:
        if member_id not in self._members:
            self._pending.add(member_id)

    def new_member(self, member_id: str) -> None:
        """A member registered in this page had no part before it."""
        self._members.add(member_id)

    def touch_unit(self, unit_id: str) -> None:
        if unit_id not in self._units:
            self._pending_units.add(unit_id)

    def earned(
        self,
        member_id: str,
        day: str,
        participations: int,
        hours100: int,
        points10: int,
    ) -> None:
        """A member's attendance on ``day`` gained or lost that much: added up
        per member and day, and to the member's scopes at the end."""
        days = self._earned.get(member_id)
        if days is None:
            days = self._earned[member_id] = {}
        total = days.get(day)
        if total is None:
            days[day] = [participations, hours100, points10]
        else:
            total[0] += participations
            total[1] += hours100
            total[2] += points10

    def held(
        self,
        community_id: str,
        day: str,
        participations: int,
        hours100: int,
        points10: int,
        c: Cursor,
    ) -> None:
        """An activity of the community on ``day`` held that much more: added
        up per community and day, and to the community's scopes at the end."""
        assert self.paths is not None
        self.paths.of(c, community_id)
        key = (community_id, day)
        total = self._held.get(key)
        if total is None:
            self._held[key] = [participations, hours100, points10]
        else:
            total[0] += participations
            total[1] += hours100
            total[2] += points10

    def take_before(self, c: Cursor) -> None:
        """Takes away the parts of the members and units touched since the
        last write was sent, as they stood before their first change in this
        page."""
        if not (self._pending or self._pending_units):
            return
        paths, changes = self._paths(c), self.changes
        if self._pending:
            for facts in member_facts(c, self._pending).values():
                member_changes(facts, paths, changes, -1)
            self._members |= self._pending
            self._pending.clear()
        if self._pending_units:
            found = unit_reports(c, self._pending_units)
            for unit_id in self._pending_units:
                unit_changes(found.get(unit_id, []), paths, changes, -1)
            self._units |= self._pending_units
            self._pending_units.clear()

    def flush(self, c: Cursor) -> None:
        self.take_before(c)
        paths = self._paths(c)
        changes = self.changes
        for facts in member_facts(c, self._members).values():
            member_changes(facts, paths, changes)
        reports = unit_reports(c, self._units)
        for unit_id in self._units:
            unit_changes(reports.get(unit_id, []), paths, changes)
        earners = [m for m in self._earned if m not in self._members]
        places = places_of(c, earners)
        for member_id in earners:
            found = places.get(member_id)
            if found:
                periods, reported_to = found
                days = self._earned[member_id].items()
                earned = [Earned(day, *total) for day, total in days]
                add_earnings(changes, periods, earned, paths, sign=1)
                if reported_to:
                    reported = reported_days(periods, reported_to, paths)
                    add_reported_earnings(changes, reported, earned, sign=1)
        for (community_id, day), held in self._held.items():
            for place in paths(community_id):
                for column, amount in zip(HELD, held, strict=True):
                    add(changes, place, day, column, amount)
        grains: dict[tuple[str, str, str, str], list[int]] = {}
        for (scope, scope_id, day), row in changes.items():
            if not any(row):
                continue
            for grain, length in GRAINS:
                key = (scope, scope_id, grain, day[:length])
                total = grains.get(key)
                grains[key] = (
                    row
                    if total is None
                    else [a + b for a, b in zip(total, row, strict=True)]
                )
        c.executemany(ADD_CHANGES, [(*key, *row) for key, row in grains.items()])

    def _paths(self, c: Cursor) -> Paths:
        assert self.paths is not None
        known = self.paths
        return lambda community_id: known.of(c, community_id)

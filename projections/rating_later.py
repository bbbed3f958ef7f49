"""Rating a page at a time, for private read models of the figures (a
what-if's replay, which keeps no history of the changes between).

During the page an attendance the rules rate earns the points of its
activity's own rule and its member's year is marked; at the page's end each
marked year is rated once, whole, from its rows (those of earlier pages read
back from the tables, those of the page from memory), and what it changes is
added to the figures. Rated in any order, a year comes out as rated in the
fixed one: the log's order of writing costs nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from domain.rating import Served, rate_one
from domain.rules import RuleSet, RuleVersion
from projections.attendance_rows import EARNING, AttendanceRow, PointsFold
from projections.batch import Batch
from projections.rating import Rater
from projections.rating_rows import (
    AFFECTED,
    MEMBER_YEAR,
    OWNER,
    Later,
    RatingFold,
    Rerate,
)
from projections.rules import KnownRules
from projections.sealing import Sealer

Entry = tuple[str, int, Served, AttendanceRow, str | None]
"""A standing attendance: its place in the fixed order (start, position), as
rating takes it, its row, and the owner of the rules that last rated it as
the tables hold it (None: none did)."""
Years = dict[tuple[str, int], dict[str, Entry]]
"""Each member year's standing attendances by activity."""


class PageEndRater(Rater):
    """Marks what a page changes and rates it at the page's end."""

    def __init__(self, rules: KnownRules, sealer: Sealer) -> None:
        super().__init__(rules, sealer)
        # The member years earlier pages wrote rows of (the rest have
        # none in the tables).
        self._stored: set[tuple[str, int]] = set()

    def recorder(
        self, batch: Batch, activity_id: str, day: str, starts_at: str
    ) -> Callable[[str, int, int, int], tuple[int, list[Rerate]]]:
        """The activity's own points for now, its member's year marked."""
        if not self.rates(batch, activity_id, day):
            return lambda member_id, position, hours100, own10: (own10, [])
        year = int(day[:4])
        marked = batch.fold(Later).years
        ratings = batch.fold(RatingFold).ratings

        def record(
            member_id: str, position: int, hours100: int, own10: int
        ) -> tuple[int, list[Rerate]]:
            marked.add((member_id, year))
            ratings[activity_id, member_id] = None
            return own10, []

        return record

    def removed(self, batch: Batch, row: AttendanceRow) -> list[Rerate]:
        if self.rates(batch, row.activity_id, row.local_date):
            batch.fold(Later).years.add((row.member_id, int(row.local_date[:4])))
            batch.fold(RatingFold).ratings[row.activity_id, row.member_id] = None
        return []

    def published_later(self, batch: Batch, e: RuleSet.Published) -> None:
        """Marks the years of the attendances rules taking effect may rate
        again (none when the draft stands before them)."""
        found = batch.query(OWNER, (str(e.originator_id),))
        assert found is not None, e.originator_id
        owner = found["owner"]
        if self.rules.shadows(owner, e.effective_from):
            return
        self.keep(batch)
        batch.settle(PointsFold)
        rows = batch.query_all(AFFECTED, (e.effective_from.isoformat(), owner, owner))
        batch.fold(Later).years.update(
            (r["member_id"], int(r["local_date"][:4])) for r in rows
        )

    def keep(self, batch: Batch) -> None:
        """The member years whose rows the page's points fold will write."""
        self._stored.update(batch.fold(PointsFold).member_years)

    def rate_later(self, batch: Batch) -> Iterator[tuple[AttendanceRow, int]]:
        """Rates each member year the page marked, once: each attendance
        whose points change, as the page holds it, and its points now."""
        marked = batch.fold(Later).years
        if not marked:
            return
        ratings = batch.fold(RatingFold).ratings
        on, c = self.rules.on, batch.c
        in_effect: dict[tuple[str | None, str], RuleVersion | None] = {}
        for (member_id, _), standing in sorted(self._standing(batch, marked).items()):
            day_counted: dict[tuple[str, str], int] = {}
            year_counted: dict[tuple[str, str], int] = {}
            # In the fixed order: start, then position (never equal twice).
            for _, _, served, row, owner in sorted(standing.values()):
                key = (served.district_id, served.local_date)
                if key in in_effect:
                    rule = in_effect[key]
                else:
                    rule = in_effect[key] = on(c, *key)
                rated = rate_one(served, rule, day_counted, year_counted)
                if rated.owner is not None:
                    ratings[served.activity_id, member_id] = (
                        served.activity_id,
                        member_id,
                        rated.owner,
                        rated.version,
                        rated.full10,
                        served.own10,
                    )
                elif owner is not None:
                    ratings[served.activity_id, member_id] = None
                if rated.points10 != row.points10:
                    yield row, rated.points10

    def _standing(self, batch: Batch, marked: set[tuple[str, int]]) -> Years:
        """The marked years' standing attendances: those earlier pages left
        in the tables, then the page's own (each holding its own points)."""
        points = batch.fold(PointsFold)
        pending = batch.fold(RatingFold).ratings
        years: Years = {}
        for member_id, year in sorted(marked & self._stored):
            standing = years[member_id, year] = {}
            span = (member_id, f"{year}-01-01", f"{year}-12-31")
            for r in batch.query_all(MEMBER_YEAR, span):
                row = AttendanceRow(*(r[column] for column in AttendanceRow._fields))
                points.remember(row)
                if row.activity_id not in self._ruling:
                    self._remember(row.activity_id, (r["category"], r["district_id"]))
                own10 = row.points10 if r["own10"] is None else int(r["own10"])
                if (row.activity_id, member_id) in pending:
                    # Changed in the page before a publication wrote it: its
                    # rating is taken back, its row holds its own points.
                    own10 = row.points10
                standing[row.activity_id] = self._entry(
                    batch, row, own10, r["rule_owner"]
                )
        for (activity_id, member_id), row in points.attendance.items():
            key = (member_id, int(row.local_date[:4]))
            if key not in marked:
                continue
            standing = years.setdefault(key, {})
            earlier = standing.pop(activity_id, None)
            if row.status in EARNING:
                owner = None if earlier is None else earlier[4]
                standing[activity_id] = self._entry(batch, row, row.points10, owner)
        return years

    def _entry(
        self, batch: Batch, row: AttendanceRow, own10: int, owner: str | None
    ) -> Entry:
        served = self.served(batch, row, own10)
        return (row.starts_at, row.position, served, row, owner)

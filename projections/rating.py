"""Rating attendances under the points rules, in the pass of the points model.

Where no rule set was ever published, nothing here runs: an attendance earns
what its event says (the activity's own rule). Once one is, a change to an
attendance rated by the rules rates the member's year again (domain/rating.py)
and gives what it changes: the attendance's own points, and those of the
member's later attendances that now earn otherwise (re-rated). Each rated
attendance keeps, in vp_rating, the rules that rated it, its points before
caps and those of its activity's own rule (which it earns again should the
rules stop rating it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from eventsourcing.domain import DomainEvent

from domain.activity import Activity
from domain.community import Community
from domain.rating import Rated, Served, order, rate_one
from domain.rules import RuleSet, RuleVersion
from domain.tree import Street
from projections.activities import ACTIVITIES_REMEMBERED
from projections.amounts import points_text
from projections.attendance_rows import AttendanceRow, PointsFold
from projections.batch import Batch, Handler, on
from projections.rating_rows import (
    AFFECTED,
    MEMBER_YEAR,
    MISSING,
    OWNER,
    RULING,
    SET_RERATED,
    RatingFold,
    Rerate,
    Standing,
    Year,
)
from projections.rules import KnownRules
from projections.sealing import Sealer


class Rater:
    """Rates what the points model records, where rules are in effect."""

    def __init__(self, rules: KnownRules, sealer: Sealer) -> None:
        self.rules = rules
        self.sealer = sealer
        self._ruling: dict[str, tuple[str, str | None]] = {}
        self._streets: dict[str, str] = {}
        self._districts: dict[str, str | None] = {}

    def active(self, batch: Batch) -> bool:
        return self.rules.any(batch.c)

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        """What rating learns as the log goes: each street's district, each
        community's and each activity's category and district, so that a page
        of attendance reads none of them back."""
        return [
            on(Street.Registered, self.street_registered),
            on(Community.Registered, self.community_registered),
            on(Activity.Scheduled, self.activity_scheduled),
        ]

    def street_registered(self, e: Street.Registered, batch: Batch) -> None:
        self._streets[str(e.originator_id)] = str(e.district_id)

    def community_registered(self, e: Community.Registered, batch: Batch) -> None:
        street = None if e.street_id is None else str(e.street_id)
        district = None if street is None else self._streets.get(street, MISSING)
        if district is not MISSING:
            self._districts[str(e.originator_id)] = district

    def activity_scheduled(self, e: Activity.Scheduled, batch: Batch) -> None:
        district = self._districts.get(str(e.community_id), MISSING)
        if district is not MISSING:
            self._remember(batch.id_text(e.originator_id), (e.category, district))

    def _remember(self, activity_id: str, ruling: tuple[str, str | None]) -> None:
        if len(self._ruling) >= ACTIVITIES_REMEMBERED:
            self._ruling.clear()
        self._ruling[activity_id] = ruling

    def ruling(self, batch: Batch, activity_id: str) -> tuple[str, str | None]:
        """The activity's category and district."""
        found = self._ruling.get(activity_id)
        if found is None:
            row = batch.query(RULING, (activity_id,))
            assert row is not None, activity_id
            found = (row["category"], row["district_id"])
            self._remember(activity_id, found)
        return found

    def rule(self, batch: Batch, district: str | None, day: str) -> RuleVersion | None:
        return self.rules.on(batch.c, district, day)

    def rates(self, batch: Batch, activity_id: str, day: str) -> bool:
        category, district = self.ruling(batch, activity_id)
        rule = self.rule(batch, district, day)
        return rule is not None and rule.rate(category) is not None

    def served(self, batch: Batch, row: AttendanceRow, own10: int) -> Served:
        category, district = self.ruling(batch, row.activity_id)
        return Served(
            row.activity_id,
            row.starts_at,
            row.position,
            row.local_date,
            district,
            category,
            row.hours100,
            own10,
        )

    def year(self, batch: Batch, member_id: str, year: int) -> Year:
        key = (member_id, year)
        fold = batch.fold(RatingFold)
        found = fold.years.get(key)
        if found is not None:
            return found
        points = batch.fold(PointsFold)
        rows = batch.query_all(
            MEMBER_YEAR, (member_id, f"{year}-01-01", f"{year}-12-31")
        )
        loaded = Year()
        for r in rows:
            row = AttendanceRow(*(r[column] for column in AttendanceRow._fields))
            points.remember(row)
            if row.activity_id not in self._ruling:
                self._remember(row.activity_id, (r["category"], r["district_id"]))
            own10 = row.points10 if r["own10"] is None else int(r["own10"])
            owner, version = r["rule_owner"], r["rule_version"]
            full10 = row.points10 if r["full10"] is None else int(r["full10"])
            rated = Rated(
                row.points10, full10, owner, None if version is None else int(version)
            )
            loaded[row.activity_id] = Standing(self.served(batch, row, own10), rated)
        loaded.recount()
        fold.years[key] = loaded
        return loaded

    def recorder(
        self, batch: Batch, activity_id: str, day: str, starts_at: str
    ) -> Callable[[str, int, int, int], tuple[int, list[Rerate]]]:
        """What each attendance an event records (or corrects) at an activity
        counts, and the member's attendances it rates again: given the
        member, the position the attendance was recorded at, its hours and
        the points of the activity's own rule."""
        category, district = self.ruling(batch, activity_id)
        rule = self.rule(batch, district, day)
        if rule is not None and rule.rate(category) is None:
            rule = None
        year = int(day[:4])
        fold = batch.fold(RatingFold)

        def record(
            member_id: str, position: int, hours100: int, own10: int
        ) -> tuple[int, list[Rerate]]:
            if rule is None:
                return own10, []
            served = Served(
                activity_id,
                starts_at,
                position,
                day,
                district,
                category,
                hours100,
                own10,
            )
            loaded = fold.years.get((member_id, year))
            if loaded is None:
                loaded = self.year(batch, member_id, year)
            if activity_id not in loaded and loaded.counted is not None:
                key = (starts_at, position)
                if loaded.last is None or key > loaded.last:
                    rated = rate_one(served, rule, *loaded.counted)
                    loaded[activity_id] = Standing(served, rated)
                    loaded.last = key
                    fold.rated(activity_id, member_id, rated, own10)
                    return rated.points10, []
            mine, rerates = self.rate(batch, member_id, year, activity_id, served)
            assert mine is not None
            return mine.points10, rerates

        return record

    def removed(self, batch: Batch, row: AttendanceRow) -> list[Rerate]:
        """The member's attendances a revocation rates again."""
        if not self.rates(batch, row.activity_id, row.local_date):
            return []
        year = int(row.local_date[:4])
        return self.rate(batch, row.member_id, year, row.activity_id, None)[1]

    def published(
        self, batch: Batch, e: RuleSet.Published
    ) -> Iterator[tuple[str, Rerate]]:
        """The attendances rules taking effect rate again, member by member."""
        found = batch.query(OWNER, (str(e.originator_id),))
        assert found is not None, e.originator_id
        owner = found["owner"]
        if self.rules.shadows(owner, e.effective_from):
            return
        rows = batch.query_all(AFFECTED, (e.effective_from.isoformat(), owner, owner))
        for member_id, year in sorted(
            {(r["member_id"], int(r["local_date"][:4])) for r in rows}
        ):
            for rerate in self.rate(batch, member_id, year)[1]:
                yield member_id, rerate

    def counted(self, batch: Batch, e: RuleSet.Published, rerated: int) -> None:
        batch.run(SET_RERATED, (rerated, str(e.originator_id)))

    def rate(
        self,
        batch: Batch,
        member_id: str,
        year: int,
        changed: str | None = None,
        served: Served | None = None,
    ) -> tuple[Rated | None, list[Rerate]]:
        """Rates a member's year again, with ``changed`` now ``served`` (None:
        no longer standing); what ``changed`` earns, and the others that
        changed."""
        loaded = self.year(batch, member_id, year)
        since = self._since(loaded, changed, served)
        if changed is not None:
            if served is None:
                loaded.pop(changed, None)
            else:
                before = loaded.get(changed)
                rated = Rated(served.own10, served.own10, None, None)
                loaded[changed] = Standing(served, before.rated if before else rated)
        day, category = ({}, {}) if loaded.counted is None else loaded.counted
        if since is None:
            day, category = {}, {}
        tail = sorted(
            (s for s in loaded.items() if since is None or order(s[1].served) >= since),
            key=lambda s: order(s[1].served),
        )
        c = batch.c
        fold = batch.fold(RatingFold)
        mine: Rated | None = None
        rerates: list[Rerate] = []
        for activity_id, standing in tail:
            served_now = standing.served
            rule = self.rules.on(c, served_now.district_id, served_now.local_date)
            after = rate_one(served_now, rule, day, category)
            if after.owner is None:
                if standing.rated.owner is not None:
                    fold.ratings[activity_id, member_id] = None
            else:
                fold.rated(activity_id, member_id, after, served_now.own10)
            if activity_id == changed:
                mine = after
            elif (after.points10, after.version) != (
                standing.rated.points10,
                standing.rated.version,
            ):
                rerates.append(Rerate(activity_id, standing.rated, after))
            standing.rated = after
        if changed is not None and served is None:
            fold.ratings[changed, member_id] = None
        if since is None:
            loaded.recount()
        else:
            loaded.counted = (day, category)
            loaded.last = max(
                (order(s.served) for s in loaded.values() if s.rated.owner),
                default=None,
            )
        return mine, rerates

    @staticmethod
    def _since(
        loaded: Year, changed: str | None, served: Served | None
    ) -> tuple[str, int] | None:
        """Where a change to the year begins in the fixed order, with what
        the rated attendances from there on counted taken out of the year's
        counts; None to rate the whole year (its counts unknown, or no one
        attendance changed)."""
        if loaded.counted is None or changed is None:
            return None
        old = loaded.get(changed)
        keys = [order(x) for x in (None if old is None else old.served, served) if x]
        if not keys:
            return None
        since = min(keys)
        day, category = (dict(counts) for counts in loaded.counted)
        for standing in loaded.values():
            rated, s = standing.rated, standing.served
            if rated.owner is None or order(s) < since:
                continue
            day[rated.owner, s.local_date] -= rated.points10
            category[rated.owner, s.category] -= rated.points10
        loaded.counted = (day, category)
        return since

    def note(
        self,
        batch: Batch,
        member_id: str,
        rerate: Rerate,
        meta: tuple[str, str, str | None],
    ) -> None:
        """The re-rating in its activity's history."""
        fold = batch.fold(RatingFold)
        fold.sealer = self.sealer
        key = (rerate.activity_id, batch.position)
        history = fold.activity_history.setdefault(key, {"meta": meta, "entries": []})
        history["entries"].append(
            {
                "member_id": member_id,
                "previous_points": points_text(rerate.before.points10),
                "points": points_text(rerate.after.points10),
                "previous_rule_version": rerate.before.version,
                "rule_version": rerate.after.version,
            }
        )

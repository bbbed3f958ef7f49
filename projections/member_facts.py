"""Reading what the figures' contributions are made of, for many members or
units at once, and where each community sits in the tree."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from projections.contributions import (
    ALL,
    Earned,
    MemberFacts,
    Membership,
    Path,
    Period,
    Report,
)
from projections.points import EARNING_SQL
from projections.sql import Cursor, Row, Sql

CHUNK = 500
T = TypeVar("T")

PERIODS = (
    "SELECT member_id, community_id, grid_id, since, until "
    "FROM {t}vp_member_registration WHERE member_id IN ({ids})"
)
MEMBERSHIPS = (
    "SELECT m.member_id, t.community_id, m.joined_on, m.left_on, t.founded_on, "
    "t.dissolved_on FROM {t}vp_team_member m "
    "JOIN {t}vp_team t ON t.team_id = m.team_id WHERE m.member_id IN ({ids})"
)
REPORTS = (
    "SELECT member_id, community_id, reported_on, ended_on "
    "FROM {t}vp_member_report WHERE member_id IN ({ids})"
)
EARNINGS = (
    "SELECT member_id, local_date, COUNT(*) AS participations, "
    "SUM(hours100) AS hours100, SUM(points10) AS points10 FROM {t}vp_attendance "
    f"WHERE member_id IN ({{ids}}) AND status IN {EARNING_SQL} "
    "GROUP BY member_id, local_date"
)
UNIT_REPORTS = (
    "SELECT unit_id, community_id, reported_on, ended_on "
    "FROM {t}vp_unit_report WHERE unit_id IN ({ids})"
)
COMMUNITY_PATH = Sql(
    "SELECT street_id, district_id FROM {t}vp_community WHERE community_id = ?"
)

_sized: dict[tuple[str, int], Sql] = {}


def _in(template: str, size: int) -> Sql:
    sql = _sized.get((template, size))
    if sql is None:
        ids = ", ".join("?" * size)
        sql = _sized[template, size] = Sql(template.replace("{ids}", ids))
    return sql


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def rows_of(c: Cursor, template: str, ids: Iterable[str]) -> Iterator[Row]:
    """The template's rows for every id, a chunk of ids a query."""
    for chunk in _chunks(sorted(set(ids))):
        yield from c.execute(_in(template, len(chunk)), list(chunk)).all()


def _grouped(
    c: Cursor,
    template: str,
    ids: Iterable[str],
    make: Callable[[Row], T],
    key: str = "member_id",
) -> dict[str, list[T]]:
    found: dict[str, list[T]] = {}
    for row in rows_of(c, template, ids):
        found.setdefault(row[key], []).append(make(row))
    return found


def periods_of(c: Cursor, ids: Iterable[str]) -> dict[str, list[Period]]:
    return _grouped(
        c,
        PERIODS,
        ids,
        lambda r: Period(r["community_id"], r["grid_id"], r["since"], r["until"]),
    )


def member_facts(c: Cursor, ids: Iterable[str]) -> dict[str, MemberFacts]:
    """Each member's registrations, team memberships, double reports and
    earnings by day, as the tables hold them now."""
    wanted = list(ids)
    periods = periods_of(c, wanted)
    memberships = _grouped(
        c,
        MEMBERSHIPS,
        wanted,
        lambda r: Membership(
            r["community_id"],
            r["joined_on"],
            r["left_on"],
            r["founded_on"],
            r["dissolved_on"],
        ),
    )
    reports = _grouped(
        c,
        REPORTS,
        wanted,
        lambda r: Report(r["community_id"], r["reported_on"], r["ended_on"]),
    )
    earned = _grouped(
        c,
        EARNINGS,
        wanted,
        lambda r: Earned(
            r["local_date"],
            int(r["participations"]),
            int(r["hours100"]),
            int(r["points10"]),
        ),
    )
    return {
        m: MemberFacts(
            periods.get(m, []),
            memberships.get(m, []),
            reports.get(m, []),
            earned.get(m, []),
        )
        for m in wanted
    }


def unit_reports(c: Cursor, ids: Iterable[str]) -> dict[str, list[Report]]:
    return _grouped(
        c,
        UNIT_REPORTS,
        ids,
        lambda r: Report(r["community_id"], r["reported_on"], r["ended_on"]),
        key="unit_id",
    )


class CommunityPaths:
    """Each community's place in the tree: itself, its street and district
    when it has them, and the whole deployment. The tree never changes, so
    what is learnt is kept."""

    def __init__(self) -> None:
        self._paths: dict[str, Path] = {}

    def learn(
        self, community_id: str, street_id: str | None, district_id: str | None
    ) -> Path:
        path: list[tuple[str, str]] = [("community", community_id)]
        if street_id is not None:
            path.append(("street", street_id))
        if district_id is not None:
            path.append(("district", district_id))
        found = self._paths[community_id] = (*path, ALL)
        return found

    def of(self, c: Cursor, community_id: str) -> Path:
        path = self._paths.get(community_id)
        if path is None:
            row = c.execute(COMMUNITY_PATH, (community_id,)).one()
            if row is None:
                raise LookupError(f"community {community_id} was never registered")
            path = self.learn(community_id, row["street_id"], row["district_id"])
        return path

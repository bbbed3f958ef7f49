"""Reading what the figures' contributions are made of, for many members or
units at once, and where each community sits in the tree."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from projections.attendance_rows import EARNING_SQL
from projections.contributions import (
    ALL,
    Earned,
    MemberFacts,
    Membership,
    Path,
    Period,
    Report,
)
from projections.sql import Cursor, Row, Sql

CHUNK = 500
T = TypeVar("T")

# A member's registrations (p) and double reports (r): where its earnings
# count.
PLACES = (
    "SELECT 'p' AS kind, member_id, community_id, grid_id, since, until "
    "FROM {t}vp_member_registration WHERE member_id IN ({ids}) UNION ALL "
    "SELECT 'r', member_id, community_id, NULL, reported_on, ended_on "
    "FROM {t}vp_member_report WHERE member_id IN ({ids})"
)
# A member's registrations (p), team memberships (m), double reports (r) and
# earnings by day (e), in one query: the columns each kind uses, in order.
FACTS = " UNION ALL ".join(
    (
        "SELECT 'p' AS kind, member_id, community_id AS a, grid_id AS b, since AS c, "
        "until AS d, NULL AS e, 0 AS n1, 0 AS n2, 0 AS n3 "
        "FROM {t}vp_member_registration WHERE member_id IN ({ids})",
        "SELECT 'm', m.member_id, t.community_id, m.joined_on, m.left_on, "
        "t.founded_on, t.dissolved_on, 0, 0, 0 FROM {t}vp_team_member m "
        "JOIN {t}vp_team t ON t.team_id = m.team_id WHERE m.member_id IN ({ids})",
        "SELECT 'r', member_id, community_id, reported_on, ended_on, NULL, NULL, "
        "0, 0, 0 FROM {t}vp_member_report WHERE member_id IN ({ids})",
        "SELECT 'e', member_id, local_date, NULL, NULL, NULL, NULL, COUNT(*), "
        "SUM(hours100), SUM(points10) FROM {t}vp_attendance "
        f"WHERE member_id IN ({{ids}}) AND status IN {EARNING_SQL} "
        "GROUP BY member_id, local_date",
    )
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


def places_of(
    c: Cursor, ids: Iterable[str]
) -> dict[str, tuple[list[Period], list[Report]]]:
    """Each member's registrations and double reports, for the members who
    have any."""
    found: dict[str, tuple[list[Period], list[Report]]] = {}
    for chunk in _chunks(sorted(set(ids))):
        sql = _in(PLACES, len(chunk))
        for r in c.execute(sql, list(chunk) * 2).all():
            periods, reports = found.setdefault(r["member_id"], ([], []))
            if r["kind"] == "p":
                periods.append(
                    Period(r["community_id"], r["grid_id"], r["since"], r["until"])
                )
            else:
                reports.append(Report(r["community_id"], r["since"], r["until"]))
    return found


def member_facts(c: Cursor, ids: Iterable[str]) -> dict[str, MemberFacts]:
    """Each member's registrations, team memberships, double reports and
    earnings by day, as the tables hold them now."""
    found = {m: MemberFacts([], [], [], []) for m in ids}
    for chunk in _chunks(sorted(found)):
        sql = _in(FACTS, len(chunk))
        for r in c.execute(sql, list(chunk) * 4).all():
            facts, kind = found[r["member_id"]], r["kind"]
            if kind == "p":
                facts.periods.append(Period(r["a"], r["b"], r["c"], r["d"]))
            elif kind == "m":
                facts.memberships.append(
                    Membership(r["a"], r["b"], r["c"], r["d"], r["e"])
                )
            elif kind == "r":
                facts.reports.append(Report(r["a"], r["b"], r["c"]))
            else:
                points = int(r["n1"]), int(r["n2"]), int(r["n3"])
                facts.earned.append(Earned(r["a"], *points))
    return found


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

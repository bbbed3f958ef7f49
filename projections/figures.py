"""The figures a scope reports for a year as of a date D: teams, volunteers,
activities held, participations (人次), hours, points, members and their
average annual points (人均年积分), units and members double-reported; for the
whole deployment, a district, a street, a community or a grid; and a
community's leaderboard.

Each scope's figures are read in one query from the other read models'
dated tables: a fact dated X counts from X, an end dated E until the day
before E. A district's or street's figures are its communities' (by
vp_community's place in the tree); a grid's are its members'."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from projections.amounts import hours_text, points_text
from projections.points import EARNING_SQL
from projections.sealing import Sealer
from projections.sql import Cursor, Reader, Row, Sql
from projections.view import TRACKED_APPLICATION, TRACKED_POSITION

SCOPES = ("all", "district", "street", "community", "grid")
EARNING = EARNING_SQL
COVERS = "{a}.{start} <= :on AND ({a}.{end} IS NULL OR {a}.{end} > :on)"


def covers(alias: str, start: str, end: str) -> str:
    return COVERS.format(a=alias, start=start, end=end)


def in_scope(scope: str, column: str) -> str:
    """Whether the community in ``column`` is in the scope :scope_id."""
    if scope == "all":
        return "1 = 1"
    if scope == "community":
        return f"{column} = :scope_id"
    return (
        f"{column} IN (SELECT community_id FROM {{t}}vp_community "
        f"WHERE {scope}_id = :scope_id)"
    )


TEAMS_COUNTED = f"{covers('t', 'founded_on', 'dissolved_on')}"
# A member's annual points as of D: the year's total when every attendance of
# the year is dated on or before D, else the attendances up to D added up.
MEMBER_POINTS = (
    "CASE WHEN y.last_date IS NULL THEN 0 WHEN y.last_date <= :on THEN y.points10 "
    "ELSE (SELECT SUM(a.points10) FROM {t}vp_attendance a "
    "WHERE a.member_id = r.member_id AND a.local_date BETWEEN :start AND :on "
    f"AND a.status IN {EARNING}) END"
)
MEMBER_YEAR = (
    "LEFT JOIN {t}vp_member_year y ON y.member_id = r.member_id AND y.year = :year"
)


def community_figures(scope: str) -> Sql:
    parts = [
        f"(SELECT COUNT(*) AS teams FROM {{t}}vp_team t "
        f"WHERE {in_scope(scope, 't.community_id')} AND {TEAMS_COUNTED}) AS a",
        "(SELECT COUNT(DISTINCT tm.member_id) AS volunteers "
        "FROM {t}vp_team_member tm JOIN {t}vp_team t ON t.team_id = tm.team_id "
        f"WHERE {in_scope(scope, 't.community_id')} AND {TEAMS_COUNTED} "
        f"AND {covers('tm', 'joined_on', 'left_on')}) AS b",
        "(SELECT COUNT(*) AS activities, SUM(v.attendances) AS participations, "
        "SUM(v.hours100) AS hours100, SUM(v.points10) AS points10 "
        f"FROM {{t}}vp_activity v WHERE {in_scope(scope, 'v.community_id')} "
        "AND v.local_date BETWEEN :start AND :on AND v.status != 'cancelled') AS c",
        f"(SELECT COUNT(*) AS members, SUM({MEMBER_POINTS}) AS member_points10 "
        f"FROM {{t}}vp_member_registration r {MEMBER_YEAR} "
        f"WHERE {in_scope(scope, 'r.community_id')} "
        f"AND {covers('r', 'since', 'until')}) AS d",
        "(SELECT COUNT(DISTINCT u.unit_id) AS units_reported "
        f"FROM {{t}}vp_unit_report u WHERE {in_scope(scope, 'u.community_id')} "
        f"AND {covers('u', 'reported_on', 'ended_on')}) AS e",
        "(SELECT COUNT(DISTINCT p.member_id) AS members_reported "
        f"FROM {{t}}vp_member_report p WHERE {in_scope(scope, 'p.community_id')} "
        f"AND {covers('p', 'reported_on', 'ended_on')}) AS f",
    ]
    if scope != "community":
        parts += [
            "(SELECT COUNT(*) AS communities FROM {t}vp_community g "
            f"WHERE {in_scope(scope, 'g.community_id')}) AS g",
            "(SELECT COUNT(*) AS grids, SUM(h.party_organisation) "
            "AS grid_party_organisations FROM {t}vp_grid h "
            f"WHERE {in_scope(scope, 'h.community_id')}) AS h",
        ]
    return Sql("SELECT * FROM " + ", ".join(parts))


GRID_MEMBERS = f"r.grid_id = :scope_id AND {covers('r', 'since', 'until')}"
GRID_FIGURES = Sql(
    "SELECT * FROM "
    "(SELECT COUNT(DISTINCT r.member_id) AS volunteers "
    "FROM {t}vp_member_registration r "
    "JOIN {t}vp_team_member tm ON tm.member_id = r.member_id "
    "JOIN {t}vp_team t ON t.team_id = tm.team_id "
    f"WHERE {GRID_MEMBERS} AND {TEAMS_COUNTED} "
    f"AND {covers('tm', 'joined_on', 'left_on')}) AS b, "
    "(SELECT COUNT(*) AS participations, SUM(a.hours100) AS hours100, "
    "SUM(a.points10) AS points10 FROM {t}vp_member_registration r "
    "JOIN {t}vp_attendance a ON a.member_id = r.member_id "
    f"WHERE {GRID_MEMBERS} AND a.local_date BETWEEN :start AND :on "
    f"AND a.status IN {EARNING}) AS c, "
    f"(SELECT COUNT(*) AS members, SUM({MEMBER_POINTS}) AS member_points10 "
    f"FROM {{t}}vp_member_registration r {MEMBER_YEAR} WHERE {GRID_MEMBERS}) AS d, "
    "(SELECT COUNT(DISTINCT r.member_id) AS members_reported "
    "FROM {t}vp_member_registration r "
    "JOIN {t}vp_member_report p ON p.member_id = r.member_id "
    f"WHERE {GRID_MEMBERS} AND p.community_id = r.community_id "
    f"AND {covers('p', 'reported_on', 'ended_on')}) AS f"
)
FIGURES = {scope: community_figures(scope) for scope in SCOPES if scope != "grid"}
FIGURES["grid"] = GRID_FIGURES

# The top members first, then the names of those alone.
LEADERBOARD = Sql(
    "SELECT t.member_id, m.name, t.points10, t.hours100 FROM ("
    "SELECT r.member_id, SUM(a.points10) AS points10, "
    "SUM(a.hours100) AS hours100 FROM {t}vp_member_registration r "
    "JOIN {t}vp_attendance a ON a.member_id = r.member_id "
    f"WHERE r.community_id = :community_id AND {covers('r', 'since', 'until')} "
    f"AND a.local_date BETWEEN :start AND :on AND a.status IN {EARNING} "
    "GROUP BY r.member_id HAVING SUM(a.points10) > 0 "
    "ORDER BY SUM(a.points10) DESC, SUM(a.hours100) DESC, r.member_id "
    "LIMIT :limit) t JOIN {t}vp_member m ON m.member_id = t.member_id "
    "ORDER BY t.points10 DESC, t.hours100 DESC, t.member_id"
)


EVERY_SCOPE = Sql(
    "SELECT 'district' AS scope, district_id AS id FROM {t}vp_district "
    "UNION ALL SELECT 'street', street_id FROM {t}vp_street "
    "UNION ALL SELECT 'community', community_id FROM {t}vp_community "
    "UNION ALL SELECT 'grid', grid_id FROM {t}vp_grid ORDER BY 1, 2"
)
YEARS_HELD = Sql(
    "SELECT MIN(local_date) AS first, MAX(local_date) AS last FROM {t}vp_activity"
)


def _count(row: Row, column: str) -> int:
    try:
        return int(row[column] or 0)
    except (KeyError, IndexError):
        return 0


class FigureQueries:
    """A scope's figures for a year as of a date, and a community's
    leaderboard."""

    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer

    def stats(
        self, scope: str, scope_id: str | None, year: int, on: date
    ) -> dict[str, Any]:
        with self.view.read(single=True) as c:
            return self._stats(c, scope, scope_id, year, on)

    def stats_with_position(
        self, scope: str, scope_id: str | None, year: int, on: date
    ) -> tuple[int, dict[str, Any]]:
        """The figures and the event log position they reflect, read in one
        snapshot."""
        with self.view.read() as c:
            tracked = c.execute(TRACKED_POSITION, (TRACKED_APPLICATION,)).one()
            position = 0 if tracked is None else int(tracked["notification_id"])
            return position, self._stats(c, scope, scope_id, year, on)

    def _stats(
        self, c: Cursor, scope: str, scope_id: str | None, year: int, on: date
    ) -> dict[str, Any]:
        start = date(year, 1, 1)
        params = {
            "scope_id": scope_id,
            "year": year,
            "start": start.isoformat(),
            "on": on.isoformat(),
        }
        row = c.execute(FIGURES[scope], params).one()
        assert row is not None  # aggregates without GROUP BY give one row
        begun = on >= start
        dated = {
            name: _count(row, name) if begun else 0
            for name in (
                "teams",
                "volunteers",
                "activities",
                "participations",
                "members",
                "units_reported",
                "members_reported",
            )
        }
        counted = dated["members"]
        total10 = _count(row, "member_points10") if begun else 0
        average = (
            (Decimal(total10) / 10 / counted).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
            if counted
            else Decimal("0.0")
        )
        figures: dict[str, Any] = {
            "scope": scope,
            "scope_id": scope_id,
            "year": year,
            "as_of": on.isoformat(),
            **dated,
            "hours": hours_text(row["hours100"] if begun else 0),
            "points": points_text(row["points10"] if begun else 0),
            "avg_annual_points": f"{average:.1f}",
        }
        if scope in ("all", "district", "street"):
            figures |= {
                "communities": _count(row, "communities"),
                "grids": _count(row, "grids"),
                "grid_party_organisations": _count(row, "grid_party_organisations"),
            }
        return figures

    def every_scope(self) -> list[tuple[str, str | None]]:
        """The whole deployment and every district, street, community and grid."""
        rows = self.view.all(EVERY_SCOPE, {})
        return [("all", None), *((r["scope"], r["id"]) for r in rows)]

    def years_held(self) -> range:
        """The years from the first activity's to the last's."""
        row = self.view.one(YEARS_HELD, {})
        if row is None or row["first"] is None:
            return range(0)
        return range(int(row["first"][:4]), int(row["last"][:4]) + 1)

    def leaderboard(
        self, community_id: str, year: int, on: date, limit: int
    ) -> dict[str, Any]:
        params = {
            "community_id": community_id,
            "start": f"{year:04d}-01-01",
            "on": on.isoformat(),
            "limit": limit,
        }
        rows = self.view.all(LEADERBOARD, params)
        return {
            "community_id": community_id,
            "year": year,
            "as_of": on.isoformat(),
            "items": [
                {
                    "member_id": r["member_id"],
                    "name": self.sealer.open(r["name"]),
                    "points": points_text(r["points10"]),
                    "hours": hours_text(r["hours100"]),
                }
                for r in rows
            ],
        }

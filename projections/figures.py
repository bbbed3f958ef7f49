"""The figures a scope reports for a year as of a date D: teams, volunteers,
activities held, participations (人次), hours, points, members and their
average annual points (人均年积分), units and members double-reported and the
reported members' own participations and average annual points; for the
whole deployment, a district, a street, a community or a grid; and a
community's leaderboard.

Each scope's figures are one sum over its changes in vp_scope_change
(scope_days.py), so a read costs what the answer costs, not what the scope
holds: a fact dated X counts from X, an end dated E until the day before E.
A grid's participations, hours and points are its members'.

The leaderboard, and the ledger (ledger.py), read the dated tables
themselves: ``covers`` and ``in_scope`` spell their conditions."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from projections.amounts import hours_text, points_text
from projections.attendance_rows import EARNING_SQL
from projections.contributions import COUNTS, FLOWS
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


# What is in effect on D is every change up to D: the years before D's, the
# months of D's year before D's month, and the days of D's month up to D; what
# the year held is the same without the years before it.
PARTS = " UNION ALL ".join(
    "SELECT * FROM {t}vp_scope_change WHERE scope = :scope "
    f"AND scope_id = :scope_id AND grain = '{grain}' AND {condition}"
    for grain, condition in (
        ("y", "period < :year"),
        ("m", "period >= :year AND period < :month"),
        ("d", "period >= :month AND period <= :on"),
    )
)
FIGURES = Sql(
    "SELECT "
    + ", ".join(f"SUM({column}) AS {column}" for column in COUNTS)
    + ", "
    + ", ".join(
        f"SUM(CASE WHEN grain = 'y' THEN 0 ELSE {column} END) AS {column}"
        for column in FLOWS
    )
    + f" FROM ({PARTS}) AS c"
)

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


def _average(total10: int, counted: int) -> str:
    """Tenths of points ÷ a number of members, half-up to one place; "0.0"
    when there are none."""
    if not counted:
        return "0.0"
    average = Decimal(total10) / 10 / counted
    return f"{average.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):.1f}"


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

    def stats_in(
        self, c: Cursor, scope: str, scope_id: str | None, year: int, on: date
    ) -> dict[str, Any]:
        """The figures as a read already begun sees them."""
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
            "scope": scope,
            "scope_id": scope_id or "",
            "year": f"{year:04d}",
            "month": on.isoformat()[:7],
            "on": on.isoformat(),
        }
        row = c.execute(FIGURES, params).one()
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
        average = _average(_count(row, "member_points10"), dated["members"])
        reported = _average(_count(row, "reported_points10"), dated["members_reported"])
        figures: dict[str, Any] = {
            "scope": scope,
            "scope_id": scope_id,
            "year": year,
            "as_of": on.isoformat(),
            **dated,
            "hours": hours_text(_count(row, "hours100") if begun else 0),
            "points": points_text(_count(row, "points10") if begun else 0),
            "avg_annual_points": average,
            "members_reported_participations": (
                _count(row, "reported_participations") if begun else 0
            ),
            "members_reported_avg_annual_points": reported,
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

"""A member's points (积分) for a year as of a date, with lifetime totals and
star rating; and statement (积分明细): every attendance of the member in a year,
as of a date, with its status and each change to it, oldest first. Both are
read from the points model's tables (points.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from domain.points import DEFAULT_STAR_THRESHOLDS, star_rating
from projections.amounts import hours_decimal, hours_text, points_text
from projections.points import EARNING, EARNING_SQL
from projections.sql import Plan, Reader, Row, Sql

MEMBER_YEARS = Sql(
    "SELECT year, points10, hours100, activities, last_date FROM {t}vp_member_year "
    "WHERE member_id = :member_id AND year <= :year"
)
MEMBER_YEAR_AS_OF = Sql(
    "SELECT SUM(points10) AS points10, SUM(hours100) AS hours100, "
    "COUNT(*) AS activities FROM {t}vp_attendance "
    "WHERE member_id = :member_id AND local_date BETWEEN :start AND :on "
    f"AND status IN {EARNING_SQL}"
)

STATEMENT_ITEMS = Sql(
    "SELECT a.activity_id, v.title, a.local_date, a.hours, a.points, "
    "a.status, a.recorded_by, a.reason FROM {t}vp_attendance a "
    "JOIN {t}vp_activity v ON v.activity_id = a.activity_id "
    "WHERE a.member_id = ? AND a.local_date BETWEEN ? AND ? "
    "ORDER BY v.starts_at, a.activity_id"
)
STATEMENT_CHANGES = Sql(
    "SELECT c.* FROM {t}vp_attendance_change c "
    "JOIN {t}vp_attendance a ON a.activity_id = c.activity_id "
    "AND a.member_id = c.member_id "
    "WHERE c.member_id = ? AND a.local_date BETWEEN ? AND ? ORDER BY c.position"
)


class PointsQueries:
    """A member's points for a year as of a date, lifetime totals and star
    rating as of that date."""

    def __init__(
        self, view: Reader, star_thresholds: Sequence[Decimal] = DEFAULT_STAR_THRESHOLDS
    ) -> None:
        self.view = view
        self.star_thresholds = tuple(star_thresholds)

    def member_points(self, member_id: str, year: int, on: date) -> dict[str, Any]:
        """A member's points, read in this thread (see ``points_plan``)."""
        return self.view.run(self.points_plan(member_id, year, on))

    def points_plan(self, member_id: str, year: int, on: date) -> Plan[dict[str, Any]]:
        """From the member's yearly totals: the year's own is added up from its
        attendances only when some are dated after ``on``, so a read costs the
        same however long the member's history."""
        params = {
            "member_id": member_id,
            "year": year,
            "start": f"{year:04d}-01-01",
            "on": on.isoformat(),
        }
        (years,) = yield [(MEMBER_YEARS, params)]
        totals = {row["year"]: row for row in years}
        this_year = totals.pop(year, None)
        if this_year is not None and this_year["last_date"] > params["on"]:
            reads = [(MEMBER_YEARS, params), (MEMBER_YEAR_AS_OF, params)]
            years, as_of = yield reads
            totals = {row["year"]: row for row in years}
            totals.pop(year, None)
            this_year = as_of[0]
        points10 = hours100 = activities = 0
        if this_year is not None:
            points10 = int(this_year["points10"] or 0)
            hours100 = int(this_year["hours100"] or 0)
            activities = int(this_year["activities"] or 0)
        lifetime_points10 = points10 + sum(int(r["points10"]) for r in totals.values())
        lifetime_hours100 = hours100 + sum(int(r["hours100"]) for r in totals.values())
        return {
            "member_id": member_id,
            "year": year,
            "as_of": params["on"],
            "points": points_text(points10),
            "hours": hours_text(hours100),
            "activities": activities,
            "lifetime_points": points_text(lifetime_points10),
            "lifetime_hours": hours_text(lifetime_hours100),
            "star": star_rating(hours_decimal(lifetime_hours100), self.star_thresholds),
        }


class StatementQueries:
    """A member's statement for a year as of a date."""

    def __init__(self, view: Reader, points: PointsQueries) -> None:
        self.view = view
        self.points = points

    def statement(self, member_id: str, year: int, on: date) -> dict[str, Any]:
        span = (member_id, f"{year:04d}-01-01", on.isoformat())
        with self.view.read() as c:
            rows = c.execute(STATEMENT_ITEMS, span).all()
            changes = c.execute(STATEMENT_CHANGES, span).all()
        history: dict[str, list[dict[str, Any]]] = {}
        for change in changes:
            history.setdefault(change["activity_id"], []).append(_change(change))
        totals = self.points.member_points(member_id, year, on)
        return {
            "member_id": member_id,
            "year": year,
            "as_of": on.isoformat(),
            "items": [_item(r, history.get(r["activity_id"], [])) for r in rows],
            "points": totals["points"],
            "hours": totals["hours"],
        }


def _item(row: Row, history: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "activity_id": row["activity_id"],
        "title": row["title"],
        "date": row["local_date"],
        "hours": row["hours"],
        "points": row["points"] if row["status"] in EARNING else "0.0",
        "status": row["status"],
        "recorded_by": row["recorded_by"],
        "reason": row["reason"],
        "history": history,
    }


def _change(row: Row) -> dict[str, Any]:
    return {
        "type": row["type"],
        "hours": row["hours"],
        "points": row["points"],
        "previous_hours": row["previous_hours"],
        "previous_points": row["previous_points"],
        "recorded_by": row["actor"],
        "recorded_at": row["recorded_at"],
        "reason": row["reason"],
    }

"""Statements (积分明细): every attendance of a member in a year, as of a date,
with its status and each change to it, oldest first."""

from __future__ import annotations

from datetime import date
from typing import Any

from projections.points import EARNING, PointsQueries
from projections.sql import Reader, Row, Sql

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

"""An activity's attendances (签到记录) as they stand: who, the hours and the
points counted, the status and who recorded each and when, with the member's
name; read from the points model's table (points.py), in the order they were
recorded."""

from __future__ import annotations

from typing import Any

from projections.amounts import points_text
from projections.attendance_rows import EARNING
from projections.paging import read_page
from projections.sealing import Sealer
from projections.sql import Reader, Row, Sql

ACTIVITY_ATTENDANCES = Sql(
    "SELECT a.member_id, m.name, a.hours, a.points10, a.status, a.recorded_by, "
    "a.recorded_at, a.reason FROM {t}vp_attendance a "
    "LEFT JOIN {t}vp_member m ON m.member_id = a.member_id "
    "WHERE a.activity_id = :activity_id AND (a.recorded_at > :after_recorded_at "
    "OR (a.recorded_at = :after_recorded_at AND a.member_id > :after_member_id)) "
    "ORDER BY a.recorded_at, a.member_id LIMIT :limit"
)


class AttendanceQueries:
    """An activity's attendances, a page at a time."""

    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer

    def activity_attendances(
        self, activity_id: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        rows, next_cursor = read_page(
            self.view,
            ACTIVITY_ATTENDANCES,
            {"activity_id": activity_id},
            ("recorded_at", "member_id"),
            limit,
            cursor,
        )
        return {"items": [self._item(r) for r in rows], "next_cursor": next_cursor}

    def _item(self, row: Row) -> dict[str, Any]:
        # As on a statement: a revoked or cancelled attendance counts no points.
        counted = row["status"] in EARNING
        return {
            "member_id": row["member_id"],
            "name": self.sealer.open(row["name"]),
            "hours": row["hours"],
            "points": points_text(row["points10"] if counted else 0),
            "status": row["status"],
            "recorded_by": row["recorded_by"],
            "recorded_at": row["recorded_at"],
            "reason": row["reason"],
        }

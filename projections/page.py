"""One page of events folded in memory, then written a table at a time.

Statements are kept in order, and runs of the same statement go to the
database as one ``executemany``. Attendance rows and the additive figures
(member and team years, activity counters) are folded per key and written once
per page, so a page costs a few statements per table, not a few per member."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.view import Cursor

ATTENDANCE_UPSERT = (
    "INSERT INTO @vp_attendance VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (activity_id, member_id) DO UPDATE SET "
    "year = excluded.year, hours = excluded.hours, points = excluded.points, "
    "hours100 = excluded.hours100, points10 = excluded.points10, "
    "status = excluded.status, recorded_by = excluded.recorded_by, "
    "reason = excluded.reason"
)
MEMBER_YEAR_UPSERT = (
    "INSERT INTO @vp_member_year VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (member_id, year) DO UPDATE SET "
    "points10 = vp_member_year.points10 + excluded.points10, "
    "hours100 = vp_member_year.hours100 + excluded.hours100, "
    "activities = vp_member_year.activities + excluded.activities"
)
TEAM_YEAR_UPSERT = (
    "INSERT INTO @vp_team_year VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (team_id, year) DO UPDATE SET "
    "activities = vp_team_year.activities + excluded.activities, "
    "participations = vp_team_year.participations + excluded.participations, "
    "hours100 = vp_team_year.hours100 + excluded.hours100, "
    "points10 = vp_team_year.points10 + excluded.points10"
)
ACTIVITY_COUNTS = (
    "UPDATE @vp_activity SET signups = signups + ?, attendances = attendances + ? "
    "WHERE activity_id = ?"
)

# activity_id, member_id, year, hours, points, hours100, points10, status,
# recorded_by, reason
AttendanceRow = tuple[str, str, int, str, str, int, int, str, str, str | None]


class Page:
    """The writes of one page of events, inside the page's transaction."""

    def __init__(self, c: Cursor) -> None:
        self.c = c
        self._sql: str | None = None
        self._rows: list[Sequence[Any]] = []
        self.attendance: dict[tuple[str, str], AttendanceRow] = {}
        self.member_year: dict[tuple[str, int], list[int]] = {}
        self.team_year: dict[tuple[str, int], list[Any]] = {}
        self.activity_counts: dict[str, list[int]] = {}

    def run(self, sql: str, params: Sequence[Any]) -> None:
        """A write, sent with the next ones that use the same statement."""
        if sql != self._sql:
            self._send()
            self._sql = sql
        self._rows.append(params)

    def query(self, sql: str, params: Sequence[Any]) -> Any:
        """A read that sees every write made so far."""
        self._send()
        return self.c.execute(sql, params).fetchone()

    def _send(self) -> None:
        if self._sql is not None and self._rows:
            if len(self._rows) == 1:
                self.c.execute(self._sql, self._rows[0])
            else:
                self.c.executemany(self._sql, self._rows)
        self._sql = None
        self._rows = []

    def attendance_row(self, activity_id: str, member_id: str) -> AttendanceRow:
        key = (activity_id, member_id)
        row = self.attendance.get(key)
        if row is None:
            found = self.query(
                "SELECT * FROM @vp_attendance WHERE activity_id = ? AND member_id = ?",
                [activity_id, member_id],
            )
            row = (
                found["activity_id"],
                found["member_id"],
                int(found["year"]),
                found["hours"],
                found["points"],
                int(found["hours100"]),
                int(found["points10"]),
                found["status"],
                found["recorded_by"],
                found["reason"],
            )
        return row

    def put_attendance(self, row: AttendanceRow) -> None:
        self.attendance[(row[0], row[1])] = row

    def add_member_year(
        self, member_id: str, year: int, points: int, hours: int, activities: int
    ) -> None:
        totals = self.member_year.setdefault((member_id, year), [0, 0, 0])
        totals[0] += points
        totals[1] += hours
        totals[2] += activities

    def add_team_year(
        self,
        team_id: str,
        year: int,
        community_id: str,
        activities: int,
        participations: int = 0,
        hours: int = 0,
        points: int = 0,
    ) -> None:
        totals = self.team_year.setdefault((team_id, year), [community_id, 0, 0, 0, 0])
        totals[1] += activities
        totals[2] += participations
        totals[3] += hours
        totals[4] += points

    def count(self, activity_id: str, signups: int = 0, attendances: int = 0) -> None:
        totals = self.activity_counts.setdefault(activity_id, [0, 0])
        totals[0] += signups
        totals[1] += attendances

    def flush(self) -> None:
        """Writes what the page folded; the transaction is then committed."""
        self._send()
        c = self.c
        c.executemany(ATTENDANCE_UPSERT, list(self.attendance.values()))
        c.executemany(
            MEMBER_YEAR_UPSERT,
            [(m, y, p, h, n) for (m, y), (p, h, n) in self.member_year.items()],
        )
        c.executemany(
            TEAM_YEAR_UPSERT,
            [(t, y, *totals) for (t, y), totals in self.team_year.items()],
        )
        c.executemany(
            ACTIVITY_COUNTS,
            [
                (s, a, activity_id)
                for activity_id, (s, a) in self.activity_counts.items()
                if s or a
            ],
        )

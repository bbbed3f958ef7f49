"""The attendance rows of the points model (vp_attendance, vp_attendance_change,
vp_member_year), their statuses and SQL, and what a page changes in them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from eventsourcing.domain import DomainEvent

from domain.activity import Activity
from projections.batch import Batch
from projections.sql import Cursor, Row, Sql, Table

RECORDED, CORRECTED, REVOKED = "recorded", "corrected", "revoked"
EARNING = (RECORDED, CORRECTED)  # statuses whose points count
EARNING_SQL = "(" + ", ".join(f"'{status}'" for status in EARNING) + ")"
RECORDING = Activity.AttendanceRecorded.__name__
RERATED = "AttendanceRerated"

TABLES = (
    Table(
        "vp_attendance",
        "activity_id TEXT NOT NULL, member_id TEXT NOT NULL, "
        "local_date TEXT NOT NULL, starts_at TEXT NOT NULL, "
        "hours TEXT NOT NULL, points TEXT NOT NULL, "
        "hours100 BIGINT NOT NULL, points10 BIGINT NOT NULL, status TEXT NOT NULL, "
        "recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL, reason TEXT, "
        "position BIGINT NOT NULL, recorded_hours TEXT NOT NULL, "
        "recorded_points TEXT NOT NULL, PRIMARY KEY (activity_id, member_id)",
        {
            # A member's attendances in statement order (a page is a range of
            # it), carrying what a year's totals as of a date add up.
            "vp_attendance_member": "member_id, local_date, starts_at, activity_id, "
            "status, points10, hours100",
        },
        # A page's figures read the earnings of the members it touches by it.
        kept=frozenset({"vp_attendance_member"}),
    ),
    Table(
        "vp_member_year",
        "member_id TEXT NOT NULL, year INTEGER NOT NULL, "
        "points10 BIGINT NOT NULL, hours100 BIGINT NOT NULL, "
        "activities INTEGER NOT NULL, last_date TEXT NOT NULL, "
        "PRIMARY KEY (member_id, year)",
    ),
    # The changes after an attendance's recording, which its row holds
    # (position, recorded_hours, recorded_points, recorded_by, recorded_at)
    # while it stands. A revocation copies the recording here, since a later
    # recording of the same member at the same activity takes its place.
    Table(
        "vp_attendance_change",
        "member_id TEXT NOT NULL, position BIGINT NOT NULL, activity_id TEXT NOT NULL, "
        "type TEXT NOT NULL, hours TEXT NOT NULL, points TEXT NOT NULL, "
        "previous_hours TEXT, previous_points TEXT, actor TEXT NOT NULL, "
        "reason TEXT, recorded_at TEXT NOT NULL, rule_version INTEGER, "
        "previous_rule_version INTEGER",
        {
            "vp_attendance_change_key": "member_id, position",
            "vp_attendance_change_item": "member_id, activity_id, position",
        },
        unique=frozenset({"vp_attendance_change_item"}),
    ),
)

CHANGES = TABLES[2]
UPSERT_ATTENDANCE = Sql(
    "INSERT INTO {t}vp_attendance "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (activity_id, member_id) DO UPDATE SET "
    "hours = excluded.hours, points = excluded.points, "
    "hours100 = excluded.hours100, points10 = excluded.points10, "
    "status = excluded.status, recorded_by = excluded.recorded_by, "
    "recorded_at = excluded.recorded_at, reason = excluded.reason, "
    "position = excluded.position, recorded_hours = excluded.recorded_hours, "
    "recorded_points = excluded.recorded_points"
)
INSERT_CHANGE = Sql(
    "INSERT INTO {t}vp_attendance_change VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
ADD_MEMBER_YEAR = Sql(
    "INSERT INTO {t}vp_member_year VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (member_id, year) DO UPDATE SET "
    "points10 = vp_member_year.points10 + excluded.points10, "
    "hours100 = vp_member_year.hours100 + excluded.hours100, "
    "activities = vp_member_year.activities + excluded.activities, "
    "last_date = {greatest}(vp_member_year.last_date, excluded.last_date)"
)
SELECT_ATTENDANCE = Sql(
    "SELECT * FROM {t}vp_attendance WHERE activity_id = ? AND member_id = ?"
)


def recording(row: Row) -> Row:
    """The recording that a standing attendance's row holds, as a change."""
    return {
        "member_id": row["member_id"],
        "activity_id": row["activity_id"],
        "position": row["position"],
        "type": RECORDING,
        "hours": row["recorded_hours"],
        "points": row["recorded_points"],
        "previous_hours": None,
        "previous_points": None,
        "actor": row["recorded_by"],
        "reason": None,
        "recorded_at": row["recorded_at"],
        "rule_version": None,
        "previous_rule_version": None,
    }


class AttendanceRow(NamedTuple):
    """A row of vp_attendance, in column order."""

    activity_id: str
    member_id: str
    local_date: str
    starts_at: str
    hours: str
    points: str
    hours100: int
    points10: int
    status: str
    recorded_by: str
    recorded_at: str
    reason: str | None
    position: int
    recorded_hours: str
    recorded_points: str


@dataclass(slots=True)
class MemberYear:
    """What a member's year gained or lost, and the latest local date of its
    attendances: figures as of a date on or after it need no dated sum."""

    points10: int = 0
    hours100: int = 0
    activities: int = 0
    last_date: str = ""


class PointsFold:
    """What a page changes in the points tables: attendance rows by activity and
    member, the changes made to them, in order, and each member's years."""

    def __init__(self) -> None:
        self.attendance: dict[tuple[str, str], AttendanceRow] = {}
        self._read: dict[tuple[str, str], AttendanceRow] = {}
        self.changes: list[tuple[object, ...]] = []
        self.member_years: dict[tuple[str, int], MemberYear] = {}

    def add_member_year(
        self, member_id: str, day: str, points10: int, hours100: int, activities: int
    ) -> None:
        key = (member_id, int(day[:4]))
        totals = self.member_years.get(key)
        if totals is None:
            totals = self.member_years[key] = MemberYear()
        totals.points10 += points10
        totals.hours100 += hours100
        totals.activities += activities
        if day > totals.last_date:
            totals.last_date = day

    def remember(self, row: AttendanceRow) -> None:
        """A row read elsewhere, for ``row`` to find, unless this page changed it."""
        key = (row.activity_id, row.member_id)
        if key not in self.attendance:
            self._read[key] = row

    def put(self, row: AttendanceRow) -> None:
        self.attendance[row.activity_id, row.member_id] = row

    def row(self, batch: Batch, activity_id: str, member_id: str) -> AttendanceRow:
        """The attendance row as this page has left it so far."""
        key = (activity_id, member_id)
        row = self.attendance.get(key) or self._read.get(key)
        if row is None:
            found = batch.query(SELECT_ATTENDANCE, key)
            if found is None:
                raise LookupError(f"no attendance of {member_id} at {activity_id}")
            row = AttendanceRow(*(found[column] for column in AttendanceRow._fields))
            self._read[key] = row
        return row

    def change(
        self,
        batch: Batch,
        row: AttendanceRow,
        e: DomainEvent,
        actor: str,
        reason: str | None,
        at: str,
        previous: AttendanceRow | None = None,
    ) -> None:
        """A change to ``row`` by ``e``, made at ``at`` (the event's moment)."""
        self.changes.append(
            (
                row.member_id,
                batch.position,
                row.activity_id,
                type(e).__name__,
                row.hours,
                row.points,
                None if previous is None else previous.hours,
                None if previous is None else previous.points,
                actor,
                reason,
                at,
                None,
                None,
            )
        )

    def rerated(
        self,
        batch: Batch,
        row: AttendanceRow,
        previous: AttendanceRow,
        versions: tuple[int | None, int | None],
        actor: str,
        reason: str,
        at: str,
    ) -> None:
        """``row``'s points changed by a change elsewhere in its member's year
        (or by rules taking effect): from ``versions[0]``'s to ``versions[1]``'s."""
        self.changes.append(
            (
                row.member_id,
                batch.position,
                row.activity_id,
                RERATED,
                row.hours,
                row.points,
                previous.hours,
                previous.points,
                actor,
                reason,
                at,
                versions[1],
                versions[0],
            )
        )

    def keep_recording(self, row: AttendanceRow) -> None:
        """The recording ``row`` holds, as a change of its own: a later
        recording of the same attendance will hold its place."""
        self.changes.append(
            (
                row.member_id,
                row.position,
                row.activity_id,
                RECORDING,
                row.recorded_hours,
                row.recorded_points,
                None,
                None,
                row.recorded_by,
                None,
                row.recorded_at,
                None,
                None,
            )
        )

    def flush(self, c: Cursor) -> None:
        # Plain tuples: sqlite3 binds them faster than named ones.
        c.executemany(UPSERT_ATTENDANCE, [tuple(r) for r in self.attendance.values()])
        c.append(CHANGES, INSERT_CHANGE, self.changes)
        c.executemany(
            ADD_MEMBER_YEAR,
            [
                (m, year, t.points10, t.hours100, t.activities, t.last_date)
                for (m, year), t in self.member_years.items()
            ],
        )

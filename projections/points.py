"""Points (积分): each attendance with its hours, points, status, who recorded
it and when, and the local date and start of its activity; every change to it
(its history); and each member's yearly totals. Read by statements.py (a
member's points and statement) and attendances.py (an activity's
attendances)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple
from uuid import UUID

from eventsourcing.domain import DomainEvent

from domain.activity import CANCELLED, Activity
from projections.activities import ActivityCounts, KnownActivities
from projections.amounts import (
    hundredths,
    tenths,
)
from projections.batch import Batch, Handler, on
from projections.sql import Cursor, Sql, Table

if TYPE_CHECKING:
    from projections.scope_days import ScopeDays

RECORDED, CORRECTED, REVOKED = "recorded", "corrected", "revoked"
EARNING = (RECORDED, CORRECTED)  # statuses whose points count
EARNING_SQL = "(" + ", ".join(f"'{status}'" for status in EARNING) + ")"

TABLES = (
    Table(
        "vp_attendance",
        "activity_id TEXT NOT NULL, member_id TEXT NOT NULL, "
        "local_date TEXT NOT NULL, starts_at TEXT NOT NULL, "
        "hours TEXT NOT NULL, points TEXT NOT NULL, "
        "hours100 BIGINT NOT NULL, points10 BIGINT NOT NULL, status TEXT NOT NULL, "
        "recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL, reason TEXT, "
        "PRIMARY KEY (activity_id, member_id)",
        {
            # A member's attendances in statement order (a page is a range of
            # it), carrying what a year's totals as of a date add up.
            "vp_attendance_member": "member_id, local_date, starts_at, activity_id, "
            "status, points10, hours100",
        },
    ),
    Table(
        "vp_member_year",
        "member_id TEXT NOT NULL, year INTEGER NOT NULL, "
        "points10 BIGINT NOT NULL, hours100 BIGINT NOT NULL, "
        "activities INTEGER NOT NULL, last_date TEXT NOT NULL, "
        "PRIMARY KEY (member_id, year)",
    ),
    Table(
        "vp_attendance_change",
        "member_id TEXT NOT NULL, position BIGINT NOT NULL, activity_id TEXT NOT NULL, "
        "type TEXT NOT NULL, hours TEXT NOT NULL, points TEXT NOT NULL, "
        "previous_hours TEXT, previous_points TEXT, actor TEXT NOT NULL, "
        "reason TEXT, recorded_at TEXT NOT NULL",
        {
            "vp_attendance_change_key": "member_id, position",
            "vp_attendance_change_item": "member_id, activity_id, position",
        },
        unique=frozenset({"vp_attendance_change_key"}),
    ),
)

CHANGES = TABLES[2]
UPSERT_ATTENDANCE = Sql(
    "INSERT INTO {t}vp_attendance VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (activity_id, member_id) DO UPDATE SET "
    "hours = excluded.hours, points = excluded.points, "
    "hours100 = excluded.hours100, points10 = excluded.points10, "
    "status = excluded.status, recorded_by = excluded.recorded_by, "
    "recorded_at = excluded.recorded_at, reason = excluded.reason"
)
INSERT_CHANGE = Sql(
    "INSERT INTO {t}vp_attendance_change VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
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
        totals.last_date = max(totals.last_date, day)

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


class Points:
    """Keeps vp_attendance and vp_attendance_change. In the same pass over each
    attendance event it adds what changed to the activity's totals
    (activities.py), which the figures add up."""

    def __init__(self, known: KnownActivities, figures: ScopeDays) -> None:
        self.known = known
        self.figures = figures

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Activity.AttendanceRecorded, self.attendance_recorded),
            on(Activity.AttendanceCorrected, self.attendance_corrected),
            on(Activity.AttendanceRevoked, self.attendance_revoked),
            on(Activity.Cancelled, self.activity_cancelled),
        ]

    def attendance_recorded(self, e: Activity.AttendanceRecorded, batch: Batch) -> None:
        activity_id = batch.id_text(e.originator_id)
        facts = self.known.of(batch, activity_id)
        day = facts.local_date
        fold, figures = batch.fold(PointsFold), self.figures.fold(batch)
        entries = e.attendances
        recorded_at = e.timestamp.isoformat()
        actor, position, kind = e.actor, batch.position, type(e).__name__
        put, changes, id_text = fold.attendance, fold.changes, batch.id_text
        hours_total = points_total = 0
        for member, hours, points in entries:
            member_id = id_text(member)
            hours100, points10 = hundredths(hours), tenths(points)
            hours_text, points_text = str(hours), str(points)
            put[activity_id, member_id] = AttendanceRow(
                activity_id,
                member_id,
                day,
                facts.starts_at,
                hours_text,
                points_text,
                hours100,
                points10,
                RECORDED,
                actor,
                recorded_at,
                None,
            )
            changes.append(
                (
                    member_id,
                    position,
                    activity_id,
                    kind,
                    hours_text,
                    points_text,
                    None,
                    None,
                    actor,
                    None,
                    recorded_at,
                )
            )
            fold.add_member_year(member_id, day, points10, hours100, 1)
            figures.earned(member_id, day, 1, hours100, points10)
            hours_total += hours100
            points_total += points10
        batch.fold(ActivityCounts).add(
            activity_id, 0, len(entries), hours_total, points_total
        )
        figures.held(
            facts.community_id, day, len(entries), hours_total, points_total, batch.c
        )

    def attendance_corrected(
        self, e: Activity.AttendanceCorrected, batch: Batch
    ) -> None:
        activity_id = batch.id_text(e.originator_id)
        fold, counts = batch.fold(PointsFold), batch.fold(ActivityCounts)
        figures = self.figures.fold(batch)
        community_id = self.known.of(batch, activity_id).community_id
        at = e.timestamp.isoformat()
        for member, hours, points, _, _ in e.changes:
            member_id = batch.id_text(member)
            before = fold.row(batch, activity_id, member_id)
            hours100, points10 = hundredths(hours), tenths(points)
            row = before._replace(
                hours=str(hours),
                points=str(points),
                hours100=hours100,
                points10=points10,
                status=CORRECTED,
                reason=e.reason,
            )
            fold.put(row)
            fold.change(batch, row, e, e.actor, e.reason, at, before)
            fold.add_member_year(
                member_id,
                row.local_date,
                points10 - before.points10,
                hours100 - before.hours100,
                0,
            )
            counts.add(
                activity_id,
                hours100=hours100 - before.hours100,
                points10=points10 - before.points10,
            )
            gained = (0, hours100 - before.hours100, points10 - before.points10)
            figures.earned(member_id, row.local_date, *gained)
            figures.held(community_id, row.local_date, *gained, batch.c)

    def attendance_revoked(self, e: Activity.AttendanceRevoked, batch: Batch) -> None:
        self._take_back(batch, e, [e.member_id], REVOKED)

    def activity_cancelled(self, e: Activity.Cancelled, batch: Batch) -> None:
        self._take_back(batch, e, e.revoked_member_ids, CANCELLED)

    def _take_back(
        self,
        batch: Batch,
        e: Activity.AttendanceRevoked | Activity.Cancelled,
        member_ids: Sequence[UUID],
        status: str,
    ) -> None:
        activity_id = batch.id_text(e.originator_id)
        fold, counts = batch.fold(PointsFold), batch.fold(ActivityCounts)
        figures = self.figures.fold(batch)
        community_id = self.known.of(batch, activity_id).community_id
        at = e.timestamp.isoformat()
        for member in member_ids:
            member_id = batch.id_text(member)
            row = fold.row(batch, activity_id, member_id)
            fold.put(row._replace(status=status, reason=e.reason))
            fold.change(batch, row, e, e.actor, e.reason, at)
            fold.add_member_year(
                member_id, row.local_date, -row.points10, -row.hours100, -1
            )
            counts.add(activity_id, 0, -1, -row.hours100, -row.points10)
            lost = (-1, -row.hours100, -row.points10)
            figures.earned(member_id, row.local_date, *lost)
            figures.held(community_id, row.local_date, *lost, batch.c)

"""Points (积分): each attendance with its hours, points and status, and each
member's totals per year; a member's points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.domain import DomainEvent

from domain.activity import CANCELLED, Activity
from domain.rules import DEFAULT_STAR_THRESHOLDS, star_rating
from projections.activities import ActivityCounts, KnownActivities
from projections.amounts import (
    hours_decimal,
    hours_text,
    hundredths,
    points_text,
    tenths,
)
from projections.page import Handler, Page, on
from projections.sql import Cursor, Reader, Statement, Table
from projections.teams import TeamYears

RECORDED, CORRECTED, REVOKED = "recorded", "corrected", "revoked"
EARNING = (RECORDED, CORRECTED)  # statuses whose points count

TABLES = (
    Table(
        "vp_member_year",
        "member_id TEXT NOT NULL, year INTEGER NOT NULL, "
        "points10 BIGINT NOT NULL, hours100 BIGINT NOT NULL, "
        "activities INTEGER NOT NULL, PRIMARY KEY (member_id, year)",
        {"vp_member_year_year": "year, points10"},
    ),
    Table(
        "vp_attendance",
        "activity_id TEXT NOT NULL, member_id TEXT NOT NULL, "
        "year INTEGER NOT NULL, hours TEXT NOT NULL, points TEXT NOT NULL, "
        "hours100 BIGINT NOT NULL, points10 BIGINT NOT NULL, status TEXT NOT NULL, "
        "recorded_by TEXT NOT NULL, reason TEXT, PRIMARY KEY (activity_id, member_id)",
        {"vp_attendance_member": "member_id, year"},
    ),
)

UPSERT_ATTENDANCE = Statement(
    sqlite="INSERT INTO vp_attendance VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (activity_id, member_id) DO UPDATE SET "
    "year = excluded.year, hours = excluded.hours, points = excluded.points, "
    "hours100 = excluded.hours100, points10 = excluded.points10, "
    "status = excluded.status, recorded_by = excluded.recorded_by, "
    "reason = excluded.reason",
    postgres="INSERT INTO {schema}.vp_attendance "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (activity_id, member_id) DO UPDATE SET "
    "year = excluded.year, hours = excluded.hours, points = excluded.points, "
    "hours100 = excluded.hours100, points10 = excluded.points10, "
    "status = excluded.status, recorded_by = excluded.recorded_by, "
    "reason = excluded.reason",
)
SELECT_ATTENDANCE = Statement(
    sqlite="SELECT * FROM vp_attendance WHERE activity_id = ? AND member_id = ?",
    postgres="SELECT * FROM {schema}.vp_attendance "
    "WHERE activity_id = %s AND member_id = %s",
)
ADD_MEMBER_YEAR = Statement(
    sqlite="INSERT INTO vp_member_year VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (member_id, year) DO UPDATE SET "
    "points10 = vp_member_year.points10 + excluded.points10, "
    "hours100 = vp_member_year.hours100 + excluded.hours100, "
    "activities = vp_member_year.activities + excluded.activities",
    postgres="INSERT INTO {schema}.vp_member_year VALUES (%s, %s, %s, %s, %s) "
    "ON CONFLICT (member_id, year) DO UPDATE SET "
    "points10 = vp_member_year.points10 + excluded.points10, "
    "hours100 = vp_member_year.hours100 + excluded.hours100, "
    "activities = vp_member_year.activities + excluded.activities",
)
MEMBER_POINTS = Statement(
    sqlite="SELECT SUM(CASE WHEN year = :year THEN points10 ELSE 0 END) AS points10, "
    "SUM(CASE WHEN year = :year THEN hours100 ELSE 0 END) AS hours100, "
    "SUM(CASE WHEN year = :year THEN activities ELSE 0 END) AS activities, "
    "SUM(points10) AS lifetime_points10, SUM(hours100) AS lifetime_hours100 "
    "FROM vp_member_year WHERE member_id = :member_id",
    postgres="SELECT "
    "SUM(CASE WHEN year = %(year)s THEN points10 ELSE 0 END) AS points10, "
    "SUM(CASE WHEN year = %(year)s THEN hours100 ELSE 0 END) AS hours100, "
    "SUM(CASE WHEN year = %(year)s THEN activities ELSE 0 END) AS activities, "
    "SUM(points10) AS lifetime_points10, SUM(hours100) AS lifetime_hours100 "
    "FROM {schema}.vp_member_year WHERE member_id = %(member_id)s",
)


class AttendanceRow(NamedTuple):
    """A row of vp_attendance, in column order."""

    activity_id: str
    member_id: str
    year: int
    hours: str
    points: str
    hours100: int
    points10: int
    status: str
    recorded_by: str
    reason: str | None


@dataclass(slots=True)
class MemberYear:
    points10: int = 0
    hours100: int = 0
    activities: int = 0


class PointsFold:
    """What a page changes in the points tables: attendance rows by activity and
    member, and what each member's year gained or lost."""

    def __init__(self) -> None:
        self.attendance: dict[tuple[str, str], AttendanceRow] = {}
        self._read: dict[tuple[str, str], AttendanceRow] = {}
        self.member_years: dict[tuple[str, int], MemberYear] = {}

    def put(self, row: AttendanceRow) -> None:
        self.attendance[row.activity_id, row.member_id] = row

    def row(self, page: Page, activity_id: str, member_id: str) -> AttendanceRow:
        """The attendance row as this page has left it so far."""
        key = (activity_id, member_id)
        row = self.attendance.get(key) or self._read.get(key)
        if row is None:
            found = page.query(SELECT_ATTENDANCE, key)
            if found is None:
                raise LookupError(f"no attendance of {member_id} at {activity_id}")
            row = AttendanceRow(*(found[column] for column in AttendanceRow._fields))
            self._read[key] = row
        return row

    def add_member_year(
        self, member_id: str, year: int, points10: int, hours100: int, activities: int
    ) -> None:
        totals = self.member_years.get((member_id, year))
        if totals is None:
            totals = self.member_years[member_id, year] = MemberYear()
        totals.points10 += points10
        totals.hours100 += hours100
        totals.activities += activities

    def flush(self, c: Cursor) -> None:
        # Plain tuples: sqlite3 binds them faster than named ones.
        c.executemany(UPSERT_ATTENDANCE, [tuple(r) for r in self.attendance.values()])
        member_years = self.member_years.items()
        c.executemany(
            ADD_MEMBER_YEAR,
            [
                (m, year, t.points10, t.hours100, t.activities)
                for (m, year), t in member_years
            ],
        )


class Points:
    """Keeps vp_attendance and vp_member_year. In the same pass over each
    attendance event it adds what changed to the team's year (teams.py) and to
    the activity's attendance count (activities.py)."""

    def __init__(self, known: KnownActivities) -> None:
        self.known = known

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Activity.AttendanceRecorded, self.attendance_recorded),
            on(Activity.AttendanceCorrected, self.attendance_corrected),
            on(Activity.AttendanceRevoked, self.attendance_revoked),
            on(Activity.Cancelled, self.activity_cancelled),
        ]

    def attendance_recorded(self, e: Activity.AttendanceRecorded, page: Page) -> None:
        activity_id = page.id_text(e.originator_id)
        activity = self.known.of(page, activity_id)
        year = activity.year
        fold = page.fold(PointsFold)
        entries = e.attendances
        hours_total = points_total = 0
        for member, hours, points in entries:
            member_id = page.id_text(member)
            hours100, points10 = hundredths(hours), tenths(points)
            fold.put(
                AttendanceRow(
                    activity_id,
                    member_id,
                    year,
                    str(hours),
                    str(points),
                    hours100,
                    points10,
                    RECORDED,
                    e.actor,
                    None,
                )
            )
            fold.add_member_year(member_id, year, points10, hours100, 1)
            hours_total += hours100
            points_total += points10
        page.fold(TeamYears).add(activity, 0, len(entries), hours_total, points_total)
        page.fold(ActivityCounts).add(activity_id, attendances=len(entries))

    def attendance_corrected(self, e: Activity.AttendanceCorrected, page: Page) -> None:
        activity_id = page.id_text(e.originator_id)
        activity = self.known.of(page, activity_id)
        year = activity.year
        fold, team_years = page.fold(PointsFold), page.fold(TeamYears)
        for member, hours, points, previous_hours, previous_points in e.changes:
            member_id = page.id_text(member)
            hours100, points10 = hundredths(hours), tenths(points)
            fold.put(
                AttendanceRow(
                    activity_id,
                    member_id,
                    year,
                    str(hours),
                    str(points),
                    hours100,
                    points10,
                    CORRECTED,
                    e.actor,
                    e.reason,
                )
            )
            d_hours = hours100 - hundredths(previous_hours)
            d_points = points10 - tenths(previous_points)
            fold.add_member_year(member_id, year, d_points, d_hours, 0)
            team_years.add(activity, 0, 0, d_hours, d_points)

    def attendance_revoked(self, e: Activity.AttendanceRevoked, page: Page) -> None:
        self._take_back(page, e, [e.member_id], REVOKED)

    def activity_cancelled(self, e: Activity.Cancelled, page: Page) -> None:
        self._take_back(page, e, e.revoked_member_ids, CANCELLED)

    def _take_back(
        self,
        page: Page,
        e: Activity.AttendanceRevoked | Activity.Cancelled,
        member_ids: Sequence[UUID],
        status: str,
    ) -> None:
        activity_id = page.id_text(e.originator_id)
        activity = self.known.of(page, activity_id)
        fold, team_years = page.fold(PointsFold), page.fold(TeamYears)
        for member in member_ids:
            member_id = page.id_text(member)
            row = fold.row(page, activity_id, member_id)
            fold.put(row._replace(status=status, recorded_by=e.actor, reason=e.reason))
            hours100, points10 = row.hours100, row.points10
            fold.add_member_year(member_id, activity.year, -points10, -hours100, -1)
            team_years.add(activity, 0, -1, -hours100, -points10)
        page.fold(ActivityCounts).add(activity_id, attendances=-len(member_ids))


class PointsQueries:
    """A member's points for a year, lifetime totals and star rating."""

    def __init__(
        self, view: Reader, star_thresholds: Sequence[Decimal] = DEFAULT_STAR_THRESHOLDS
    ) -> None:
        self.view = view
        self.star_thresholds = tuple(star_thresholds)

    def member_points(self, member_id: str, year: int) -> dict[str, Any]:
        row = self.view.one(MEMBER_POINTS, {"member_id": member_id, "year": year})
        assert row is not None  # an aggregate without GROUP BY gives one row
        return {
            "member_id": member_id,
            "year": year,
            "points": points_text(row["points10"]),
            "hours": hours_text(row["hours100"]),
            "activities": int(row["activities"] or 0),
            "lifetime_points": points_text(row["lifetime_points10"]),
            "lifetime_hours": hours_text(row["lifetime_hours100"]),
            "star": star_rating(
                hours_decimal(row["lifetime_hours100"]), self.star_thresholds
            ),
        }

"""Points (积分): each attendance with its hours, points, status, who recorded
it and when, and the local date and start of its activity; every change to it
(its history); and each member's yearly totals, kept from the attendance
events (the rows are in attendance_rows.py). Read by statements.py (a
member's points and statement) and attendances.py (an activity's
attendances)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import DomainEvent

from domain.activity import CANCELLED, Activity
from projections.activities import ActivityCounts, KnownActivities
from projections.amounts import hundredths, tenths
from projections.attendance_rows import (
    CORRECTED,
    RECORDED,
    REVOKED,
    AttendanceRow,
    PointsFold,
)
from projections.batch import Batch, Handler, on

if TYPE_CHECKING:
    from projections.scope_days import ScopeDays


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
        """A row per member, holding the recording itself: no change row."""
        activity_id = batch.id_text(e.originator_id)
        facts = self.known.of(batch, activity_id)
        day, starts_at = facts.local_date, facts.starts_at
        fold, figures = batch.fold(PointsFold), self.figures.fold(batch)
        recorded_at = e.timestamp.isoformat()
        actor, position = e.actor, batch.position
        put, id_text = fold.attendance, batch.id_text
        add_year, earned = fold.add_member_year, figures.earned
        hours_total = points_total = 0
        for entry in e.entries:
            member_id = id_text(entry["member_id"])
            hours, points = entry["hours"], entry["points"]
            hours100, points10 = hundredths(hours), tenths(points)
            hours_text, points_text = str(hours), str(points)
            put[activity_id, member_id] = AttendanceRow(
                activity_id,
                member_id,
                day,
                starts_at,
                hours_text,
                points_text,
                hours100,
                points10,
                RECORDED,
                actor,
                recorded_at,
                None,
                position,
                hours_text,
                points_text,
            )
            add_year(member_id, day, points10, hours100, 1)
            earned(member_id, day, 1, hours100, points10)
            hours_total += hours100
            points_total += points10
        count = len(e.entries)
        batch.fold(ActivityCounts).add(activity_id, 0, count, hours_total, points_total)
        figures.held(facts.community_id, day, count, hours_total, points_total, batch.c)

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
            fold.keep_recording(row)
            fold.change(batch, row, e, e.actor, e.reason, at)
            fold.add_member_year(
                member_id, row.local_date, -row.points10, -row.hours100, -1
            )
            counts.add(activity_id, 0, -1, -row.hours100, -row.points10)
            lost = (-1, -row.hours100, -row.points10)
            figures.earned(member_id, row.local_date, *lost)
            figures.held(community_id, row.local_date, *lost, batch.c)

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
from domain.rules import RuleSet
from projections.activities import ActivityCounts, KnownActivities
from projections.amounts import hundredths, tenths
from projections.amounts import points_text as text_of
from projections.attendance_rows import (
    CORRECTED,
    RECORDED,
    REVOKED,
    AttendanceRow,
    PointsFold,
)
from projections.batch import Batch, Handler, on
from projections.rating import Rater
from projections.rating_later import PageEndRater
from projections.rating_rows import RatingFold, Rerate

if TYPE_CHECKING:
    from projections.scope_days import ScopeDays


class Points:
    """Keeps vp_attendance and vp_attendance_change. In the same pass over each
    attendance event it adds what changed to the activity's totals
    (activities.py), which the figures add up."""

    def __init__(
        self,
        known: KnownActivities,
        figures: ScopeDays,
        rater: Rater,
    ) -> None:
        """A page-end rater (rating_later.py) rates a page's member years
        once, at its end, and keeps no history of re-ratings (for private
        read models of the figures)."""
        self.known = known
        self.figures = figures
        self.rater = rater
        self.later = rater if isinstance(rater, PageEndRater) else None

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Activity.AttendanceRecorded, self.attendance_recorded),
            on(Activity.AttendanceCorrected, self.attendance_corrected),
            on(Activity.AttendanceRevoked, self.attendance_revoked),
            on(Activity.Cancelled, self.activity_cancelled),
            on(RuleSet.Published, self.rule_set_published),
            *self.rater.handlers(),
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
        rated = None
        if self.rater.active(batch):
            rated = self.rater.recorder(batch, activity_id, day, starts_at)
        for entry in e.entries:
            member_id = id_text(entry["member_id"])
            hours, points = entry["hours"], entry["points"]
            hours100, points10 = hundredths(hours), tenths(points)
            hours_text, points_text = str(hours), str(points)
            rerates: list[Rerate] = []
            if rated is not None:
                points10, rerates = rated(member_id, position, hours100, points10)
                points_text = text_of(points10)
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
            for rerate in rerates:
                self._rerate(batch, e, member_id, rerate, "同年度在前的参加记录新登记")
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
        rating = self.rater.active(batch)
        for member, hours, points, _, _ in e.changes:
            member_id = batch.id_text(member)
            before = fold.row(batch, activity_id, member_id)
            hours100, points10 = hundredths(hours), tenths(points)
            rerates: list[Rerate] = []
            if rating:
                rate = self.rater.recorder(
                    batch, activity_id, before.local_date, before.starts_at
                )
                points10, rerates = rate(member_id, before.position, hours100, points10)
            row = before._replace(
                hours=str(hours),
                points=text_of(points10),
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
            for rerate in rerates:
                self._rerate(batch, e, member_id, rerate, "同年度在前的参加记录更正")

    def attendance_revoked(self, e: Activity.AttendanceRevoked, batch: Batch) -> None:
        self._take_back(batch, e, [e.member_id], REVOKED, "同年度在前的参加记录撤销")

    def activity_cancelled(self, e: Activity.Cancelled, batch: Batch) -> None:
        reason = "同年度在前的活动取消"
        self._take_back(batch, e, e.revoked_member_ids, CANCELLED, reason)

    def _take_back(
        self,
        batch: Batch,
        e: Activity.AttendanceRevoked | Activity.Cancelled,
        member_ids: Sequence[UUID],
        status: str,
        why: str,
    ) -> None:
        activity_id = batch.id_text(e.originator_id)
        fold, counts = batch.fold(PointsFold), batch.fold(ActivityCounts)
        figures = self.figures.fold(batch)
        community_id = self.known.of(batch, activity_id).community_id
        at = e.timestamp.isoformat()
        rating = self.rater.active(batch)
        for member in member_ids:
            member_id = batch.id_text(member)
            row = fold.row(batch, activity_id, member_id)
            rerates = self.rater.removed(batch, row) if rating else []
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
            for rerate in rerates:
                self._rerate(batch, e, member_id, rerate, why)

    def rule_set_published(self, e: RuleSet.Published, batch: Batch) -> None:
        """Rates again the years of the members who attended where the rules
        now take effect, from their date on."""
        if self.later is not None:
            self.later.published_later(batch, e)
            return
        batch.settle(PointsFold)
        batch.settle(RatingFold)
        reason = f"第 {e.version} 版积分规则自 {e.effective_from} 起施行"
        rerated = 0
        for member_id, rerate in self.rater.published(batch, e):
            self._rerate(batch, e, member_id, rerate, reason)
            rerated += 1
        self.rater.counted(batch, e, rerated)

    def _rerate(
        self, batch: Batch, e: DomainEvent, member_id: str, rerate: Rerate, why: str
    ) -> None:
        """An attendance whose counted points a change elsewhere changed."""
        fold = batch.fold(PointsFold)
        before = fold.row(batch, rerate.activity_id, member_id)
        points10 = rerate.after.points10
        row = before._replace(points=text_of(points10), points10=points10)
        fold.put(row)
        actor, at = getattr(e, "actor", ""), e.timestamp.isoformat()
        versions = (rerate.before.version, rerate.after.version)
        fold.rerated(batch, row, before, versions, actor, why, at)
        self.rater.note(batch, member_id, rerate, (at, actor, why))
        self._gained(batch, member_id, row, points10 - before.points10)

    def finish(self, batch: Batch) -> None:
        """Rates the member years the page left for its end; what that
        changes is added to the figures per member and day and per activity."""
        if self.later is None:
            return
        fold = batch.fold(PointsFold)
        by_member: dict[tuple[str, str], int] = {}
        by_activity: dict[str, int] = {}
        put = fold.attendance
        for before, points10 in self.later.rate_later(batch):
            member_id, activity_id = before.member_id, before.activity_id
            put[activity_id, member_id] = before._replace(
                points=text_of(points10), points10=points10
            )
            gained = points10 - before.points10
            key = (member_id, before.local_date)
            by_member[key] = by_member.get(key, 0) + gained
            by_activity[activity_id] = by_activity.get(activity_id, 0) + gained
        figures = self.figures.fold(batch)
        for (member_id, day), gained in by_member.items():
            fold.add_member_year(member_id, day, gained, 0, 0)
            figures.earned(member_id, day, 0, 0, gained)
        counts = batch.fold(ActivityCounts)
        for activity_id, gained in by_activity.items():
            counts.add(activity_id, points10=gained)
            facts = self.known.of(batch, activity_id)
            figures.held(facts.community_id, facts.local_date, 0, 0, gained, batch.c)
        self.later.keep(batch)

    def _gained(
        self, batch: Batch, member_id: str, row: AttendanceRow, gained: int
    ) -> None:
        """What an attendance's new points add to the figures."""
        if not gained:
            return
        counts = batch.fold(ActivityCounts)
        fold = batch.fold(PointsFold)
        day = row.local_date
        fold.add_member_year(member_id, day, gained, 0, 0)
        counts.add(row.activity_id, points10=gained)
        figures = self.figures.fold(batch)
        figures.earned(member_id, day, 0, 0, gained)
        community_id = self.known.of(batch, row.activity_id).community_id
        figures.held(community_id, day, 0, 0, gained, batch.c)

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.attendance import (
    Attendance,
    AttendanceChange,
    AttendanceEntry,
    AttendanceOutcome,
)
from domain.base import CachedAggregate
from domain.errors import (
    ActivityCancelled,
    ActivityClosed,
    ActivityFull,
    ActivityNotStarted,
    ActivityStarted,
    AlreadyCancelled,
    InvalidCommand,
    NotFound,
)
from domain.points import check_hours, duration_hours, points_for

MERGED = "merged"
SCHEDULED = "scheduled"
CLOSED = "closed"
CANCELLED = "cancelled"


class Activity(CachedAggregate):
    """A volunteer activity (志愿活动) with its time window and points rule."""

    class Scheduled(Aggregate.Created):
        title: str
        team_id: UUID
        community_id: UUID
        category: str
        starts_at: datetime
        ends_at: datetime
        location: str | None
        capacity: int | None
        points_per_hour: Decimal | None
        fixed_points: Decimal | None
        actor: str

    class SignedUp(Aggregate.Event):
        member_id: UUID
        actor: str

    class Withdrew(Aggregate.Event):
        member_id: UUID
        actor: str

    class AttendanceRecorded(Aggregate.Event):
        entries: list[dict[str, Any]]
        actor: str

        @property
        def attendances(self) -> list[AttendanceEntry]:
            return [
                AttendanceEntry(e["member_id"], e["hours"], e["points"])
                for e in self.entries
            ]

    class AttendanceCorrected(Aggregate.Event):
        entries: list[dict[str, Any]]
        reason: str
        actor: str

        @property
        def changes(self) -> list[AttendanceChange]:
            return [
                AttendanceChange(
                    e["member_id"],
                    e["hours"],
                    e["points"],
                    e["previous_hours"],
                    e["previous_points"],
                )
                for e in self.entries
            ]

    class AttendanceRevoked(Aggregate.Event):
        member_id: UUID
        reason: str
        actor: str

    class Cancelled(Aggregate.Event):
        reason: str
        revoked_member_ids: list[UUID]
        actor: str

    class Closed(Aggregate.Event):
        actor: str

    @event(Scheduled)
    def __init__(
        self,
        title: str,
        team_id: UUID,
        community_id: UUID,
        category: str,
        starts_at: datetime,
        ends_at: datetime,
        location: str | None,
        capacity: int | None,
        points_per_hour: Decimal | None,
        fixed_points: Decimal | None,
        actor: str,
    ) -> None:
        self.title = title
        self.team_id = team_id
        self.community_id = community_id
        self.category = category
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.location = location
        self.capacity = capacity
        self.points_per_hour = points_per_hour
        self.fixed_points = fixed_points
        self.status = SCHEDULED
        self.signups: set[UUID] = set()
        self.attendances: dict[UUID, Attendance] = {}

    @property
    def longest_attendance(self) -> Decimal:
        return duration_hours(self.starts_at, self.ends_at)

    def check_is_not_cancelled(self) -> None:
        if self.status == CANCELLED:
            raise ActivityCancelled(f"活动“{self.title}”已取消")

    def check_is_open(self) -> None:
        self.check_is_not_cancelled()
        if self.status == CLOSED:
            raise ActivityClosed(f"活动“{self.title}”已结束登记")

    def check_has_not_started(self, now: datetime) -> None:
        if now >= self.starts_at:
            raise ActivityStarted(f"活动“{self.title}”已开始，不能再报名或取消报名")

    def check_has_started(self, now: datetime) -> None:
        if now < self.starts_at:
            raise ActivityNotStarted(f"活动“{self.title}”尚未开始，不能登记参加记录")

    def sign_up(self, member_id: UUID, now: datetime, actor: str) -> bool:
        """Signs a member up before the start; signing up twice changes nothing."""
        self.check_is_open()
        self.check_has_not_started(now)
        if member_id in self.signups:
            return False
        if self.capacity is not None and len(self.signups) >= self.capacity:
            raise ActivityFull(f"活动“{self.title}”已报满（{self.capacity} 人）")
        self._sign_up(member_id, actor)
        return True

    @event(SignedUp)
    def _sign_up(self, member_id: UUID, actor: str) -> None:
        self.signups.add(member_id)

    def withdraw(self, member_id: UUID, now: datetime, actor: str) -> None:
        self.check_is_open()
        self.check_has_not_started(now)
        if member_id not in self.signups:
            raise NotFound(f"志愿者 {member_id} 没有报名活动“{self.title}”")
        self._withdraw(member_id, actor)

    @event(Withdrew)
    def _withdraw(self, member_id: UUID, actor: str) -> None:
        self.signups.discard(member_id)

    def record_attendance(
        self,
        records: Iterable[tuple[UUID, object]],
        now: datetime,
        actor: str,
        reason: str | None = None,
    ) -> AttendanceOutcome:
        """Records hours per member: new ones, unchanged ones, corrections."""
        self.check_is_open()
        self.check_has_started(now)
        longest = self.longest_attendance
        given: dict[UUID, Decimal] = {}
        recorded: list[dict[str, Any]] = []
        corrected: list[dict[str, Any]] = []
        unchanged = 0
        for member_id, raw_hours in records:
            hours = check_hours(raw_hours, longest)
            if member_id in given:
                if given[member_id] != hours:
                    raise InvalidCommand(
                        f"同一请求中志愿者 {member_id} 出现两次且时长不同", "records"
                    )
                unchanged += 1
                continue
            given[member_id] = hours
            points = points_for(hours, self.points_per_hour, self.fixed_points)
            current = self.attendances.get(member_id)
            entry = {"member_id": member_id, "hours": hours, "points": points}
            if current is None or current.revoked:
                recorded.append(entry)
            elif current.hours == hours:
                unchanged += 1
            else:
                entry["previous_hours"] = current.hours
                entry["previous_points"] = current.points
                corrected.append(entry)
        if recorded:
            self._record(recorded, actor)
        if corrected:
            self._correct(corrected, reason or "重新登记时长", actor)
        return AttendanceOutcome(len(recorded), unchanged, len(corrected))

    @event(AttendanceRecorded)
    def _record(self, entries: list[dict[str, Any]], actor: str) -> None:
        for entry in entries:
            self.attendances[entry["member_id"]] = Attendance(
                entry["hours"], entry["points"]
            )

    @event(AttendanceCorrected)
    def _correct(self, entries: list[dict[str, Any]], reason: str, actor: str) -> None:
        for entry in entries:
            self.attendances[entry["member_id"]] = Attendance(
                entry["hours"], entry["points"]
            )

    def revoke_attendance(self, member_id: UUID, reason: str, actor: str) -> None:
        self.check_is_not_cancelled()
        current = self.attendances.get(member_id)
        if current is None or current.revoked:
            raise NotFound(f"活动“{self.title}”没有志愿者 {member_id} 的有效参加记录")
        self._revoke(member_id, reason, actor)

    @event(AttendanceRevoked)
    def _revoke(self, member_id: UUID, reason: str, actor: str) -> None:
        self.attendances[member_id] = replace(self.attendances[member_id], revoked=True)

    def merge_attendance(
        self, duplicate_id: UUID, survivor_id: UUID, actor: str
    ) -> bool:
        """Moves a duplicate member's attendance to the survivor: revoked with
        the reason "merged", and recorded for the survivor with the same hours
        and points unless the survivor's own attendance stands. Open, closed or
        not, since it only says again who attended."""
        current = self.attendances.get(duplicate_id)
        if current is None or current.revoked:
            return False
        self._revoke(duplicate_id, MERGED, actor)
        survivor = self.attendances.get(survivor_id)
        if survivor is None or survivor.revoked:
            entry = {
                "member_id": survivor_id,
                "hours": current.hours,
                "points": current.points,
            }
            self._record([entry], actor)
        return True

    def cancel(self, reason: str, actor: str) -> list[UUID]:
        """Cancels the activity, revoking the points of every attendance."""
        if self.status == CANCELLED:
            raise AlreadyCancelled(f"活动“{self.title}”已经取消")
        if self.status == CLOSED:
            raise ActivityClosed(f"活动“{self.title}”已结束，不能取消")
        revoked = sorted(
            (m for m, a in self.attendances.items() if not a.revoked), key=str
        )
        self._cancel(reason, revoked, actor)
        return revoked

    @event(Cancelled)
    def _cancel(self, reason: str, revoked_member_ids: list[UUID], actor: str) -> None:
        self.status = CANCELLED
        for member_id in revoked_member_ids:
            self.attendances[member_id] = replace(
                self.attendances[member_id], revoked=True
            )

    def close(self, now: datetime, actor: str) -> bool:
        """Closes attendance recording; closing twice changes nothing."""
        self.check_is_not_cancelled()
        if self.status == CLOSED:
            return False
        self.check_has_started(now)
        self._close(actor)
        return True

    @event(Closed)
    def _close(self, actor: str) -> None:
        self.status = CLOSED

    @property
    def attendance_count(self) -> int:
        return sum(1 for a in self.attendances.values() if not a.revoked)

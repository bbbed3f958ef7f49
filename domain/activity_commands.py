"""The application's commands on activities: schedule, sign up, attend, close."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

from domain.activity import Activity, AttendanceOutcome
from domain.errors import InvalidCommand, NotFound, UnknownReference
from domain.member import Member
from domain.rules import check_aware, check_text
from domain.service import (
    MAX_ATTENDANCE_RECORDS,
    AttendanceWritten,
    Decision,
    Extra,
    Service,
    Written,
    optional_text,
    points_rule,
)
from domain.team import Team


class ActivityCommands(Service):
    """Commands on activities and their attendance."""

    def schedule_activity(
        self,
        title: str,
        team_id: UUID,
        category: str,
        starts_at: datetime,
        ends_at: datetime,
        actor: str,
        location: str | None = None,
        capacity: int | None = None,
        points_per_hour: object = None,
        fixed_points: object = None,
        extra: Extra | None = None,
    ) -> Written:
        def decide() -> Decision:
            try:
                team = self._load(Team, team_id, "志愿服务队")
            except NotFound as error:
                raise UnknownReference(error.message, "team_id") from None
            team.check_is_not_dissolved()
            start = check_aware(starts_at, "starts_at").astimezone(UTC)
            end = check_aware(ends_at, "ends_at").astimezone(UTC)
            start, end = start.replace(microsecond=0), end.replace(microsecond=0)
            if end <= start:
                raise InvalidCommand("ends_at 必须晚于 starts_at", "ends_at")
            if (end - start).days >= 31:
                raise InvalidCommand("一次活动不能超过 31 天", "ends_at")
            if capacity is not None and (
                isinstance(capacity, bool)
                or not isinstance(capacity, int)
                or capacity < 1
            ):
                raise InvalidCommand("capacity 必须是正整数", "capacity")
            rate, fixed = points_rule(points_per_hour, fixed_points)
            activity = Activity(
                title=check_text(title, "title"),
                team_id=team.id,
                community_id=team.community_id,
                category=check_text(category, "category", max_length=50),
                starts_at=start,
                ends_at=end,
                location=optional_text(location, "location"),
                capacity=capacity,
                points_per_hour=rate,
                fixed_points=fixed,
                actor=actor,
            )
            return Decision([activity], activity.id)

        return self._written(*self._run(decide, extra))

    def sign_up(
        self, activity_id: UUID, member_id: UUID, actor: str, extra: Extra | None = None
    ) -> Written:
        def decide() -> Decision:
            activity = self._load(Activity, activity_id, "活动")
            self._check_reference(Member, member_id, "member_id", "志愿者")
            changed = activity.sign_up(member_id, self.clock(), actor)
            return Decision([activity], activity.id, changed)

        return self._written(*self._run(decide, extra))

    def withdraw(
        self, activity_id: UUID, member_id: UUID, actor: str, extra: Extra | None = None
    ) -> Written:
        def decide() -> Decision:
            activity = self._load(Activity, activity_id, "活动")
            activity.withdraw(member_id, self.clock(), actor)
            return Decision([activity], activity.id)

        return self._written(*self._run(decide, extra))

    def record_attendance(
        self,
        activity_id: UUID,
        records: Sequence[tuple[UUID, object]],
        actor: str,
        reason: str | None = None,
        extra: Extra | None = None,
    ) -> AttendanceWritten:
        """Records up to 500 attendances in one transaction."""
        if not 1 <= len(records) <= MAX_ATTENDANCE_RECORDS:
            raise InvalidCommand(
                f"每次登记 1 到 {MAX_ATTENDANCE_RECORDS} 条参加记录", "records"
            )

        def decide() -> Decision:
            activity = self._load(Activity, activity_id, "活动")
            for member_id, _ in records:
                self._check_reference(Member, member_id, "member_id", "志愿者")
            checked_reason = (
                None if reason is None else check_text(reason, "reason", max_length=500)
            )
            outcome = activity.record_attendance(
                records, self.clock(), actor, checked_reason
            )
            return Decision([activity], activity.id, outcome)

        decision, position = self._run(decide, extra)
        outcome: AttendanceOutcome = decision.value
        return AttendanceWritten(
            decision.id,
            position,
            outcome.recorded,
            outcome.unchanged,
            outcome.corrected,
        )

    def revoke_attendance(
        self,
        activity_id: UUID,
        member_id: UUID,
        reason: str,
        actor: str,
        extra: Extra | None = None,
    ) -> Written:
        def decide() -> Decision:
            activity = self._load(Activity, activity_id, "活动")
            activity.revoke_attendance(
                member_id, check_text(reason, "reason", max_length=500), actor
            )
            return Decision([activity], activity.id)

        return self._written(*self._run(decide, extra))

    def cancel_activity(
        self, activity_id: UUID, reason: str, actor: str, extra: Extra | None = None
    ) -> Written:
        def decide() -> Decision:
            activity = self._load(Activity, activity_id, "活动")
            activity.cancel(check_text(reason, "reason", max_length=500), actor)
            return Decision([activity], activity.id)

        return self._written(*self._run(decide, extra))

    def close_activity(
        self, activity_id: UUID, actor: str, extra: Extra | None = None
    ) -> Written:
        def decide() -> Decision:
            activity = self._load(Activity, activity_id, "活动")
            return Decision(
                [activity], activity.id, activity.close(self.clock(), actor)
            )

        return self._written(*self._run(decide, extra))

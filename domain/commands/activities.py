"""Activities (志愿活动): schedule, sign-ups, attendance, cancel and close."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from domain.activity import CANCELLED, CLOSED, Activity
from domain.commands.rules import RuleCommands
from domain.commands.saving import in_turn, retried
from domain.dates import check_aware, local_date
from domain.errors import (
    InvalidCommand,
    NotFound,
    PointsSetByRules,
    UnknownCategory,
    UnknownReference,
)
from domain.idempotency import RequestKey
from domain.inputs import check_capacity, check_reason, check_text, optional_text
from domain.points import points_rule
from domain.results import (
    ActivityScheduled,
    ActivityStatusChanged,
    AttendanceRevoked,
    AttendanceWritten,
    SignupChanged,
)
from domain.rules import RuleVersion
from domain.team import Team

MAX_ATTENDANCE_RECORDS = 500


def check_window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """The activity's start and end in UTC, to the second."""
    start = check_aware(starts_at, "starts_at").astimezone(UTC).replace(microsecond=0)
    end = check_aware(ends_at, "ends_at").astimezone(UTC).replace(microsecond=0)
    if end <= start:
        raise InvalidCommand("ends_at 必须晚于 starts_at", "ends_at")
    if (end - start).days >= 31:
        raise InvalidCommand("一次活动不能超过 31 天", "ends_at")
    return start, end


def rule_of_activity(
    rule: RuleVersion | None,
    category: str,
    points_per_hour: object,
    fixed_points: object,
) -> tuple[Decimal | None, Decimal | None]:
    """The activity's own points rule. Where a rule set is in effect on its
    date, the activity names one of its categories and takes that category's
    points per hour as its own (what its attendances earn before caps)."""
    if rule is None:
        return points_rule(points_per_hour, fixed_points)
    if points_per_hour is not None or fixed_points is not None:
        field = "points_per_hour" if points_per_hour is not None else "fixed_points"
        raise PointsSetByRules(
            f"第 {rule.version} 版积分规则在活动日期生效，积分由规则决定，"
            f"不能另给 {field}",
            field,
        )
    rate = rule.rate(category)
    if rate is None:
        codes = "、".join(c.code for c in rule.categories)
        raise UnknownCategory(
            f"活动类别 {category!r} 不在生效的积分规则中（可选：{codes}）", "category"
        )
    return rate, None


class ActivityCommands(RuleCommands):
    @retried
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
        *,
        request: RequestKey | None = None,
    ) -> ActivityScheduled:
        try:
            team = self._load(Team, team_id, "志愿服务队")
        except NotFound as error:
            raise UnknownReference(error.message, "team_id") from None
        team.check_is_not_dissolved()
        start, end = check_window(starts_at, ends_at)
        checked_capacity = check_capacity(capacity)
        checked_category = check_text(category, "category", max_length=50)
        rule = self.rules_on(team.community_id, local_date(start))
        rate, fixed = rule_of_activity(
            rule, checked_category, points_per_hour, fixed_points
        )
        activity = Activity(
            title=check_text(title, "title"),
            team_id=team.id,
            community_id=team.community_id,
            category=checked_category,
            starts_at=start,
            ends_at=end,
            location=optional_text(location, "location"),
            capacity=checked_capacity,
            points_per_hour=rate,
            fixed_points=fixed,
            actor=actor,
        )
        scheduled = ActivityScheduled(
            activity.id,
            activity.title,
            activity.team_id,
            activity.community_id,
            activity.category,
            activity.starts_at,
            activity.ends_at,
        )
        return self._saved(scheduled, activity, request=request)

    @in_turn("activity_id")
    def sign_up(
        self,
        activity_id: UUID,
        member_id: UUID,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> SignupChanged:
        activity = self._load(Activity, activity_id, "活动")
        self._check_registered([member_id], "member_id")
        changed = activity.sign_up(member_id, self.clock(), actor)
        return self._saved(
            SignupChanged(activity.id, member_id, signed_up=True, changed=changed),
            activity,
            request=request,
        )

    @in_turn("activity_id")
    def withdraw(
        self,
        activity_id: UUID,
        member_id: UUID,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> SignupChanged:
        activity = self._load(Activity, activity_id, "活动")
        activity.withdraw(member_id, self.clock(), actor)
        return self._saved(
            SignupChanged(activity.id, member_id, signed_up=False),
            activity,
            request=request,
        )

    def record_attendance(
        self,
        activity_id: UUID,
        records: Sequence[tuple[UUID, object]],
        actor: str,
        reason: str | None = None,
        *,
        request: RequestKey | None = None,
    ) -> AttendanceWritten:
        """Records up to 500 attendances in one transaction."""
        if not 1 <= len(records) <= MAX_ATTENDANCE_RECORDS:
            raise InvalidCommand(
                f"每次登记 1 到 {MAX_ATTENDANCE_RECORDS} 条参加记录", "records"
            )
        return self._record_attendance(
            activity_id, records, actor, reason, request=request
        )

    @in_turn("activity_id")
    def _record_attendance(
        self,
        activity_id: UUID,
        records: Sequence[tuple[UUID, object]],
        actor: str,
        reason: str | None,
        *,
        request: RequestKey | None = None,
    ) -> AttendanceWritten:
        activity = self._load(Activity, activity_id, "活动")
        self._check_registered(list({m: None for m, _ in records}), "member_id")
        checked_reason = None if reason is None else check_reason(reason)
        outcome = activity.record_attendance(
            records, self.clock(), actor, checked_reason
        )
        written = AttendanceWritten(
            activity.id, outcome.recorded, outcome.unchanged, outcome.corrected
        )
        return self._saved(written, activity, request=request)

    @in_turn("activity_id")
    def revoke_attendance(
        self,
        activity_id: UUID,
        member_id: UUID,
        reason: str,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> AttendanceRevoked:
        activity = self._load(Activity, activity_id, "活动")
        checked = check_reason(reason)
        activity.revoke_attendance(member_id, checked, actor)
        return self._saved(
            AttendanceRevoked(activity.id, member_id, checked),
            activity,
            request=request,
        )

    @in_turn("activity_id")
    def cancel_activity(
        self,
        activity_id: UUID,
        reason: str,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> ActivityStatusChanged:
        activity = self._load(Activity, activity_id, "活动")
        activity.cancel(check_reason(reason), actor)
        return self._saved(
            ActivityStatusChanged(activity.id, CANCELLED), activity, request=request
        )

    @in_turn("activity_id")
    def close_activity(
        self, activity_id: UUID, actor: str, *, request: RequestKey | None = None
    ) -> ActivityStatusChanged:
        activity = self._load(Activity, activity_id, "活动")
        changed = activity.close(self.clock(), actor)
        return self._saved(
            ActivityStatusChanged(activity.id, CLOSED, changed=changed),
            activity,
            request=request,
        )

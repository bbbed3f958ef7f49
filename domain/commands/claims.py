"""Hours claims (志愿时长申报): a member claims, an organiser approves or rejects."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.activity import Activity
from domain.claim import HoursClaim
from domain.commands.saving import ApplicationBase, in_turn, retried
from domain.errors import NotFound, UnknownReference
from domain.idempotency import RequestKey
from domain.inputs import check_reason, check_text
from domain.member import Member
from domain.points import check_hours
from domain.results import HoursClaimed

CLAIM = "时长申报"


def claimed(claim: HoursClaim) -> HoursClaimed:
    return HoursClaimed(
        claim.id,
        claim.status,
        claim.member_id,
        claim.activity_id,
        claim.community_id,
        claim.hours,
        claim.note,
        claim.decided_hours,
        claim.reason,
    )


def claimed_activity(app: Any, arguments: dict[str, Any]) -> UUID:
    """The activity whose attendance approving a claim records."""
    activity_id: UUID = app.claim(arguments["claim_id"]).activity_id
    return activity_id


class ClaimCommands(ApplicationBase):
    @retried
    def claim_hours(
        self,
        member_id: UUID,
        activity_id: UUID,
        hours: object,
        actor: str,
        note: str | None = None,
        *,
        request: RequestKey | None = None,
    ) -> HoursClaimed:
        """A registered member claims hours for an activity that has started
        and is still open: no sign-up is needed, the organiser judges."""
        member = self._load(Member, member_id, "志愿者")
        member.check_is_registered()
        try:
            activity = self._load(Activity, activity_id, "活动")
        except NotFound as error:
            raise UnknownReference(error.message, "activity_id") from None
        activity.check_is_open()
        activity.check_has_started(self.clock())
        checked = check_hours(hours, activity.longest_attendance)
        claim = HoursClaim(
            member_id=member.id,
            activity_id=activity.id,
            community_id=activity.community_id,
            hours=checked,
            note=None if note is None else check_text(note, "note", max_length=500),
            actor=actor,
        )
        return self._saved(claimed(claim), claim, request=request)

    @in_turn("claim_id", claimed_activity)
    def approve_claim(
        self,
        claim_id: UUID,
        actor: str,
        hours: object = None,
        *,
        request: RequestKey | None = None,
    ) -> HoursClaimed:
        """Records the claimed (or the given) hours as the member's attendance,
        by the usual rules, with the organiser as actor and the claim as the
        reason; the claim and the attendance are saved together."""
        claim = self._load(HoursClaim, claim_id, CLAIM)
        claim.check_is_pending()
        activity = self._load(Activity, claim.activity_id, "活动")
        self._check_registered([claim.member_id], "member_id")
        granted = claim.hours if hours is None else hours
        activity.record_attendance(
            [(claim.member_id, granted)], self.clock(), actor, claim.attendance_reason
        )
        claim.approve(activity.attendances[claim.member_id].hours, actor)
        return self._saved(claimed(claim), claim, activity, request=request)

    @in_turn("claim_id")
    def reject_claim(
        self,
        claim_id: UUID,
        reason: str,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> HoursClaimed:
        claim = self._load(HoursClaim, claim_id, CLAIM)
        checked = check_reason(reason)
        claim.reject(checked, actor)
        return self._saved(claimed(claim), claim, request=request)

    def claim(self, claim_id: UUID) -> HoursClaim:
        return self._load(HoursClaim, claim_id, CLAIM)

"""Hours claims (志愿时长申报): a member reports hours for an activity they
attended; an organiser approves them, with the claimed or other hours, or
rejects them with a reason. A claim is decided once."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate
from domain.errors import ClaimDecided

PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"


class HoursClaim(CachedAggregate):
    """A member's claim of hours for one activity, waiting for an organiser."""

    class Claimed(Aggregate.Created):
        member_id: UUID
        activity_id: UUID
        community_id: UUID
        hours: Decimal
        note: str | None
        actor: str

    class Approved(Aggregate.Event):
        hours: Decimal
        actor: str

    class Rejected(Aggregate.Event):
        reason: str
        actor: str

    @event(Claimed)
    def __init__(
        self,
        member_id: UUID,
        activity_id: UUID,
        community_id: UUID,
        hours: Decimal,
        note: str | None,
        actor: str,
    ) -> None:
        self.member_id = member_id
        self.activity_id = activity_id
        self.community_id = community_id
        self.hours = hours
        self.note = note
        self.status = PENDING
        self.decided_hours: Decimal | None = None
        self.reason: str | None = None

    @property
    def attendance_reason(self) -> str:
        """Why the attendance an approval records was recorded: this claim."""
        return f"志愿时长申报 {self.id}"

    def check_is_pending(self) -> None:
        if self.status != PENDING:
            decision = "批准" if self.status == APPROVED else "驳回"
            raise ClaimDecided(f"时长申报 {self.id} 已被{decision}，不能再次处理")

    def approve(self, hours: Decimal, actor: str) -> None:
        self.check_is_pending()
        self._approve(hours, actor)

    @event(Approved)
    def _approve(self, hours: Decimal, actor: str) -> None:
        self.status = APPROVED
        self.decided_hours = hours

    def reject(self, reason: str, actor: str) -> None:
        self.check_is_pending()
        self._reject(reason, actor)

    @event(Rejected)
    def _reject(self, reason: str, actor: str) -> None:
        self.status = REJECTED
        self.reason = reason

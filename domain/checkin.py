"""Check-in at the door (扫码签到): members scan the activity's code when they
arrive and when they leave; the organiser confirms, and each member with both
scans is given an attendance of the time between them within the activity's
window.

Each scan is kept as evidence: when, a digest of the device, and the phone's
location and its accuracy when it gave them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate
from domain.errors import InvalidCommand, RuleConflict

OPENS_BEFORE_START = timedelta(minutes=30)
SCAN_GAP = timedelta(seconds=60)
QUARTER_HOUR = timedelta(minutes=15)
IN, OUT = "in", "out"


class CheckinNotOpen(RuleConflict):
    """Raised when a member scans before check-in opens or after the end."""

    code = "checkin_not_open"


class AlreadyCheckedOut(RuleConflict):
    """Raised when a member who checked out scans again."""

    code = "already_checked_out"


@dataclass(frozen=True)
class Scan:
    kind: str
    at: datetime
    position: int = 0


@dataclass(frozen=True)
class Stay:
    """One member's scans at an activity."""

    checked_in_at: datetime
    checked_out_at: datetime | None = None
    confirmed: bool = False


def stay_hours(stay: Stay, starts_at: datetime, ends_at: datetime) -> Decimal | None:
    """The time checked in within the window, rounded down to a quarter hour
    (so at most the activity's length); None without a check-out."""
    if stay.checked_out_at is None:
        return None
    inside = min(stay.checked_out_at, ends_at) - max(stay.checked_in_at, starts_at)
    quarters = max(inside, timedelta(0)) // QUARTER_HOUR
    return Decimal(quarters) / 4


class DoorList(CachedAggregate):
    """Who scanned in and out at one activity."""

    @staticmethod
    def create_id(activity_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"vpoints:checkins:{activity_id}")

    class Opened(Aggregate.Created):
        activity_id: UUID

    class CheckedIn(Aggregate.Event):
        member_id: UUID
        at: datetime
        device: str
        location: dict[str, Any] | None

    class CheckedOut(Aggregate.Event):
        member_id: UUID
        at: datetime
        device: str
        location: dict[str, Any] | None

    class Confirmed(Aggregate.Event):
        member_ids: list[UUID]
        actor: str

    @event(Opened)
    def __init__(self, activity_id: UUID) -> None:
        self.activity_id = activity_id
        self.stays: dict[UUID, Stay] = {}

    def scan(
        self,
        member_id: UUID,
        now: datetime,
        starts_at: datetime,
        ends_at: datetime,
        device: str,
        location: dict[str, Any] | None,
    ) -> Scan | None:
        """Checks the member in, or out at a later scan. A scan within a
        minute of the last changes nothing (None: the last one stands)."""
        stay = self.stays.get(member_id)
        last = None if stay is None else stay.checked_out_at or stay.checked_in_at
        if last is not None and now - last < SCAN_GAP:
            return None
        if stay is not None and stay.checked_out_at is not None:
            raise AlreadyCheckedOut("已签退，不能再次签到")
        if not starts_at - OPENS_BEFORE_START <= now <= ends_at:
            raise CheckinNotOpen("签到在活动开始前 30 分钟开放，活动结束时关闭")
        if stay is None:
            self._check_in(member_id, now, device, location)
            return Scan(IN, now)
        self._check_out(member_id, now, device, location)
        return Scan(OUT, now)

    def last_scan(self, member_id: UUID) -> Scan | None:
        stay = self.stays.get(member_id)
        if stay is None:
            return None
        if stay.checked_out_at is not None:
            return Scan(OUT, stay.checked_out_at)
        return Scan(IN, stay.checked_in_at)

    @event(CheckedIn)
    def _check_in(
        self,
        member_id: UUID,
        at: datetime,
        device: str,
        location: dict[str, Any] | None,
    ) -> None:
        self.stays[member_id] = Stay(at)

    @event(CheckedOut)
    def _check_out(
        self,
        member_id: UUID,
        at: datetime,
        device: str,
        location: dict[str, Any] | None,
    ) -> None:
        self.stays[member_id] = Stay(self.stays[member_id].checked_in_at, at)

    def confirm(self, member_ids: list[UUID], actor: str) -> None:
        if member_ids:
            self._confirm(member_ids, actor)

    @event(Confirmed)
    def _confirm(self, member_ids: list[UUID], actor: str) -> None:
        for member_id in member_ids:
            stay = self.stays[member_id]
            self.stays[member_id] = Stay(
                stay.checked_in_at, stay.checked_out_at, confirmed=True
            )


class WrongActivity(InvalidCommand):
    """Raised when a member scans the code of another activity."""

    code = "wrong_activity"


class InvalidCheckinCode(InvalidCommand):
    """Raised when a check-in code is not one this deployment made."""

    code = "invalid_checkin_code"


class CodeExpired(RuleConflict):
    """Raised when a check-in code is past the window after its own."""

    code = "code_expired"

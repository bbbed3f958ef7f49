"""Points redemption (积分兑换, 爱心超市): rewards a community offers for points,
each member's points account, and the redemptions that spend from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate
from domain.errors import AlreadyCancelled, OutOfStock

MADE = "made"
CANCELLED = "cancelled"


def _years(allocation: dict[str, Any]) -> dict[int, Decimal]:
    """An allocation as stored ({"2026": "12.0"}) in years and points."""
    return {int(year): Decimal(points) for year, points in allocation.items()}


def stored(allocation: dict[int, Decimal]) -> dict[str, Decimal]:
    return {str(year): points for year, points in sorted(allocation.items())}


class Reward(CachedAggregate):
    """An item a community's love supermarket (爱心超市) exchanges for points."""

    class Offered(Aggregate.Created):
        community_id: UUID
        name: str
        points: Decimal
        stock: int
        actor: str

    class Restocked(Aggregate.Event):
        quantity: int
        actor: str

    class Taken(Aggregate.Event):
        redemption_id: UUID
        quantity: int
        actor: str

    class Returned(Aggregate.Event):
        redemption_id: UUID
        quantity: int
        actor: str

    @event(Offered)
    def __init__(
        self, community_id: UUID, name: str, points: Decimal, stock: int, actor: str
    ) -> None:
        self.community_id = community_id
        self.name = name
        self.points = points
        self.stock = stock

    @event(Restocked)
    def restock(self, quantity: int, actor: str) -> None:
        self.stock += quantity

    def take(self, redemption_id: UUID, quantity: int, actor: str) -> None:
        if quantity > self.stock:
            raise OutOfStock(f"“{self.name}”库存不足：剩 {self.stock}，要 {quantity}")
        self._take(redemption_id, quantity, actor)

    @event(Taken)
    def _take(self, redemption_id: UUID, quantity: int, actor: str) -> None:
        self.stock -= quantity

    @event(Returned)
    def give_back(self, redemption_id: UUID, quantity: int, actor: str) -> None:
        self.stock += quantity


class PointsAccount(CachedAggregate):
    """What a member has spent from the points of each year (net of refunds).
    What they earned is their attendance; the balance is reckoned from both."""

    class Opened(Aggregate.Created):
        member_id: UUID

    class Spent(Aggregate.Event):
        redemption_id: UUID
        allocation: dict[str, Decimal]

    class Refunded(Aggregate.Event):
        redemption_id: UUID
        allocation: dict[str, Decimal]

    class HandedOver(Aggregate.Event):
        """The member was merged into the survivor, whose account takes what
        was spent from this one."""

        survivor_id: UUID

    class TookOver(Aggregate.Event):
        duplicate_id: UUID
        spent: dict[str, Decimal]

    @staticmethod
    def create_id(member_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"vpoints:points-account:{member_id}")

    @event(Opened)
    def __init__(self, member_id: UUID) -> None:
        self.member_id = member_id
        self.spent: dict[int, Decimal] = {}

    def spend(self, redemption_id: UUID, allocation: dict[int, Decimal]) -> None:
        self._spend(redemption_id, stored(allocation))

    @event(Spent)
    def _spend(self, redemption_id: UUID, allocation: dict[str, Any]) -> None:
        for year, points in _years(allocation).items():
            self.spent[year] = self.spent.get(year, Decimal("0.0")) + points

    def refund(self, redemption_id: UUID, allocation: dict[int, Decimal]) -> None:
        self._refund(redemption_id, stored(allocation))

    @event(Refunded)
    def _refund(self, redemption_id: UUID, allocation: dict[str, Any]) -> None:
        for year, points in _years(allocation).items():
            self.spent[year] -= points

    def hand_over_to(self, survivor: PointsAccount) -> None:
        """Moves what was spent from this account to the survivor's."""
        spent = stored(self.spent)
        self._hand_over(survivor.member_id)
        survivor._take_over(self.member_id, spent)

    @event(HandedOver)
    def _hand_over(self, survivor_id: UUID) -> None:
        self.spent = {}

    @event(TookOver)
    def _take_over(self, duplicate_id: UUID, spent: dict[str, Any]) -> None:
        for year, points in _years(spent).items():
            self.spent[year] = self.spent.get(year, Decimal("0.0")) + points


class Redemption(CachedAggregate):
    """A member's exchange of points for a reward; cancelled at most once."""

    class Made(Aggregate.Created):
        member_id: UUID
        reward_id: UUID
        community_id: UUID
        quantity: int
        points: Decimal
        allocation: dict[str, Decimal]
        made_on: date
        actor: str

    class Cancelled(Aggregate.Event):
        reason: str
        cancelled_on: date
        actor: str

    @event(Made)
    def __init__(
        self,
        member_id: UUID,
        reward_id: UUID,
        community_id: UUID,
        quantity: int,
        points: Decimal,
        allocation: dict[str, Any],
        made_on: date,
        actor: str,
    ) -> None:
        self.member_id = member_id
        self.reward_id = reward_id
        self.community_id = community_id
        self.quantity = quantity
        self.points = points
        self.allocation = _years(allocation)
        self.status = MADE

    def cancel(self, reason: str, cancelled_on: date, actor: str) -> None:
        if self.status == CANCELLED:
            raise AlreadyCancelled(f"兑换 {self.id} 已经取消")
        self._cancel(reason, cancelled_on, actor)

    @event(Cancelled)
    def _cancel(self, reason: str, cancelled_on: date, actor: str) -> None:
        self.status = CANCELLED

"""A member's points account (积分账户), reckoned from what was earned each year
and what was spent from each year: points earned in year Y expire at the end
of year Y + N, and spending uses the oldest unexpired points first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.0")


def expires_on(year: int, valid_years: int) -> date | None:
    """The last day points earned in ``year`` can be spent (None: never)."""
    return None if valid_years == 0 else date(year + valid_years, 12, 31)


@dataclass(frozen=True)
class Lot:
    """The points earned in one year, less what was spent from them."""

    year: int
    earned: Decimal
    spent: Decimal
    expires_on: date | None

    @property
    def available(self) -> Decimal:
        return self.earned - self.spent

    def expired(self, today: date) -> bool:
        return self.expires_on is not None and today > self.expires_on


@dataclass(frozen=True)
class Balance:
    """What a member has to spend on a date. A lot whose points were revoked
    after they were spent is below zero: a debt that stays in the balance,
    expired or not, and refuses redemptions while the balance is negative."""

    lots: tuple[Lot, ...]
    today: date

    @classmethod
    def of(
        cls,
        earned: Mapping[int, Decimal],
        spent: Mapping[int, Decimal],
        today: date,
        valid_years: int,
    ) -> Balance:
        years = sorted(set(earned) | set(spent))
        lots = tuple(
            Lot(
                y,
                earned.get(y, ZERO),
                spent.get(y, ZERO),
                expires_on(y, valid_years),
            )
            for y in years
        )
        return cls(lots, today)

    @property
    def balance(self) -> Decimal:
        return sum(
            (
                min(lot.available, ZERO) if lot.expired(self.today) else lot.available
                for lot in self.lots
            ),
            ZERO,
        )

    @property
    def expired(self) -> Decimal:
        return sum(
            (max(lot.available, ZERO) for lot in self.lots if lot.expired(self.today)),
            ZERO,
        )

    def expiring(self) -> list[Lot]:
        """The unexpired lots that have points left, oldest first."""
        return [
            lot
            for lot in self.lots
            if lot.available > 0 and not lot.expired(self.today)
        ]

    def allocate(self, points: Decimal) -> dict[int, Decimal]:
        """Takes ``points`` from the oldest unexpired lots first; the caller
        has checked that the balance covers them."""
        allocation: dict[int, Decimal] = {}
        left = points
        for lot in self.expiring():
            if left <= 0:
                break
            taken = min(lot.available, left)
            allocation[lot.year] = taken
            left -= taken
        assert left <= 0, "the balance covers the points"
        return allocation

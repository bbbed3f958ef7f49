"""A points account as DESIGN's "Points redemption" describes it, written from
that text alone: points earned in year Y (by the activity's local date) expire
at the end of Y + N; spending uses the oldest unexpired points first; a
cancelled redemption returns points with their original expiry; a revocation
takes back the points of its own year; balance = earned − spent − expired +
refunded; a redemption never takes the balance below zero and is refused while
it is negative. Points are counted in integer tenths."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Redemption:
    cost: int
    taken: dict[int, int]
    made_on: date
    cancelled_on: date | None = None


@dataclass
class OracleAccount:
    valid_years: int
    earned: dict[int, int] = field(default_factory=dict)
    redemptions: list[Redemption] = field(default_factory=list)
    # Every movement that has a position, in the order it happened:
    # (type, tenths, date).
    movements: list[tuple[str, int, date]] = field(default_factory=list)

    def last_day(self, year: int) -> date | None:
        return None if self.valid_years == 0 else date(year + self.valid_years, 12, 31)

    def gone(self, year: int, today: date) -> bool:
        last = self.last_day(year)
        return last is not None and today > last

    def left(self, year: int) -> int:
        """What is left of a year's points: earned, less what redemptions not
        cancelled took from that year."""
        taken = sum(
            r.taken.get(year, 0) for r in self.redemptions if r.cancelled_on is None
        )
        return self.earned.get(year, 0) - taken

    def years(self) -> list[int]:
        taken = {y for r in self.redemptions for y in r.taken}
        return sorted(set(self.earned) | taken)

    def expired(self, today: date) -> int:
        return sum(max(self.left(y), 0) for y in self.years() if self.gone(y, today))

    def balance(self, today: date) -> int:
        earned = sum(self.earned.values())
        spent = sum(r.cost for r in self.redemptions)
        refunded = sum(r.cost for r in self.redemptions if r.cancelled_on)
        return earned - spent - self.expired(today) + refunded

    def earn(self, year: int, tenths: int, day: date) -> None:
        self.earned[year] = self.earned.get(year, 0) + tenths
        self.movements.append(("earned", tenths, day))

    def revoke(self, year: int, tenths: int, day: date) -> None:
        self.earned[year] -= tenths
        self.movements.append(("revoked", -tenths, day))

    def redeem(self, cost: int, today: date) -> bool:
        balance = self.balance(today)
        if balance < 0 or cost > balance:
            return False
        taken: dict[int, int] = {}
        need = cost
        for year in self.years():
            if need == 0:
                break
            if self.gone(year, today) or self.left(year) <= 0:
                continue
            take = min(self.left(year), need)
            taken[year] = take
            need -= take
        assert need == 0
        self.redemptions.append(Redemption(cost, taken, today))
        self.movements.append(("spent", -cost, today))
        return True

    def cancel(self, index: int, today: date) -> bool:
        redemption = self.redemptions[index]
        if redemption.cancelled_on is not None:
            return False
        redemption.cancelled_on = today
        self.movements.append(("refunded", redemption.cost, today))
        return True

    def expiring(self, today: date) -> list[tuple[int, int, date | None]]:
        return [
            (y, self.left(y), self.last_day(y))
            for y in self.years()
            if self.left(y) > 0 and not self.gone(y, today)
        ]

    def entries(self, today: date) -> list[tuple[str, int, date]]:
        """Every movement by date, those with a position in the order they
        happened, then each year's expiry on its last day."""
        dated = [
            (day, n, kind, tenths)
            for n, (kind, tenths, day) in enumerate(self.movements)
        ]
        last = len(dated)
        for y in self.years():
            day = self.last_day(y)
            if day is not None and self.gone(y, today) and self.left(y) > 0:
                dated.append((day, last, "expired", -self.left(y)))
        return [(kind, tenths, day) for day, _, kind, tenths in sorted(dated)]

"""Rating a member's year of attendances under the points rules.

The rule set in effect on an activity's local date (its district's, else the
deployment's) rates it when the activity's category is one of its codes;
otherwise the activity's own rule stands. Caps are applied attendance by
attendance in a fixed order (the activity's start, then the position at
which the attendance was recorded): hours per activity, then points per
member per day, then points per member per year per category. What a cap
leaves is the cap less the points counted before in that order, by the same
owner's rules; points under an activity's own rule count toward no cap.

So a member's year is rated as a whole, and a change to any of its
attendances (or a rule set taking effect in it) is answered by rating that
year again: the cost is the member's year, never the district's."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import NamedTuple

from domain.rules import RuleVersion

Rules = Callable[[str | None, str], RuleVersion | None]
"""The rule version in effect for a district (None: a community outside the
tree) on a local date (ISO text)."""


class Served(NamedTuple):
    """A standing attendance of the member in the year."""

    activity_id: str
    starts_at: str
    position: int
    local_date: str
    district_id: str | None
    category: str
    hours100: int
    own10: int


class Rated(NamedTuple):
    """What an attendance earns: ``full10`` before caps, ``points10``
    counted; ``owner`` and ``version`` of the rules, None under its own."""

    points10: int
    full10: int
    owner: str | None
    version: int | None


@lru_cache(maxsize=4096)
def tenths(hours100: int, rate: Decimal) -> int:
    """Points in tenths for hours (in hundredths) at a rate per hour, rounded
    half-up to one place. Hours come in quarters and rates are few: each
    pair is worked out once."""
    points = Decimal(hours100) * rate / 10
    return int(points.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def order(served: Served) -> tuple[str, int]:
    """The fixed order caps are applied in."""
    return served.starts_at, served.position


def rate_one(
    s: Served,
    rule: RuleVersion | None,
    day_counted: dict[tuple[str, str], int],
    year_counted: dict[tuple[str, str], int],
) -> Rated:
    """What one attendance earns after those before it counted what the two
    dictionaries hold (by owner and day, by owner and category); adds its own."""
    rate = None if rule is None else rule.rates.get(s.category)
    if rule is None or rate is None:
        return Rated(s.own10, s.own10, None, None)
    caps, owner = rule.caps, rule.owner
    full = tenths(s.hours100, rate)
    capped = caps.hours100
    points = full
    if capped is not None and s.hours100 > capped:
        points = tenths(capped, rate)
    day_key, year_key = (owner, s.local_date), (owner, s.category)
    if caps.day10 is not None:
        left = caps.day10 - day_counted.get(day_key, 0)
        if left < points:
            points = left if left > 0 else 0
    year10 = caps.year10.get(s.category)
    if year10 is not None:
        left = year10 - year_counted.get(year_key, 0)
        if left < points:
            points = left if left > 0 else 0
    day_counted[day_key] = day_counted.get(day_key, 0) + points
    year_counted[year_key] = year_counted.get(year_key, 0) + points
    return Rated(points, full, owner, rule.version)


def rate_year(served: Iterable[Served], rules: Rules) -> dict[str, Rated]:
    """Each attendance's points by its activity id."""
    rated: dict[str, Rated] = {}
    day_counted: dict[tuple[str, str], int] = {}
    year_counted: dict[tuple[str, str], int] = {}
    for s in sorted(served, key=order):
        rule = rules(s.district_id, s.local_date)
        rated[s.activity_id] = rate_one(s, rule, day_counted, year_counted)
    return rated

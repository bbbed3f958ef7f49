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
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.rules import RuleVersion

Rules = Callable[[str | None, str], RuleVersion | None]
"""The rule version in effect for a district (None: a community outside the
tree) on a local date (ISO text)."""


@dataclass(frozen=True, slots=True)
class Served:
    """A standing attendance of the member in the year."""

    activity_id: str
    starts_at: str
    position: int
    local_date: str
    district_id: str | None
    category: str
    hours100: int
    own10: int


@dataclass(frozen=True, slots=True)
class Rated:
    """What an attendance earns: ``full10`` before caps, ``points10``
    counted; ``owner`` and ``version`` of the rules, None under its own."""

    points10: int
    full10: int
    owner: str | None
    version: int | None


def tenths(hours100: int, rate: Decimal) -> int:
    """Points in tenths for hours (in hundredths) at a rate per hour, rounded
    half-up to one place."""
    points = Decimal(hours100) * rate / 10
    return int(points.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rate_year(served: Iterable[Served], rules: Rules) -> dict[str, Rated]:
    """Each attendance's points by its activity id."""
    rated: dict[str, Rated] = {}
    day_counted: dict[tuple[str, str], int] = {}
    year_counted: dict[tuple[str, str], int] = {}
    for s in sorted(served, key=lambda s: (s.starts_at, s.position)):
        rule = rules(s.district_id, s.local_date)
        rate = None if rule is None else rule.rate(s.category)
        if rule is None or rate is None:
            rated[s.activity_id] = Rated(s.own10, s.own10, None, None)
            continue
        caps, owner = rule.caps, rule.owner
        full = tenths(s.hours100, rate)
        hours100 = s.hours100
        if caps.hours_per_activity is not None:
            hours100 = min(hours100, int(caps.hours_per_activity * 100))
        points = tenths(hours100, rate)
        day_key, year_key = (owner, s.local_date), (owner, s.category)
        if caps.points_per_member_day is not None:
            left = int(caps.points_per_member_day * 10) - day_counted.get(day_key, 0)
            points = min(points, max(left, 0))
        year_cap = caps.year_cap(s.category)
        if year_cap is not None:
            left = int(year_cap * 10) - year_counted.get(year_key, 0)
            points = min(points, max(left, 0))
        day_counted[day_key] = day_counted.get(day_key, 0) + points
        year_counted[year_key] = year_counted.get(year_key, 0) + points
        rated[s.activity_id] = Rated(points, full, owner, rule.version)
    return rated

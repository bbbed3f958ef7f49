"""Points under published rule sets, as DESIGN's "Points rules as versioned
data" describes them, written from that text alone.

- The rule set in effect on an activity's local date rates it: the district's
  own where one is in effect (the latest ``effective_from`` on or before the
  date; of two on the same date, the later version), else the deployment's.
- It rates the activity only if the activity's category is one of its codes;
  otherwise the activity's own rule stands (hours × its points per hour).
- Caps apply per attendance, in the order of the activity's start, then the
  position at which the attendance was first recorded: hours per activity,
  then points per member per day, then points per member per year per
  category. The points left under a cap are the cap less the points already
  counted before it in that order, counting only the points that the same
  owner's rules rated.
- Points are decimals rounded half-up to one place; here in integer tenths."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Rules:
    owner: str  # a district's name, or "deployment"
    version: int
    effective_from: date
    rates: dict[str, Decimal]
    hours_cap: Decimal | None = None
    day_cap: Decimal | None = None
    year_caps: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Held:
    name: str
    district: str
    category: str
    starts_at: datetime
    own_rate: Decimal

    @property
    def day(self) -> date:
        return self.starts_at.date()


@dataclass
class Attended:
    activity: Held
    hours: Decimal
    first_recorded: int


def tenths(points: Decimal) -> int:
    return int((points * 10).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class PointsOracle:
    published: list[Rules] = field(default_factory=list)
    attended: dict[tuple[str, str], Attended] = field(default_factory=dict)
    recordings: int = 0

    def publish(self, rules: Rules) -> None:
        self.published.append(rules)

    def next_version(self, owner: str) -> int:
        return 1 + sum(1 for r in self.published if r.owner == owner)

    def record(self, member: str, activity: Held, hours: Decimal) -> None:
        """A first recording, or a correction that keeps its place."""
        key = (member, activity.name)
        if key in self.attended:
            self.attended[key].hours = hours
            return
        self.recordings += 1
        self.attended[key] = Attended(activity, hours, self.recordings)

    def revoke(self, member: str, activity: str) -> None:
        del self.attended[(member, activity)]

    def in_effect(self, district: str, day: date) -> Rules | None:
        for owner in (district, "deployment"):
            candidates = [
                r
                for r in self.published
                if r.owner == owner and r.effective_from <= day
            ]
            if candidates:
                return max(candidates, key=lambda r: (r.effective_from, r.version))
        return None

    def points(self, member: str, year: int) -> dict[str, tuple[int, int, int | None]]:
        """Each standing attendance of the member in the year: (counted
        tenths, tenths before caps, rule version or None)."""
        mine = sorted(
            (
                a
                for (m, _), a in self.attended.items()
                if m == member and a.activity.day.year == year
            ),
            key=lambda a: (a.activity.starts_at, a.first_recorded),
        )
        counted_day: dict[tuple[str, date], int] = {}
        counted_year: dict[tuple[str, str], int] = {}
        found: dict[str, tuple[int, int, int | None]] = {}
        for a in mine:
            held = a.activity
            rules = self.in_effect(held.district, held.day)
            if rules is None or held.category not in rules.rates:
                own = tenths(a.hours * held.own_rate)
                found[held.name] = (own, own, None)
                continue
            rate = rules.rates[held.category]
            full = tenths(a.hours * rate)
            hours = a.hours
            if rules.hours_cap is not None and hours > rules.hours_cap:
                hours = rules.hours_cap
            points = tenths(hours * rate)
            day_key = (rules.owner, held.day)
            if rules.day_cap is not None:
                left = tenths(rules.day_cap) - counted_day.get(day_key, 0)
                points = min(points, max(left, 0))
            year_key = (rules.owner, held.category)
            if held.category in rules.year_caps:
                left = tenths(rules.year_caps[held.category]) - counted_year.get(
                    year_key, 0
                )
                points = min(points, max(left, 0))
            counted_day[day_key] = counted_day.get(day_key, 0) + points
            counted_year[year_key] = counted_year.get(year_key, 0) + points
            found[held.name] = (points, full, rules.version)
        return found

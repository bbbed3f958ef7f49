"""The demo's seeded draws: counts spread over places, days in a span,
mobile numbers; and the time of day on a day, in Asia/Shanghai."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta

from api.demo.vocabulary import PHONE_PREFIXES
from domain.dates import SHANGHAI

SEED = 20261126


class Phones:
    """Mobile numbers, none given twice."""

    def __init__(self, count: int) -> None:
        rng = random.Random(SEED)
        prefixes = PHONE_PREFIXES.split()
        self.numbers: Iterator[str] = iter(
            f"1{rng.choice(prefixes)}{n:08d}" for n in rng.sample(range(10**8), count)
        )

    def next(self) -> str:
        return next(self.numbers)


def spread(
    rng: random.Random, total: int, caps: Sequence[int], least: int = 0
) -> list[int]:
    """``total`` split at random into ``len(caps)`` parts, each at least
    ``least`` and at most its cap."""
    counts = [least] * len(caps)
    remaining = total - least * len(caps)
    assert all(least <= cap for cap in caps), (least, min(caps))
    assert 0 <= remaining <= sum(caps) - least * len(caps), total
    while remaining:
        i = rng.randrange(len(caps))
        if counts[i] < caps[i]:
            counts[i] += 1
            remaining -= 1
    return counts


def between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)

"""跨年积分: an activity counts to the year of its local date in Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from pytest_bdd import parsers, scenarios, then

from domain.dates import local_date
from tests.bdd.conftest import TYPES, World

scenarios("跨年积分.feature")


@then(
    parsers.parse(
        '"{activity}"按协调世界时开始于 {day:Date} {at:Time}', extra_types=TYPES
    )
)
def starts_in_utc(world: World, activity: str, day: date, at: time) -> None:
    starts_at = world.app.activity(world.id(activity)).starts_at
    assert starts_at == datetime.combine(day, at, tzinfo=UTC)


@then(
    parsers.parse(
        '"{activity}"的当地日期是 {day:Date}，计入 {year:d} 年', extra_types=TYPES
    )
)
def counts_to_year(world: World, activity: str, day: date, year: int) -> None:
    counted = local_date(world.app.activity(world.id(activity)).starts_at)
    assert counted == day
    assert counted.year == year

"""Points and hours, in decimals: reading a number, rounding, an activity's
points rule, hours attended and the stars they earn."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.errors import InvalidCommand, InvalidHours

ONE_PLACE = Decimal("0.1")
QUARTER = Decimal("0.25")
DEFAULT_POINTS_PER_HOUR = Decimal(10)
DEFAULT_STAR_THRESHOLDS: tuple[Decimal, ...] = tuple(
    Decimal(h) for h in (100, 300, 600, 1000, 1500)
)


def to_decimal(value: object, field: str) -> Decimal:
    """Converts ints, decimal strings and Decimals; refuses floats, NaN and infinity."""
    if isinstance(value, (bool, float)):
        raise InvalidCommand(
            f"{field} 必须是十进制数（字符串或整数），不能是浮点数", field
        )
    if isinstance(value, str) and ("_" in value or value != value.strip()):
        raise InvalidCommand(f"{field} 不是有效的数字: {value!r}", field)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidCommand(f"{field} 不是有效的数字: {value!r}", field) from None
    if not number.is_finite():
        raise InvalidCommand(f"{field} 必须是有限的数字", field)
    return number


def round_points(points: Decimal) -> Decimal:
    """Rounds half-up to one decimal place."""
    return points.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def duration_hours(starts_at: datetime, ends_at: datetime) -> Decimal:
    seconds = int((ends_at - starts_at).total_seconds())
    return Decimal(seconds) / Decimal(3600)


def check_hours(hours: object, longest: Decimal) -> Decimal:
    """Returns the hours as a Decimal, or raises InvalidHours."""
    try:
        value = to_decimal(hours, "hours")
    except InvalidCommand as error:
        raise InvalidHours(error.message, "hours") from None
    if value <= 0:
        raise InvalidHours(f"时长必须大于 0 小时: {value}", "hours")
    # Bounded first: the remainder of a huge value (1e30) raises InvalidOperation.
    if value > longest:
        raise InvalidHours(
            f"时长 {value} 小时超过活动时长 {longest.normalize()} 小时", "hours"
        )
    if value % QUARTER != 0:
        raise InvalidHours(f"时长必须以 0.25 小时为单位: {value}", "hours")
    return value


def points_rule(
    points_per_hour: object, fixed_points: object
) -> tuple[Decimal | None, Decimal | None]:
    """The activity's points rule: a rate per hour or fixed points, not both."""
    if points_per_hour is not None and fixed_points is not None:
        raise InvalidCommand(
            "points_per_hour 与 fixed_points 只能给出一个", "fixed_points"
        )
    if fixed_points is not None:
        fixed = to_decimal(fixed_points, "fixed_points")
        if fixed < 0 or fixed > 10_000:
            raise InvalidCommand("fixed_points 必须在 0 到 10000 之间", "fixed_points")
        return None, fixed
    if points_per_hour is not None:
        rate = to_decimal(points_per_hour, "points_per_hour")
        if rate < 0 or rate > 1_000:
            raise InvalidCommand(
                "points_per_hour 必须在 0 到 1000 之间", "points_per_hour"
            )
        return rate, None
    return None, None


def points_for(
    hours: Decimal, points_per_hour: Decimal | None, fixed_points: Decimal | None
) -> Decimal:
    if fixed_points is not None:
        return round_points(fixed_points)
    rate = DEFAULT_POINTS_PER_HOUR if points_per_hour is None else points_per_hour
    return round_points(hours * rate)


def star_rating(
    hours: Decimal, thresholds: Sequence[Decimal] = DEFAULT_STAR_THRESHOLDS
) -> int:
    """Stars earned by cumulative service hours: one per threshold reached."""
    return sum(1 for threshold in thresholds if hours >= threshold)

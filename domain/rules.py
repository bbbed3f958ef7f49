"""Arithmetic of points, hours, calendar years and stars, in decimals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from domain.errors import FutureDate, InvalidCommand, InvalidHours

SHANGHAI = ZoneInfo("Asia/Shanghai")
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


def points_for(
    hours: Decimal, points_per_hour: Decimal | None, fixed_points: Decimal | None
) -> Decimal:
    if fixed_points is not None:
        return round_points(fixed_points)
    rate = DEFAULT_POINTS_PER_HOUR if points_per_hour is None else points_per_hour
    return round_points(hours * rate)


def local_date(moment: datetime) -> date:
    """The calendar date of a moment in Asia/Shanghai."""
    return moment.astimezone(SHANGHAI).date()


def star_rating(
    hours: Decimal, thresholds: Sequence[Decimal] = DEFAULT_STAR_THRESHOLDS
) -> int:
    """Stars earned by cumulative service hours: one per threshold reached."""
    return sum(1 for threshold in thresholds if hours >= threshold)


def check_text(value: object, field: str, *, max_length: int = 200) -> str:
    if not isinstance(value, str):
        raise InvalidCommand(f"{field} 必须是文本", field)
    text = value.strip()
    if not text:
        raise InvalidCommand(f"{field} 不能为空", field)
    if len(text) > max_length:
        raise InvalidCommand(f"{field} 不能超过 {max_length} 个字符", field)
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise InvalidCommand(f"{field} 不能包含控制字符", field)
    return text


FIRST_YEAR, LAST_YEAR = 1949, 2200


def check_aware(moment: object, field: str) -> datetime:
    """Returns an aware moment whose Shanghai date lies in a sensible range."""
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise InvalidCommand(f"{field} 必须是带时区的时间", field)
    try:
        year = local_date(moment).year
    except OverflowError:
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidCommand(
            f"{field} 必须在 {FIRST_YEAR} 年到 {LAST_YEAR} 年之间（上海时间）", field
        )
    return moment


def figure_date(year: int, as_of: date | None, today: date) -> date:
    """The date D a figure for ``year`` is true on: ``as_of``, else 31 December
    of the year, never after today. Before 1 January of the year (a year not
    yet begun), nothing is in it."""
    if as_of is not None:
        if as_of > today:
            raise FutureDate(f"as_of {as_of} 晚于今天 {today}", "as_of")
        if as_of.year != year:
            raise InvalidCommand(f"as_of {as_of} 不在 {year} 年内", "as_of")
        return as_of
    return min(date(year, 12, 31), today)

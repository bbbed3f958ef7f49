"""Calendar and business dates, in Asia/Shanghai: the date of a moment, the
date a fact took effect, the date a figure is true on."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.errors import DateOutOfOrder, FutureDate, InvalidCommand

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_YEAR, LAST_YEAR = 1949, 2200


def local_date(moment: datetime) -> date:
    """The calendar date of a moment in Asia/Shanghai."""
    return moment.astimezone(SHANGHAI).date()


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


def business_date(value: object, today: date, field: str) -> date:
    """A local date (Asia/Shanghai) that a fact took effect: today when not
    given, never in the future."""
    if value is None:
        return today
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidCommand(f"{field} 的格式应为 YYYY-MM-DD", field)
    if value > today:
        raise FutureDate(f"{field} {value} 晚于今天 {today}", field)
    if value.year < FIRST_YEAR:
        raise InvalidCommand(f"{field} 不能早于 {FIRST_YEAR} 年", field)
    return value


def not_before(later: date, earlier: date, field: str, what: str) -> None:
    """Refuses a date that comes before the date of what it ends or moves."""
    if later < earlier:
        raise DateOutOfOrder(f"{field} {later} 早于{what} {earlier}", field)


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

"""Checks of a command's input values, beyond what the aggregates check."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from domain.errors import DateOutOfOrder, FutureDate, InvalidCommand
from domain.rules import FIRST_YEAR, check_text, to_decimal


def optional_text(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    return check_text(value, field)


def check_reason(reason: str) -> str:
    return check_text(reason, "reason", max_length=500)


def check_phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    text = check_text(phone, "phone", max_length=20)
    if not all(c.isdigit() or c in "+- " for c in text):
        raise InvalidCommand("phone 只能包含数字、空格、+ 和 -", "phone")
    return text


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


def check_capacity(capacity: object) -> int | None:
    if capacity is None:
        return None
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise InvalidCommand("capacity 必须是正整数", "capacity")
    return capacity


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

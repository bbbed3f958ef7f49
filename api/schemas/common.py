"""Value types shared by request and response bodies."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    PlainSerializer,
)

from domain.dates import SHANGHAI

Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=500)]
Number = Annotated[Decimal, Field(allow_inf_nan=False, max_digits=12)]
PointsText = Annotated[str, Field(examples=["20.0"])]
HoursText = Annotated[str, Field(examples=["2.5"])]
UtcText = Annotated[
    datetime,
    PlainSerializer(lambda moment: moment.astimezone(UTC).isoformat(), return_type=str),
]


def not_a_timestamp(value: object) -> object:
    """Refuses numbers, which pydantic would otherwise read as Unix timestamps
    (``to=0.5``, ``"reported_on": 0``): times and dates are ISO 8601 text."""
    if isinstance(value, int | float) or (isinstance(value, str) and _number(value)):
        raise ValueError("应为 ISO 8601 格式的日期或时间，而不是数字")
    return value


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def within_the_calendar(moment: datetime) -> datetime:
    """Refuses moments that cannot be told in UTC or in Shanghai (year 1 at
    +00:01, 9999-12-31 late in UTC): converting them would overflow later, in
    a route or, worse, in the projection of a stored event."""
    try:
        moment.astimezone(UTC)
        moment.astimezone(SHANGHAI)
    except OverflowError:
        raise ValueError("时间超出了可表示的范围") from None
    return moment


IsoDatetime = Annotated[
    AwareDatetime,
    BeforeValidator(not_a_timestamp),
    AfterValidator(within_the_calendar),
]
IsoDate = Annotated[date, BeforeValidator(not_a_timestamp)]

"""Points, hours, calendar dates and stars: the arithmetic of the rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from domain.dates import check_aware, local_date
from domain.errors import InvalidCommand, InvalidHours
from domain.inputs import check_text
from domain.points import (
    DEFAULT_STAR_THRESHOLDS,
    check_hours,
    duration_hours,
    points_for,
    round_points,
    star_rating,
    to_decimal,
)

THREE_HOURS = Decimal(3)


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [
        ("0.05", "0.1"),
        ("0.15", "0.2"),
        ("0.25", "0.3"),
        ("2.45", "2.5"),
        ("2.449", "2.4"),
        ("-0.05", "-0.1"),
        ("7", "7.0"),
    ],
)
def test_points_round_half_up_to_one_place(raw: str, rounded: str) -> None:
    result = round_points(Decimal(raw))

    assert result == Decimal(rounded)
    assert str(result) == rounded


def test_points_are_hours_times_ten_by_default() -> None:
    assert points_for(Decimal("1.25"), None, None) == Decimal("12.5")


def test_points_follow_the_activitys_rate_rounded_half_up() -> None:
    assert points_for(Decimal("0.25"), Decimal("3"), None) == Decimal("0.8")
    assert points_for(Decimal("0.75"), Decimal("1.3"), None) == Decimal("1.0")


def test_fixed_points_ignore_the_hours() -> None:
    assert points_for(Decimal("0.25"), None, Decimal("5")) == Decimal("5.0")
    assert points_for(Decimal("3"), None, Decimal("5")) == Decimal("5.0")


def test_points_are_decimals_never_floats() -> None:
    points = points_for(Decimal("1.5"), Decimal("10"), None)

    assert isinstance(points, Decimal)
    assert points.as_tuple().exponent == -1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(2, Decimal(2)), ("1.25", Decimal("1.25")), (Decimal("0.5"), Decimal("0.5"))],
)
def test_ints_decimal_strings_and_decimals_become_decimals(
    raw: object, expected: Decimal
) -> None:
    assert to_decimal(raw, "hours") == expected


@pytest.mark.parametrize("raw", [1.5, 0.25, 2.0, float("nan"), float("inf"), True])
def test_floats_and_booleans_are_refused(raw: object) -> None:
    with pytest.raises(InvalidCommand) as raised:
        to_decimal(raw, "points_per_hour")

    assert raised.value.field == "points_per_hour"


@pytest.mark.parametrize(
    "raw", ["NaN", "sNaN", "Infinity", "-Infinity", "abc", "", None, b"1", [1]]
)
def test_non_finite_and_non_numbers_are_refused(raw: object) -> None:
    with pytest.raises(InvalidCommand):
        to_decimal(raw, "hours")


@pytest.mark.parametrize("hours", ["0.25", "0.5", "1.75", 3, "3.00", Decimal("2.25")])
def test_hours_in_quarter_steps_within_the_duration_are_accepted(
    hours: object,
) -> None:
    assert check_hours(hours, THREE_HOURS) == Decimal(str(hours))


@pytest.mark.parametrize(
    "hours",
    [
        0,
        "0",
        "-0",
        -1,
        "-0.25",
        "0.3",
        "0.1",
        "1.2",
        "3.25",
        4,
        "1e30",
        "1e100000",
        "1e-100000",
        "NaN",
        "Infinity",
        1.5,
        float("nan"),
        True,
        None,
        "一小时",
    ],
)
def test_invalid_hours_are_refused_with_invalid_hours(hours: object) -> None:
    with pytest.raises(InvalidHours) as raised:
        check_hours(hours, THREE_HOURS)

    assert raised.value.code == "invalid_hours"
    assert raised.value.field == "hours"


def test_hours_may_equal_the_activitys_duration_but_not_exceed_it() -> None:
    longest = duration_hours(
        datetime(2026, 3, 1, 1, 0, tzinfo=UTC), datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
    )

    assert longest == Decimal("1.5")
    assert check_hours("1.5", longest) == Decimal("1.5")
    with pytest.raises(InvalidHours):
        check_hours("1.75", longest)


def test_a_duration_that_is_not_a_whole_quarter_caps_hours_below_it() -> None:
    longest = duration_hours(
        datetime(2026, 3, 1, 1, 0, tzinfo=UTC), datetime(2026, 3, 1, 2, 10, tzinfo=UTC)
    )

    assert check_hours(1, longest) == Decimal(1)
    with pytest.raises(InvalidHours):
        check_hours("1.25", longest)


def test_annual_dates_are_local_to_shanghai() -> None:
    new_years_eve_utc = datetime(2025, 12, 31, 16, 30, tzinfo=UTC)

    assert local_date(new_years_eve_utc).isoformat() == "2026-01-01"
    assert local_date(new_years_eve_utc - timedelta(hours=1)).isoformat() == (
        "2025-12-31"
    )


def test_local_dates_of_other_zones_are_converted_to_shanghai() -> None:
    new_york = timezone(timedelta(hours=-5))

    moment = datetime(2025, 12, 31, 12, 0, tzinfo=new_york)

    assert local_date(moment).isoformat() == "2026-01-01"


@pytest.mark.parametrize(
    ("hours", "stars"),
    [
        ("0", 0),
        ("99.75", 0),
        ("100", 1),
        ("299.75", 1),
        ("300", 2),
        ("600", 3),
        ("999.75", 3),
        ("1000", 4),
        ("1500", 5),
        ("100000", 5),
    ],
)
def test_star_rating_follows_the_national_thresholds_by_default(
    hours: str, stars: int
) -> None:
    assert star_rating(Decimal(hours)) == stars


def test_star_rating_thresholds_are_configurable() -> None:
    local_scheme = (Decimal(50), Decimal(150), Decimal(400))

    assert star_rating(Decimal(49), local_scheme) == 0
    assert star_rating(Decimal(50), local_scheme) == 1
    assert star_rating(Decimal(200), local_scheme) == 2
    assert star_rating(Decimal(400), local_scheme) == 3
    assert star_rating(Decimal(400), DEFAULT_STAR_THRESHOLDS) == 2


@pytest.mark.parametrize(
    "text", ["", "   ", 42, None, "a\nb", "tab\there", "x" * 201, "del\x7f"]
)
def test_empty_long_or_control_character_text_is_refused(text: object) -> None:
    with pytest.raises(InvalidCommand) as raised:
        check_text(text, "name")

    assert raised.value.field == "name"


def test_text_is_trimmed() -> None:
    assert check_text("  幸福社区 ", "name") == "幸福社区"


def test_naive_times_are_refused() -> None:
    with pytest.raises(InvalidCommand):
        check_aware(datetime(2026, 3, 1, 9, 0), "starts_at")
    with pytest.raises(InvalidCommand):
        check_aware("2026-03-01T09:00:00+08:00", "starts_at")


@pytest.mark.parametrize(
    "moment",
    [
        datetime(9999, 12, 31, 20, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=timezone(timedelta(minutes=1))),
        datetime(1900, 6, 1, tzinfo=UTC),
    ],
)
def test_activity_times_whose_shanghai_year_is_out_of_range_are_refused(
    moment: datetime,
) -> None:
    from domain.dates import check_aware

    with pytest.raises(InvalidCommand) as refused:
        check_aware(moment, "starts_at")
    assert refused.value.field == "starts_at"


@pytest.mark.parametrize("text", ["1_0", " 2", "2 "])
def test_hours_written_with_underscores_or_spaces_are_refused(text: str) -> None:
    with pytest.raises(InvalidHours):
        check_hours(text, Decimal(24))

"""Points are stored as integer tenths and hours as integer hundredths, so that
sums in SQL stay exact on SQLite and PostgreSQL alike; they are shown as text."""

from __future__ import annotations

from decimal import Decimal

# What a column or an SQL sum gives back: an integer, PostgreSQL's numeric
# for SUM(bigint), or NULL for a sum of no rows.
Stored = int | Decimal | None


def tenths(points: Decimal) -> int:
    return int(points * 10)


def hundredths(hours: Decimal) -> int:
    return int(hours * 100)


def points_text(points10: Stored) -> str:
    """Tenths as a decimal with one place ("-0.5", "20.0"), in integers."""
    tenths = int(points10 or 0)
    whole, tenth = divmod(abs(tenths), 10)
    return f"{'-' if tenths < 0 else ''}{whole}.{tenth}"


def hours_decimal(hours100: Stored) -> Decimal:
    return Decimal(int(hours100 or 0)) / 100


def hours_text(hours100: Stored) -> str:
    text = f"{hours_decimal(hours100):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text

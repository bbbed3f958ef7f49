"""A member's points (积分) for a year as of a date, with lifetime totals and
star rating; and statement (积分明细): every attendance of the member in a year,
as of a date, with its status and each change to it, oldest first, read a page
at a time. Both are read from the points model's tables (points.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.points import DEFAULT_STAR_THRESHOLDS, star_rating
from projections.amounts import hours_decimal, hours_text, points_text
from projections.attendance_rows import EARNING, EARNING_SQL, recording
from projections.paging import BadCursor, decode_cursor, page
from projections.sql import Cursor, Plan, Reader, Row, Sql

MEMBER_YEARS = Sql(
    "SELECT year, points10, hours100, activities, last_date FROM {t}vp_member_year "
    "WHERE member_id = :member_id AND year <= :year"
)
MEMBER_YEAR_AS_OF = Sql(
    "SELECT SUM(points10) AS points10, SUM(hours100) AS hours100, "
    "COUNT(*) AS activities FROM {t}vp_attendance "
    "WHERE member_id = :member_id AND local_date BETWEEN :start AND :on "
    f"AND status IN {EARNING_SQL}"
)

# A page of a member's statement: a range of vp_attendance_member, after the
# cursor's key (empty texts before the first page), in statement order.
STATEMENT_RANGE = (
    "a.member_id = :member_id AND a.local_date BETWEEN :start AND :on "
    "AND (a.local_date, a.starts_at, a.activity_id) "
    "> (:after_date, :after_starts, :after_id) "
    "ORDER BY a.local_date, a.starts_at, a.activity_id LIMIT :limit"
)
STATEMENT_PAGE = Sql(
    "SELECT a.member_id, a.activity_id, v.title, a.local_date, a.starts_at, "
    "a.hours, a.points, a.status, a.recorded_by, a.reason, a.position, "
    "a.recorded_hours, a.recorded_points, a.recorded_at, r.version AS rule_version, "
    "r.full10 FROM {t}vp_attendance a "
    "JOIN {t}vp_activity v ON v.activity_id = a.activity_id "
    "LEFT JOIN {t}vp_rating r "
    "ON r.activity_id = a.activity_id AND r.member_id = a.member_id WHERE "
    + STATEMENT_RANGE
)
STATEMENT_PAGE_CHANGES = Sql(
    "SELECT c.* FROM (SELECT a.member_id, a.activity_id FROM {t}vp_attendance a "
    "WHERE " + STATEMENT_RANGE + ") p JOIN {t}vp_attendance_change c "
    "ON c.member_id = p.member_id AND c.activity_id = p.activity_id "
    "ORDER BY c.position"
)
PAGE_KEY = ("member_id", "local_date", "starts_at", "activity_id")
# The whole statement is read in pages of the largest size the API allows.
WHOLE_PAGE = 500


class PointsQueries:
    """A member's points for a year as of a date, lifetime totals and star
    rating as of that date."""

    def __init__(
        self, view: Reader, star_thresholds: Sequence[Decimal] = DEFAULT_STAR_THRESHOLDS
    ) -> None:
        self.view = view
        self.star_thresholds = tuple(star_thresholds)

    def member_points(self, member_id: str, year: int, on: date) -> dict[str, Any]:
        """A member's points, read in this thread (see ``points_plan``)."""
        return self.view.run(self.points_plan(member_id, year, on))

    def points_plan(self, member_id: str, year: int, on: date) -> Plan[dict[str, Any]]:
        """From the member's yearly totals: the year's own is added up from its
        attendances only when some are dated after ``on``, so a read costs the
        same however long the member's history."""
        params = {
            "member_id": member_id,
            "year": year,
            "start": f"{year:04d}-01-01",
            "on": on.isoformat(),
        }
        (years,) = yield [(MEMBER_YEARS, params)]
        totals = {row["year"]: row for row in years}
        this_year = totals.pop(year, None)
        if this_year is not None and this_year["last_date"] > params["on"]:
            reads = [(MEMBER_YEARS, params), (MEMBER_YEAR_AS_OF, params)]
            years, as_of = yield reads
            totals = {row["year"]: row for row in years}
            totals.pop(year, None)
            this_year = as_of[0]
        points10 = hours100 = activities = 0
        if this_year is not None:
            points10 = int(this_year["points10"] or 0)
            hours100 = int(this_year["hours100"] or 0)
            activities = int(this_year["activities"] or 0)
        lifetime_points10 = points10 + sum(int(r["points10"]) for r in totals.values())
        lifetime_hours100 = hours100 + sum(int(r["hours100"]) for r in totals.values())
        return {
            "member_id": member_id,
            "year": year,
            "as_of": params["on"],
            "points": points_text(points10),
            "hours": hours_text(hours100),
            "activities": activities,
            "lifetime_points": points_text(lifetime_points10),
            "lifetime_hours": hours_text(lifetime_hours100),
            "star": star_rating(hours_decimal(lifetime_hours100), self.star_thresholds),
        }


class StatementQueries:
    """A member's statement for a year as of a date: a page at a time, as the
    API serves it, or whole."""

    def __init__(self, view: Reader, points: PointsQueries) -> None:
        self.view = view
        self.points = points

    def statement_page(
        self, member_id: str, year: int, on: date, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        """The ``limit`` items after the cursor's, by their activity's start
        (then its id), with the history of each, the year's totals and the
        cursor of the next page (None on the last). A page reads a range of
        the member's attendances and the changes to those alone, so it costs
        the same however long the member's history."""
        with self.view.read() as c:
            items, next_cursor = _items(c, member_id, year, on, limit, cursor)
        return {
            **self._heading(member_id, year, on),
            "items": items,
            "next_cursor": next_cursor,
        }

    def statement(self, member_id: str, year: int, on: date) -> dict[str, Any]:
        """Every item of the statement, its pages read one after another in
        one snapshot: for whoever needs it whole inside the server."""
        with self.view.read() as c:
            items, cursor = _items(c, member_id, year, on, WHOLE_PAGE, None)
            while cursor is not None:
                more, cursor = _items(c, member_id, year, on, WHOLE_PAGE, cursor)
                items += more
        return {**self._heading(member_id, year, on), "items": items}

    def _heading(self, member_id: str, year: int, on: date) -> dict[str, Any]:
        totals = self.points.member_points(member_id, year, on)
        return {
            "member_id": member_id,
            "year": year,
            "as_of": on.isoformat(),
            "points": totals["points"],
            "hours": totals["hours"],
        }


def _items(
    c: Cursor, member_id: str, year: int, on: date, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page's items and the cursor of the next page."""
    after = ["", "", ""] if cursor is None else _after(cursor, member_id, year)
    params = {
        "member_id": member_id,
        # The cursor's date bounds the range as well: no row before it is read.
        "start": max(f"{year:04d}-01-01", after[0]),
        "on": on.isoformat(),
        "after_date": after[0],
        "after_starts": after[1],
        "after_id": after[2],
        "limit": limit + 1,
    }
    rows = c.execute(STATEMENT_PAGE, params).all()
    changes = c.execute(STATEMENT_PAGE_CHANGES, params).all()
    rows, next_cursor = page(rows, limit, PAGE_KEY)
    history: dict[str, list[Row]] = {}
    for change in changes:
        history.setdefault(change["activity_id"], []).append(change)
    items = [_item(r, _history(r, history.get(r["activity_id"], []))) for r in rows]
    return items, next_cursor


def _history(row: Row, changes: list[Row]) -> list[dict[str, Any]]:
    """An item's changes in order, with the recording its row holds while it
    stands (a revoked one's is among the changes)."""
    if row["status"] in EARNING:
        changes = sorted([*changes, recording(row)], key=lambda c: int(c["position"]))
    return [_change(c) for c in changes]


def _after(cursor: str, member_id: str, year: int) -> list[str]:
    """The key a page continues after, from a cursor this member's statement
    of this year gave; any other cursor is refused."""
    member, day, starts_at, activity_id = decode_cursor(cursor, len(PAGE_KEY))
    try:
        valid = date.fromisoformat(day).year == year and len(day) == len("2026-01-01")
        datetime.fromisoformat(starts_at)
        UUID(activity_id)
    except ValueError:
        valid = False
    if member != member_id or not valid:
        raise BadCursor("cursor 不属于这份明细")
    return [day, starts_at, activity_id]


def _item(row: Row, history: list[dict[str, Any]]) -> dict[str, Any]:
    full10, version = row["full10"], row["rule_version"]
    return {
        "activity_id": row["activity_id"],
        "title": row["title"],
        "date": row["local_date"],
        "hours": row["hours"],
        "points": row["points"] if row["status"] in EARNING else "0.0",
        "full_points": row["points"] if full10 is None else points_text(full10),
        "rule_version": None if version is None else int(version),
        "status": row["status"],
        "recorded_by": row["recorded_by"],
        "reason": row["reason"],
        "history": history,
    }


def _change(row: Row) -> dict[str, Any]:
    return {
        "type": row["type"],
        "hours": row["hours"],
        "points": row["points"],
        "previous_hours": row["previous_hours"],
        "previous_points": row["previous_points"],
        "recorded_by": row["actor"],
        "recorded_at": row["recorded_at"],
        "reason": row["reason"],
        "rule_version": row["rule_version"],
        "previous_rule_version": row["previous_rule_version"],
    }

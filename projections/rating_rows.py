"""What rating keeps (rating.py): the rules that rated each attendance
(vp_rating), the statements that read a member's year and the members a rule
set taking effect may rate again, and what a page holds of the member years it
rates, the re-ratings it writes to the activities' histories, and the years it
leaves to rate at its end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from domain.rating import Rated, Served, order
from projections.attendance_rows import EARNING_SQL, RERATED
from projections.history import INSERT_HISTORY
from projections.history import TABLES as HISTORY_TABLES
from projections.sealing import Sealer
from projections.sql import Cursor, Sql, Table

TABLES = (
    Table(
        "vp_rating",
        "activity_id TEXT NOT NULL, member_id TEXT NOT NULL, owner TEXT NOT NULL, "
        "version INTEGER NOT NULL, full10 BIGINT NOT NULL, own10 BIGINT NOT NULL, "
        "PRIMARY KEY (activity_id, member_id)",
    ),
)

UPSERT_RATING = Sql(
    "INSERT INTO {t}vp_rating VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (activity_id, member_id) DO UPDATE SET owner = excluded.owner, "
    "version = excluded.version, full10 = excluded.full10, own10 = excluded.own10"
)
DELETE_RATING = Sql("DELETE FROM {t}vp_rating WHERE activity_id = ? AND member_id = ?")
RULING = Sql(
    "SELECT v.category, c.district_id FROM {t}vp_activity v "
    "LEFT JOIN {t}vp_community c ON c.community_id = v.community_id "
    "WHERE v.activity_id = ?"
)
# From the member's attendances (CROSS JOIN: SQLite's planner would otherwise
# start from the activities while the attendance table is still empty).
MEMBER_YEAR = Sql(
    "SELECT a.*, v.category, c.district_id, r.owner AS rule_owner, "
    "r.version AS rule_version, r.full10, r.own10 FROM {t}vp_attendance a "
    "CROSS JOIN {t}vp_activity v "
    "LEFT JOIN {t}vp_community c ON c.community_id = v.community_id "
    "LEFT JOIN {t}vp_rating r "
    "ON r.activity_id = a.activity_id AND r.member_id = a.member_id "
    "WHERE v.activity_id = a.activity_id AND a.member_id = ? "
    f"AND a.local_date BETWEEN ? AND ? AND a.status IN {EARNING_SQL}"
)
OWNER = Sql("SELECT owner FROM {t}vp_rule_set WHERE rule_set_id = ?")
SET_RERATED = Sql("UPDATE {t}vp_rule_set SET rerated = ? WHERE rule_set_id = ?")
# The members and years a rule set taking effect may rate again: those with
# attendances from its date on, in its district (or anywhere, for the
# deployment's).
AFFECTED = Sql(
    "SELECT DISTINCT a.member_id, a.local_date FROM {t}vp_attendance a "
    "JOIN {t}vp_activity v ON v.activity_id = a.activity_id "
    "LEFT JOIN {t}vp_community c ON c.community_id = v.community_id "
    "WHERE a.local_date >= ? AND (? = 'deployment' OR c.district_id = ?) "
    f"AND a.status IN {EARNING_SQL}"
)


@dataclass(slots=True)
class Standing:
    """A standing attendance of a member's year, as last rated."""

    served: Served
    rated: Rated


MISSING = "?"  # a place whose district this process did not see registered


class Year(dict[str, Standing]):
    """A member's standing attendances of a year, by activity, as read from
    the tables and as the page has rated them since (one the rules do not
    rate counts toward no cap, and may stay as it was read: a publication
    reads the year again); what the rated ones counted by owner and day and
    by owner and category, and the last of them in the fixed order: an
    attendance after that one is rated alone."""

    counted: tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]] | None
    last: tuple[str, int] | None

    def __init__(self) -> None:
        super().__init__()
        self.counted = None
        self.last = None

    def recount(self) -> None:
        day: dict[tuple[str, str], int] = {}
        category: dict[tuple[str, str], int] = {}
        last: tuple[str, int] | None = None
        for standing in self.values():
            rated, served = standing.rated, standing.served
            if rated.owner is None:
                continue
            day_key = (rated.owner, served.local_date)
            day[day_key] = day.get(day_key, 0) + rated.points10
            category_key = (rated.owner, served.category)
            category[category_key] = category.get(category_key, 0) + rated.points10
            key = order(served)
            if last is None or key > last:
                last = key
        self.counted, self.last = (day, category), last


class RatingFold:
    """The member years a page has rated, and what it changes in vp_rating
    and the activities' histories."""

    def __init__(self) -> None:
        self.years: dict[tuple[str, int], Year] = {}
        self.ratings: dict[tuple[str, str], tuple[object, ...] | None] = {}
        self.activity_history: dict[tuple[str, int], dict[str, Any]] = {}
        self.sealer = Sealer()

    def rated(self, activity_id: str, member_id: str, rated: Rated, own10: int) -> None:
        """The rules that rated an attendance, as vp_rating keeps them."""
        self.ratings[activity_id, member_id] = (
            activity_id,
            member_id,
            rated.owner,
            rated.version,
            rated.full10,
            own10,
        )

    def flush(self, c: Cursor) -> None:
        upserts = [row for row in self.ratings.values() if row is not None]
        gone = [key for key, row in self.ratings.items() if row is None]
        c.executemany(UPSERT_RATING, upserts)
        c.executemany(DELETE_RATING, gone)
        rows = [
            (activity_id, position, RERATED, *h["meta"], self._details(h))
            for (activity_id, position), h in self.activity_history.items()
        ]
        c.append(HISTORY_TABLES[0], INSERT_HISTORY, rows)

    def _details(self, h: dict[str, Any]) -> str | None:
        text = orjson.dumps({"entries": h["entries"]}, option=orjson.OPT_SORT_KEYS)
        return self.sealer.seal(text.decode())


class Later:
    """The member years a page leaves to be rated at its end (rating a
    page at a time: for private read models of the figures, which keep no
    history of the changes between)."""

    def __init__(self) -> None:
        self.years: set[tuple[str, int]] = set()

    def flush(self, c: Cursor) -> None:
        """Nothing to write: the years were rated before the page's end."""


@dataclass(frozen=True, slots=True)
class Rerate:
    """An attendance whose points a change elsewhere in its year changed."""

    activity_id: str
    before: Rated
    after: Rated

"""Activities (志愿活动): one row each, with status and what its attendance
adds up to (participations, hours, points); and what never changes about an
activity (team, community, start and local date), which other read models
need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from eventsourcing.domain import DomainEvent

from domain.activity import CANCELLED, CLOSED, SCHEDULED, Activity
from domain.dates import local_date
from projections.batch import Batch, Handler, on
from projections.paging import decode_cursor, page
from projections.sql import Cursor, Reader, Row, Sql, Table

ACTIVITIES_REMEMBERED = 200_000

TABLES = (
    Table(
        "vp_activity",
        "activity_id TEXT PRIMARY KEY, title TEXT NOT NULL, "
        "team_id TEXT NOT NULL, community_id TEXT NOT NULL, category TEXT NOT NULL, "
        "starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, local_date TEXT NOT NULL, "
        "year INTEGER NOT NULL, location TEXT, status TEXT NOT NULL, capacity INTEGER, "
        "signups INTEGER NOT NULL, attendances INTEGER NOT NULL, "
        "hours100 BIGINT NOT NULL, points10 BIGINT NOT NULL",
        {
            "vp_activity_team": "team_id, starts_at",
            "vp_activity_community": "community_id, starts_at",
            "vp_activity_starts": "starts_at",
            "vp_activity_held": "community_id, local_date, status, attendances, "
            "hours100, points10",
            "vp_activity_day": "local_date, status, attendances, hours100, points10",
            "vp_activity_team_held": "team_id, local_date",
        },
    ),
)

INSERT_ACTIVITY = Sql(
    "INSERT INTO {t}vp_activity VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SET_STATUS = Sql("UPDATE {t}vp_activity SET status = ? WHERE activity_id = ?")
ADD_COUNTS = Sql(
    "UPDATE {t}vp_activity SET signups = signups + ?, "
    "attendances = attendances + ?, hours100 = hours100 + ?, "
    "points10 = points10 + ? WHERE activity_id = ?"
)
SELECT_FACTS = Sql(
    "SELECT team_id, community_id, local_date, starts_at FROM {t}vp_activity "
    "WHERE activity_id = ?"
)
SELECT_ACTIVITY = Sql("SELECT * FROM {t}vp_activity WHERE activity_id = ?")
# Listings: one query per index (team, community, start); the other
# filters narrow what the index finds. Without a cursor, after_* are ''.
LISTING = (
    "starts_at >= :starts_from "
    "AND (:starts_to{text} IS NULL OR starts_at < :starts_to) "
    "AND (starts_at > :after_starts "
    "OR (starts_at = :after_starts AND activity_id > :after_id)) "
    "ORDER BY starts_at, activity_id LIMIT :limit"
)
TEAM_ACTIVITIES = Sql(
    "SELECT * FROM {t}vp_activity WHERE team_id = :team_id "
    "AND (:community_id{text} IS NULL OR community_id = :community_id) AND " + LISTING
)
COMMUNITY_ACTIVITIES = Sql(
    "SELECT * FROM {t}vp_activity WHERE community_id = :community_id AND " + LISTING
)
ALL_ACTIVITIES = Sql("SELECT * FROM {t}vp_activity WHERE " + LISTING)


class ActivityRow(NamedTuple):
    activity_id: str
    title: str
    team_id: str
    community_id: str
    category: str
    starts_at: str
    ends_at: str
    local_date: str
    year: int
    location: str | None
    status: str
    capacity: int | None
    signups: int
    attendances: int
    hours100: int
    points10: int


class ActivityFacts(NamedTuple):
    """What never changes about an activity; ``local_date`` is its start's
    date in Asia/Shanghai, ``starts_at`` its start as vp_activity holds it
    (the order of a member's statement)."""

    team_id: str
    community_id: str
    local_date: str
    starts_at: str

    @property
    def year(self) -> int:
        return int(self.local_date[:4])


class KnownActivities:
    """The facts of the activities seen lately; others are read from vp_activity."""

    def __init__(self) -> None:
        self._facts: dict[str, ActivityFacts] = {}

    def remember(self, activity_id: str, facts: ActivityFacts) -> None:
        if len(self._facts) >= ACTIVITIES_REMEMBERED:
            self._facts.clear()
        self._facts[activity_id] = facts

    def of(self, batch: Batch, activity_id: str) -> ActivityFacts:
        facts = self._facts.get(activity_id)
        if facts is None:
            row = batch.query(SELECT_FACTS, (activity_id,))
            if row is None:
                raise LookupError(f"activity {activity_id} was never scheduled")
            facts = ActivityFacts(
                row["team_id"], row["community_id"], row["local_date"], row["starts_at"]
            )
            self.remember(activity_id, facts)
        return facts


@dataclass(slots=True)
class Counts:
    signups: int = 0
    attendances: int = 0
    hours100: int = 0
    points10: int = 0


class ActivityCounts:
    """Sign-ups, attendances, hours and points gained or lost per activity over
    a page."""

    def __init__(self) -> None:
        self.changes: dict[str, Counts] = {}

    def add(
        self,
        activity_id: str,
        signups: int = 0,
        attendances: int = 0,
        hours100: int = 0,
        points10: int = 0,
    ) -> None:
        counts = self.changes.get(activity_id)
        if counts is None:
            counts = self.changes[activity_id] = Counts()
        counts.signups += signups
        counts.attendances += attendances
        counts.hours100 += hours100
        counts.points10 += points10

    def flush(self, c: Cursor) -> None:
        c.executemany(
            ADD_COUNTS,
            [
                (
                    counts.signups,
                    counts.attendances,
                    counts.hours100,
                    counts.points10,
                    activity_id,
                )
                for activity_id, counts in self.changes.items()
                if counts.signups
                or counts.attendances
                or counts.hours100
                or counts.points10
            ],
        )


class Activities:
    """Keeps vp_activity, and the activities' facts for the other read models.
    Attendance counts are added by points.py, in its pass over the attendance."""

    def __init__(self, known: KnownActivities) -> None:
        self.known = known

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Activity.Scheduled, self.activity_scheduled),
            on(Activity.SignedUp, self.signed_up),
            on(Activity.Withdrew, self.withdrew),
            on(Activity.Cancelled, self.activity_cancelled),
            on(Activity.Closed, self.activity_closed),
        ]

    def activity_scheduled(self, e: Activity.Scheduled, batch: Batch) -> None:
        activity_id = str(e.originator_id)
        day = local_date(e.starts_at)
        facts = ActivityFacts(
            str(e.team_id),
            str(e.community_id),
            day.isoformat(),
            e.starts_at.isoformat(),
        )
        batch.run(
            INSERT_ACTIVITY,
            ActivityRow(
                activity_id,
                e.title,
                facts.team_id,
                facts.community_id,
                e.category,
                facts.starts_at,
                e.ends_at.isoformat(),
                day.isoformat(),
                day.year,
                e.location,
                SCHEDULED,
                e.capacity,
                signups=0,
                attendances=0,
                hours100=0,
                points10=0,
            ),
        )
        self.known.remember(activity_id, facts)

    def signed_up(self, e: Activity.SignedUp, batch: Batch) -> None:
        batch.fold(ActivityCounts).add(batch.id_text(e.originator_id), signups=1)

    def withdrew(self, e: Activity.Withdrew, batch: Batch) -> None:
        batch.fold(ActivityCounts).add(batch.id_text(e.originator_id), signups=-1)

    def activity_cancelled(self, e: Activity.Cancelled, batch: Batch) -> None:
        batch.run(SET_STATUS, (CANCELLED, str(e.originator_id)))

    def activity_closed(self, e: Activity.Closed, batch: Batch) -> None:
        batch.run(SET_STATUS, (CLOSED, str(e.originator_id)))


class ActivityQueries:
    """One activity, and activities by team, community and start."""

    def __init__(self, view: Reader) -> None:
        self.view = view

    def activity(self, activity_id: str) -> dict[str, Any] | None:
        row = self.view.one(SELECT_ACTIVITY, (activity_id,))
        return None if row is None else self._record(row)

    def activities(
        self,
        *,
        team_id: str | None,
        community_id: str | None,
        starts_from: str | None,
        starts_to: str | None,
        limit: int,
        cursor: str | None,
    ) -> dict[str, Any]:
        after_starts, after_id = decode_cursor(cursor, 2) if cursor else ("", "")
        if team_id is not None:
            sql = TEAM_ACTIVITIES
        elif community_id is not None:
            sql = COMMUNITY_ACTIVITIES
        else:
            sql = ALL_ACTIVITIES
        rows = self.view.all(
            sql,
            {
                "team_id": team_id,
                "community_id": community_id,
                "starts_from": starts_from or "",
                "starts_to": starts_to,
                "after_starts": after_starts,
                "after_id": after_id,
                "limit": limit + 1,
            },
        )
        rows, next_cursor = page(rows, limit, ["starts_at", "activity_id"])
        return {
            "items": [self._record(r) for r in rows],
            "next_cursor": next_cursor,
        }

    @staticmethod
    def _record(row: Row) -> dict[str, Any]:
        return {
            "id": row["activity_id"],
            "title": row["title"],
            "team_id": row["team_id"],
            "community_id": row["community_id"],
            "category": row["category"],
            "starts_at": row["starts_at"],
            "ends_at": row["ends_at"],
            "date": row["local_date"],
            "location": row["location"],
            "status": row["status"],
            "capacity": row["capacity"],
            "signups": int(row["signups"]),
            "attendances": int(row["attendances"]),
        }

"""Teams (志愿服务队): each team, its members, and its figures per year
(activities held, participations, hours, points)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import DomainEvent

from domain.activity import Activity
from domain.rules import local_date
from domain.team import Team
from projections.activities import ActivityFacts, KnownActivities
from projections.amounts import hours_text, points_text
from projections.page import Handler, Page, on
from projections.paging import decode_cursor, page
from projections.sql import Cursor, Reader, Row, Statement, Table

TABLES = (
    Table(
        "vp_team",
        "team_id TEXT PRIMARY KEY, name TEXT NOT NULL, "
        "community_id TEXT NOT NULL, dissolved INTEGER NOT NULL",
        {"vp_team_community": "community_id"},
    ),
    Table(
        "vp_team_member",
        "team_id TEXT NOT NULL, member_id TEXT NOT NULL, "
        "PRIMARY KEY (team_id, member_id)",
        {"vp_team_member_member": "member_id"},
    ),
    Table(
        "vp_team_year",
        "team_id TEXT NOT NULL, year INTEGER NOT NULL, "
        "community_id TEXT NOT NULL, activities INTEGER NOT NULL, "
        "participations INTEGER NOT NULL, hours100 BIGINT NOT NULL, "
        "points10 BIGINT NOT NULL, PRIMARY KEY (team_id, year)",
        {"vp_team_year_year": "year, community_id"},
    ),
)

INSERT_TEAM = Statement(
    sqlite="INSERT INTO vp_team VALUES (?, ?, ?, 0)",
    postgres="INSERT INTO {schema}.vp_team VALUES (%s, %s, %s, 0)",
)
DISSOLVE_TEAM = Statement(
    sqlite="UPDATE vp_team SET dissolved = 1 WHERE team_id = ?",
    postgres="UPDATE {schema}.vp_team SET dissolved = 1 WHERE team_id = %s",
)
INSERT_TEAM_MEMBER = Statement(
    sqlite="INSERT INTO vp_team_member VALUES (?, ?)",
    postgres="INSERT INTO {schema}.vp_team_member VALUES (%s, %s)",
)
DELETE_TEAM_MEMBER = Statement(
    sqlite="DELETE FROM vp_team_member WHERE team_id = ? AND member_id = ?",
    postgres="DELETE FROM {schema}.vp_team_member "
    "WHERE team_id = %s AND member_id = %s",
)
ADD_TEAM_YEAR = Statement(
    sqlite="INSERT INTO vp_team_year VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (team_id, year) DO UPDATE SET "
    "activities = vp_team_year.activities + excluded.activities, "
    "participations = vp_team_year.participations + excluded.participations, "
    "hours100 = vp_team_year.hours100 + excluded.hours100, "
    "points10 = vp_team_year.points10 + excluded.points10",
    postgres="INSERT INTO {schema}.vp_team_year VALUES (%s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (team_id, year) DO UPDATE SET "
    "activities = vp_team_year.activities + excluded.activities, "
    "participations = vp_team_year.participations + excluded.participations, "
    "hours100 = vp_team_year.hours100 + excluded.hours100, "
    "points10 = vp_team_year.points10 + excluded.points10",
)
SELECT_TEAM = Statement(
    sqlite="SELECT * FROM vp_team WHERE team_id = ?",
    postgres="SELECT * FROM {schema}.vp_team WHERE team_id = %s",
)
COUNT_TEAM_MEMBERS = Statement(
    sqlite="SELECT COUNT(*) AS n FROM vp_team_member WHERE team_id = ?",
    postgres="SELECT COUNT(*) AS n FROM {schema}.vp_team_member WHERE team_id = %s",
)
SELECT_TEAM_YEAR = Statement(
    sqlite="SELECT * FROM vp_team_year WHERE team_id = ? AND year = ?",
    postgres="SELECT * FROM {schema}.vp_team_year WHERE team_id = %s AND year = %s",
)
ALL_TEAMS = Statement(
    sqlite="SELECT * FROM vp_team WHERE team_id > ? ORDER BY team_id LIMIT ?",
    postgres="SELECT * FROM {schema}.vp_team WHERE team_id > %s "
    "ORDER BY team_id LIMIT %s",
)
COMMUNITY_TEAMS = Statement(
    sqlite="SELECT * FROM vp_team WHERE community_id = ? AND team_id > ? "
    "ORDER BY team_id LIMIT ?",
    postgres="SELECT * FROM {schema}.vp_team WHERE community_id = %s "
    "AND team_id > %s ORDER BY team_id LIMIT %s",
)


@dataclass(slots=True)
class TeamYear:
    community_id: str
    activities: int = 0
    participations: int = 0
    hours100: int = 0
    points10: int = 0


class TeamYears:
    """What each team's year gained or lost over a page."""

    def __init__(self) -> None:
        self.totals: dict[tuple[str, int], TeamYear] = {}

    def add(
        self,
        activity: ActivityFacts,
        activities: int = 0,
        participations: int = 0,
        hours100: int = 0,
        points10: int = 0,
    ) -> None:
        key = (activity.team_id, activity.year)
        totals = self.totals.get(key)
        if totals is None:
            totals = self.totals[key] = TeamYear(activity.community_id)
        totals.activities += activities
        totals.participations += participations
        totals.hours100 += hours100
        totals.points10 += points10

    def flush(self, c: Cursor) -> None:
        c.executemany(
            ADD_TEAM_YEAR,
            [
                (
                    team_id,
                    year,
                    t.community_id,
                    t.activities,
                    t.participations,
                    t.hours100,
                    t.points10,
                )
                for (team_id, year), t in self.totals.items()
            ],
        )


class Teams:
    """Keeps vp_team and vp_team_member, and counts the activities each team's
    year holds; points.py adds what attendance earns to the same years."""

    def __init__(self, known: KnownActivities) -> None:
        self.known = known

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Team.Founded, self.team_founded),
            on(Team.MemberJoined, self.member_joined),
            on(Team.MemberLeft, self.member_left),
            on(Team.Dissolved, self.team_dissolved),
            on(Activity.Scheduled, self.activity_scheduled),
            on(Activity.Cancelled, self.activity_cancelled),
        ]

    def team_founded(self, e: Team.Founded, page: Page) -> None:
        page.run(INSERT_TEAM, (str(e.originator_id), e.name, str(e.community_id)))

    def member_joined(self, e: Team.MemberJoined, page: Page) -> None:
        page.run(
            INSERT_TEAM_MEMBER,
            (page.id_text(e.originator_id), page.id_text(e.member_id)),
        )

    def member_left(self, e: Team.MemberLeft, page: Page) -> None:
        page.run(
            DELETE_TEAM_MEMBER,
            (page.id_text(e.originator_id), page.id_text(e.member_id)),
        )

    def team_dissolved(self, e: Team.Dissolved, page: Page) -> None:
        page.run(DISSOLVE_TEAM, (str(e.originator_id),))

    def activity_scheduled(self, e: Activity.Scheduled, page: Page) -> None:
        year = local_date(e.starts_at).year
        activity = ActivityFacts(str(e.team_id), str(e.community_id), year)
        page.fold(TeamYears).add(activity, activities=1)

    def activity_cancelled(self, e: Activity.Cancelled, page: Page) -> None:
        activity = self.known.of(page, str(e.originator_id))
        page.fold(TeamYears).add(activity, activities=-1)


class TeamQueries:
    """A team with its figures for a year, and teams by community."""

    def __init__(self, view: Reader) -> None:
        self.view = view

    def team(self, team_id: str, year: int) -> dict[str, Any] | None:
        with self.view.read() as c:
            row = c.execute(SELECT_TEAM, (team_id,)).one()
            if row is None:
                return None
            members = c.execute(COUNT_TEAM_MEMBERS, (team_id,)).one()
            figures = c.execute(SELECT_TEAM_YEAR, (team_id, year)).one()
        assert members is not None  # COUNT(*) gives one row
        return self._record(row) | {
            "year": year,
            "members": int(members["n"]),
            "activities": int(figures["activities"]) if figures else 0,
            "participations": int(figures["participations"]) if figures else 0,
            "hours": hours_text(figures["hours100"] if figures else 0),
            "points": points_text(figures["points10"] if figures else 0),
        }

    def teams(
        self, community_id: str | None, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        after = decode_cursor(cursor, 1)[0] if cursor else ""
        if community_id is None:
            rows = self.view.all(ALL_TEAMS, (after, limit + 1))
        else:
            rows = self.view.all(COMMUNITY_TEAMS, (community_id, after, limit + 1))
        rows, next_cursor = page(rows, limit, ["team_id"])
        return {
            "items": [self._record(r) for r in rows],
            "next_cursor": next_cursor,
        }

    @staticmethod
    def _record(row: Row) -> dict[str, Any]:
        return {
            "id": row["team_id"],
            "name": row["name"],
            "community_id": row["community_id"],
            "dissolved": bool(row["dissolved"]),
        }

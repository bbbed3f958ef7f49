"""Teams (志愿服务队): each team with the dates it was founded and dissolved, the
dated periods of its members; a team's figures for a year as of a date (a team
has members only while it exists; its activities held stay its own)."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import DomainEvent

from domain.team import Team
from projections.amounts import hours_text, points_text
from projections.batch import Batch, Handler, on
from projections.paging import decode_cursor, page
from projections.sql import Reader, Row, Sql, Table

TABLES = (
    Table(
        "vp_team",
        "team_id TEXT PRIMARY KEY, name TEXT NOT NULL, community_id TEXT NOT NULL, "
        "founded_on TEXT NOT NULL, dissolved_on TEXT",
        {"vp_team_community": "community_id"},
    ),
    Table(
        "vp_team_member",
        "team_id TEXT NOT NULL, version INTEGER NOT NULL, member_id TEXT NOT NULL, "
        "joined_on TEXT NOT NULL, left_on TEXT, PRIMARY KEY (team_id, version)",
        {"vp_team_member_member": "member_id, team_id, joined_on, left_on"},
        kept=frozenset({"vp_team_member_member"}),
    ),
)

INSERT_TEAM = Sql("INSERT INTO {t}vp_team VALUES (?, ?, ?, ?, NULL)")
DISSOLVE_TEAM = Sql("UPDATE {t}vp_team SET dissolved_on = ? WHERE team_id = ?")
INSERT_TEAM_MEMBER = Sql("INSERT INTO {t}vp_team_member VALUES (?, ?, ?, ?, NULL)")
END_TEAM_MEMBER = Sql(
    "UPDATE {t}vp_team_member SET left_on = ? "
    "WHERE team_id = ? AND member_id = ? AND left_on IS NULL"
)
MERGE_TEAM_MEMBER = Sql(
    "UPDATE {t}vp_team_member SET member_id = ? WHERE team_id = ? AND member_id = ?"
)
SELECT_TEAM = Sql("SELECT * FROM {t}vp_team WHERE team_id = ?")
TEAM_FIGURES = Sql(
    "SELECT * FROM "
    "(SELECT COUNT(DISTINCT m.member_id) AS members FROM {t}vp_team_member m "
    "JOIN {t}vp_team t ON t.team_id = m.team_id "
    "WHERE m.team_id = :team_id AND m.joined_on <= :on "
    "AND (m.left_on IS NULL OR m.left_on > :on) AND t.founded_on <= :on "
    "AND (t.dissolved_on IS NULL OR t.dissolved_on > :on)) AS m, "
    "(SELECT COUNT(*) AS activities, SUM(attendances) AS participations, "
    "SUM(hours100) AS hours100, SUM(points10) AS points10 "
    "FROM {t}vp_activity WHERE team_id = :team_id "
    "AND local_date BETWEEN :start AND :on AND status != 'cancelled') AS a"
)
ALL_TEAMS = Sql("SELECT * FROM {t}vp_team WHERE team_id > ? ORDER BY team_id LIMIT ?")
COMMUNITY_TEAMS = Sql(
    "SELECT * FROM {t}vp_team WHERE community_id = ? AND team_id > ? "
    "ORDER BY team_id LIMIT ?"
)


class Teams:
    """Keeps vp_team and vp_team_member."""

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Team.Founded, self.team_founded),
            on(Team.MemberJoined, self.member_joined),
            on(Team.MemberLeft, self.member_left),
            on(Team.Dissolved, self.team_dissolved),
            on(Team.MemberMerged, self.member_merged),
        ]

    def team_founded(self, e: Team.Founded, batch: Batch) -> None:
        batch.run(
            INSERT_TEAM,
            (
                str(e.originator_id),
                e.name,
                str(e.community_id),
                e.founded_on.isoformat(),
            ),
        )

    def member_joined(self, e: Team.MemberJoined, batch: Batch) -> None:
        batch.run(
            INSERT_TEAM_MEMBER,
            (
                batch.id_text(e.originator_id),
                e.originator_version,
                batch.id_text(e.member_id),
                e.joined_on.isoformat(),
            ),
        )

    def member_left(self, e: Team.MemberLeft, batch: Batch) -> None:
        batch.run(
            END_TEAM_MEMBER,
            (
                e.left_on.isoformat(),
                batch.id_text(e.originator_id),
                batch.id_text(e.member_id),
            ),
        )

    def team_dissolved(self, e: Team.Dissolved, batch: Batch) -> None:
        batch.run(DISSOLVE_TEAM, (e.dissolved_on.isoformat(), str(e.originator_id)))

    def member_merged(self, e: Team.MemberMerged, batch: Batch) -> None:
        """Every period of the duplicate's in the team becomes the survivor's:
        a volunteer counted once, however many of them overlap."""
        batch.run(
            MERGE_TEAM_MEMBER,
            (
                batch.id_text(e.survivor_id),
                batch.id_text(e.originator_id),
                batch.id_text(e.duplicate_id),
            ),
        )


class TeamQueries:
    """A team with its figures for a year as of a date, and teams by community."""

    def __init__(self, view: Reader) -> None:
        self.view = view

    def team(self, team_id: str, year: int, on: date) -> dict[str, Any] | None:
        params = {
            "team_id": team_id,
            "start": f"{year:04d}-01-01",
            "on": on.isoformat(),
        }
        with self.view.read() as c:
            row = c.execute(SELECT_TEAM, (team_id,)).one()
            if row is None:
                return None
            figures = c.execute(TEAM_FIGURES, params).one()
        assert figures is not None  # aggregates without GROUP BY give one row
        begun = on >= date(year, 1, 1)
        return self._record(row) | {
            "year": year,
            "as_of": on.isoformat(),
            "members": int(figures["members"]) if begun else 0,
            "activities": int(figures["activities"]),
            "participations": int(figures["participations"] or 0),
            "hours": hours_text(figures["hours100"]),
            "points": points_text(figures["points10"]),
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
            "dissolved": row["dissolved_on"] is not None,
            "founded_on": row["founded_on"],
            "dissolved_on": row["dissolved_on"],
        }

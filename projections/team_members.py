"""A team's members (队员): each period a member was in the team, with the
dates it joined and left, in the order they joined; read from the teams
model's vp_team_member, with the members' names."""

from __future__ import annotations

from typing import Any

from projections.paging import decode_position, page
from projections.sealing import Sealer
from projections.sql import Reader, Row, Sql

TEAM_MEMBERS = Sql(
    "SELECT t.version, t.member_id, t.joined_on, t.left_on, m.name "
    "FROM {t}vp_team_member t LEFT JOIN {t}vp_member m ON m.member_id = t.member_id "
    "WHERE t.team_id = ? AND t.version > ? ORDER BY t.version LIMIT ?"
)


class TeamMemberQueries:
    """A team's members, a page at a time."""

    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer

    def team_members(
        self, team_id: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        after = decode_position(cursor)
        rows = self.view.all(TEAM_MEMBERS, (team_id, after, limit + 1))
        rows, next_cursor = page(rows, limit, ["version"])
        items = [self._member(r) for r in rows]
        return {"items": items, "next_cursor": next_cursor}

    def _member(self, row: Row) -> dict[str, Any]:
        return {
            "member_id": row["member_id"],
            "name": self.sealer.open(row["name"]),
            "joined_on": row["joined_on"],
            "left_on": row["left_on"],
        }

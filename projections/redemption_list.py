"""A community's redemptions (积分兑换记录), newest first, optionally of one
status, each with the member's and the reward's names: what an organiser
lists to cancel one."""

from __future__ import annotations

from typing import Any

from projections.amounts import points_text
from projections.paging import decode_position, page
from projections.sealing import Sealer
from projections.sql import Reader, Row, Sql

SELECT = (
    "SELECT r.*, m.name AS member_name, w.name AS reward_name "
    "FROM {t}vp_redemption r "
    "LEFT JOIN {t}vp_member m ON m.member_id = r.member_id "
    "LEFT JOIN {t}vp_reward w ON w.reward_id = r.reward_id "
)
COMMUNITY_REDEMPTIONS = Sql(
    SELECT + "WHERE r.community_id = ? AND r.position < ? "
    "ORDER BY r.position DESC LIMIT ?"
)
COMMUNITY_REDEMPTIONS_WITH_STATUS = Sql(
    SELECT + "WHERE r.community_id = ? AND r.status = ? AND r.position < ? "
    "ORDER BY r.position DESC LIMIT ?"
)
# No position is this high, so the first page starts below it.
BEFORE_EVERY_POSITION = 2**62


class RedemptionListQueries:
    """A community's redemptions, a page at a time."""

    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer

    def community_redemptions(
        self, community_id: str, status: str | None, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        before = decode_position(cursor) if cursor else BEFORE_EVERY_POSITION
        if status is None:
            params: tuple[object, ...] = (community_id, before, limit + 1)
            rows = self.view.all(COMMUNITY_REDEMPTIONS, params)
        else:
            params = (community_id, status, before, limit + 1)
            rows = self.view.all(COMMUNITY_REDEMPTIONS_WITH_STATUS, params)
        rows, next_cursor = page(rows, limit, ["position"])
        items = [self._redemption(r) for r in rows]
        return {"items": items, "next_cursor": next_cursor}

    def _redemption(self, row: Row) -> dict[str, Any]:
        return {
            "id": row["redemption_id"],
            "member_id": row["member_id"],
            "name": self.sealer.open(row["member_name"]),
            "reward_id": row["reward_id"],
            "reward": row["reward_name"],
            "community_id": row["community_id"],
            "quantity": int(row["quantity"]),
            "points": points_text(row["points10"]),
            "status": row["status"],
            "made_on": row["made_on"],
            "cancelled_on": row["cancelled_on"],
            "reason": row["reason"],
            "position": int(row["position"]),
        }

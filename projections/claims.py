"""Hours claims (志愿时长申报): one row each, with its status and decision,
listed per community (that of the claim's activity), oldest first."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import DomainEvent

from domain.claim import APPROVED, PENDING, REJECTED, HoursClaim
from projections.amounts import hours_text, hundredths
from projections.batch import Batch, Handler, on
from projections.paging import decode_position, page
from projections.sql import Reader, Row, Sql, Table

TABLES = (
    Table(
        "vp_hours_claim",
        "claim_id TEXT PRIMARY KEY, member_id TEXT NOT NULL, "
        "activity_id TEXT NOT NULL, community_id TEXT NOT NULL, "
        "hours100 BIGINT NOT NULL, note TEXT, status TEXT NOT NULL, "
        "claimed_at TEXT NOT NULL, decided_by TEXT, decided_at TEXT, "
        "decided_hours100 BIGINT, reason TEXT, position BIGINT NOT NULL",
        {
            "vp_hours_claim_status": "community_id, status, position",
            "vp_hours_claim_community": "community_id, position",
        },
    ),
)

INSERT_CLAIM = Sql(
    "INSERT INTO {t}vp_hours_claim VALUES "
    "(?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?)"
)
DECIDE_CLAIM = Sql(
    "UPDATE {t}vp_hours_claim SET status = ?, decided_by = ?, "
    "decided_at = ?, decided_hours100 = ?, reason = ? WHERE claim_id = ?"
)
COMMUNITY_CLAIMS = Sql(
    "SELECT * FROM {t}vp_hours_claim WHERE community_id = ? "
    "AND position > ? ORDER BY position LIMIT ?"
)
COMMUNITY_CLAIMS_WITH_STATUS = Sql(
    "SELECT * FROM {t}vp_hours_claim WHERE community_id = ? AND status = ? "
    "AND position > ? ORDER BY position LIMIT ?"
)


class Claims:
    """Keeps vp_hours_claim."""

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(HoursClaim.Claimed, self.claimed),
            on(HoursClaim.Approved, self.approved),
            on(HoursClaim.Rejected, self.rejected),
        ]

    def claimed(self, e: HoursClaim.Claimed, batch: Batch) -> None:
        batch.run(
            INSERT_CLAIM,
            (
                str(e.originator_id),
                batch.id_text(e.member_id),
                batch.id_text(e.activity_id),
                batch.id_text(e.community_id),
                hundredths(e.hours),
                e.note,
                PENDING,
                e.timestamp.isoformat(),
                batch.position,
            ),
        )

    def approved(self, e: HoursClaim.Approved, batch: Batch) -> None:
        self._decide(e, batch, APPROVED, hundredths(e.hours), None)

    def rejected(self, e: HoursClaim.Rejected, batch: Batch) -> None:
        self._decide(e, batch, REJECTED, None, e.reason)

    @staticmethod
    def _decide(
        e: HoursClaim.Approved | HoursClaim.Rejected,
        batch: Batch,
        status: str,
        hours100: int | None,
        reason: str | None,
    ) -> None:
        batch.run(
            DECIDE_CLAIM,
            (
                status,
                e.actor,
                e.timestamp.isoformat(),
                hours100,
                reason,
                str(e.originator_id),
            ),
        )


class ClaimQueries:
    """A community's claims, optionally of one status, a page at a time."""

    def __init__(self, view: Reader) -> None:
        self.view = view

    def community_claims(
        self, community_id: str, status: str | None, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        after = decode_position(cursor)
        if status is None:
            rows = self.view.all(COMMUNITY_CLAIMS, (community_id, after, limit + 1))
        else:
            rows = self.view.all(
                COMMUNITY_CLAIMS_WITH_STATUS, (community_id, status, after, limit + 1)
            )
        rows, next_cursor = page(rows, limit, ["position"])
        return {"items": [_claim(r) for r in rows], "next_cursor": next_cursor}


def _claim(row: Row) -> dict[str, Any]:
    decided = row["decided_hours100"]
    return {
        "id": row["claim_id"],
        "status": row["status"],
        "member_id": row["member_id"],
        "activity_id": row["activity_id"],
        "community_id": row["community_id"],
        "hours": hours_text(row["hours100"]),
        "note": row["note"],
        "claimed_at": row["claimed_at"],
        "decided_by": row["decided_by"],
        "decided_at": row["decided_at"],
        "decided_hours": None if decided is None else hours_text(decided),
        "reason": row["reason"],
        "position": int(row["position"]),
    }

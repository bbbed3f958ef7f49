"""Access tokens (令牌) as an administrator lists them: role, label, scope,
when issued and whether revoked; never their secret, nor its hash."""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.domain import DomainEvent

from domain.access import AccessToken
from projections.batch import Batch, Handler, on
from projections.paging import decode_cursor, page
from projections.sql import Reader, Row, Sql, Table

PLACES = ("district_ids", "street_ids", "community_ids", "team_ids")

TABLES = (
    Table(
        "vp_token",
        "token_id TEXT PRIMARY KEY, role TEXT NOT NULL, label TEXT, "
        "member_id TEXT, places TEXT NOT NULL, issued_at TEXT NOT NULL, "
        "revoked INTEGER NOT NULL",
    ),
)

INSERT = Sql("INSERT INTO {t}vp_token VALUES (?, ?, ?, ?, ?, ?, 0)")
REVOKE = Sql("UPDATE {t}vp_token SET revoked = 1 WHERE token_id = ?")
TOKENS = Sql("SELECT * FROM {t}vp_token WHERE token_id > ? ORDER BY token_id LIMIT ?")


class Tokens:
    """Keeps vp_token."""

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(AccessToken.Issued, self.issued),
            on(AccessToken.Revoked, self.revoked),
        ]

    def issued(self, e: AccessToken.Issued, batch: Batch) -> None:
        places = {name: [str(p) for p in getattr(e, name)] for name in PLACES}
        member_id = None if e.member_id is None else str(e.member_id)
        batch.run(
            INSERT,
            (
                str(e.originator_id),
                e.role,
                e.label,
                member_id,
                json.dumps(places),
                e.timestamp.isoformat(),
            ),
        )

    def revoked(self, e: AccessToken.Revoked, batch: Batch) -> None:
        batch.run(REVOKE, (str(e.originator_id),))


class TokenQueries:
    def __init__(self, view: Reader) -> None:
        self.view = view

    def tokens(self, limit: int, cursor: str | None) -> dict[str, Any]:
        """The tokens issued through the API or the CLI, a page at a time."""
        after = decode_cursor(cursor, 1)[0] if cursor else ""
        rows = self.view.all(TOKENS, (after, limit + 1))
        rows, next_cursor = page(rows, limit, ["token_id"])
        return {"items": [_item(r) for r in rows], "next_cursor": next_cursor}


def _item(row: Row) -> dict[str, Any]:
    return {
        "id": row["token_id"],
        "role": row["role"],
        "label": row["label"],
        "member_id": row["member_id"],
        **json.loads(row["places"]),
        "issued_at": row["issued_at"],
        "revoked": bool(row["revoked"]),
    }

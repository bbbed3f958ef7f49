"""Sign-ups (报名): who is signed up for an activity now and since when, with
the member's name, in the order they signed up."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import DomainEvent

from domain.activity import Activity
from projections.batch import Batch, Handler, on
from projections.paging import read_page
from projections.sealing import Sealer
from projections.sql import Reader, Row, Sql, Table

TABLES = (
    Table(
        "vp_signup",
        "activity_id TEXT NOT NULL, member_id TEXT NOT NULL, "
        "signed_up_at TEXT NOT NULL, PRIMARY KEY (activity_id, member_id)",
    ),
)

INSERT_SIGNUP = Sql(
    "INSERT INTO {t}vp_signup VALUES (:activity_id, :member_id, :signed_up_at)"
)
DELETE_SIGNUP = Sql(
    "DELETE FROM {t}vp_signup "
    "WHERE activity_id = :activity_id AND member_id = :member_id"
)
ACTIVITY_SIGNUPS = Sql(
    "SELECT s.member_id, m.name, s.signed_up_at FROM {t}vp_signup s "
    "LEFT JOIN {t}vp_member m ON m.member_id = s.member_id "
    "WHERE s.activity_id = :activity_id AND (s.signed_up_at > :after_signed_up_at "
    "OR (s.signed_up_at = :after_signed_up_at AND s.member_id > :after_member_id)) "
    "ORDER BY s.signed_up_at, s.member_id LIMIT :limit"
)


class Signups:
    """Keeps vp_signup: a row while a member is signed up."""

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Activity.SignedUp, self.signed_up),
            on(Activity.Withdrew, self.withdrew),
        ]

    def signed_up(self, e: Activity.SignedUp, batch: Batch) -> None:
        signup = {
            "activity_id": batch.id_text(e.originator_id),
            "member_id": batch.id_text(e.member_id),
            "signed_up_at": e.timestamp.isoformat(),
        }
        batch.run(INSERT_SIGNUP, signup)

    def withdrew(self, e: Activity.Withdrew, batch: Batch) -> None:
        signup = {
            "activity_id": batch.id_text(e.originator_id),
            "member_id": batch.id_text(e.member_id),
        }
        batch.run(DELETE_SIGNUP, signup)


class SignupQueries:
    """An activity's sign-ups, a page at a time."""

    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer

    def activity_signups(
        self, activity_id: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        rows, next_cursor = read_page(
            self.view,
            ACTIVITY_SIGNUPS,
            {"activity_id": activity_id},
            ("signed_up_at", "member_id"),
            limit,
            cursor,
        )
        return {"items": [self._item(r) for r in rows], "next_cursor": next_cursor}

    def _item(self, row: Row) -> dict[str, Any]:
        return {
            "member_id": row["member_id"],
            "name": self.sealer.open(row["name"]),
            "signed_up_at": row["signed_up_at"],
        }

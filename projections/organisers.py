"""Organiser accounts (组织者账号) as an administrator lists them: name, the
phone masked, the places their sessions cover, and whether removed."""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.domain import DomainEvent

from domain.organiser import Organiser
from projections.batch import Batch, Handler, on
from projections.sealing import Sealer
from projections.sql import Reader, Row, Sql, Table

PLACES = ("district_ids", "street_ids", "community_ids", "team_ids")

TABLES = (
    Table(
        "vp_organiser",
        "organiser_id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT NOT NULL, "
        "places TEXT NOT NULL, removed INTEGER NOT NULL, position BIGINT NOT NULL",
    ),
)

INSERT = Sql("INSERT INTO {t}vp_organiser VALUES (?, ?, ?, ?, 0, ?)")
RENEW = Sql(
    "UPDATE {t}vp_organiser SET name = ?, places = ?, removed = 0 "
    "WHERE organiser_id = ?"
)
REMOVE = Sql("UPDATE {t}vp_organiser SET removed = 1 WHERE organiser_id = ?")
ORGANISERS = Sql("SELECT * FROM {t}vp_organiser ORDER BY position")


def _places(e: Organiser.Registered | Organiser.Renewed) -> str:
    return json.dumps({name: [str(p) for p in getattr(e, name)] for name in PLACES})


class Organisers:
    """Keeps vp_organiser."""

    def __init__(self, sealer: Sealer) -> None:
        self.sealer = sealer

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Organiser.Registered, self.registered),
            on(Organiser.Renewed, self.renewed),
            on(Organiser.Removed, self.removed),
        ]

    def registered(self, e: Organiser.Registered, batch: Batch) -> None:
        name = self.sealer.seal(e.name)
        row = (str(e.originator_id), name, e.phone_masked, _places(e), batch.position)
        batch.run(INSERT, row)

    def renewed(self, e: Organiser.Renewed, batch: Batch) -> None:
        name = self.sealer.seal(e.name)
        batch.run(RENEW, (name, _places(e), str(e.originator_id)))

    def removed(self, e: Organiser.Removed, batch: Batch) -> None:
        batch.run(REMOVE, (str(e.originator_id),))


class OrganiserQueries:
    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer

    def organisers(self) -> list[dict[str, Any]]:
        """Every organiser account, in the order they were registered."""
        return [self._item(row) for row in self.view.all(ORGANISERS, ())]

    def _item(self, row: Row) -> dict[str, Any]:
        return {
            "id": row["organiser_id"],
            "name": self.sealer.open(row["name"]),
            "phone": row["phone"],
            **json.loads(row["places"]),
            "removed": bool(row["removed"]),
        }

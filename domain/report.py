from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate

SCOPES = ("all", "district", "street", "community", "grid")


class Report(CachedAggregate):
    """A published yearly report (年度报告): the figures of a scope for a year,
    frozen with the event log position they were computed at."""

    class Published(Aggregate.Created):
        scope: str
        scope_id: UUID | None
        year: int
        as_of: date
        position: int
        figures: dict[str, Any]
        head_digest: str
        published_at: datetime
        actor: str

    @event(Published)
    def __init__(
        self,
        scope: str,
        scope_id: UUID | None,
        year: int,
        as_of: date,
        position: int,
        figures: dict[str, Any],
        head_digest: str,
        published_at: datetime,
        actor: str,
    ) -> None:
        self.scope = scope
        self.scope_id = scope_id
        self.year = year
        self.as_of = as_of
        self.position = position
        self.figures = figures
        self.head_digest = head_digest
        self.published_at = published_at
        self.actor = actor

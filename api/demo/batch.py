"""Aggregates saved many at a time, in the order they were built."""

from __future__ import annotations

from eventsourcing.domain import Aggregate

from domain.application import VolunteerPoints

BATCH_EVENTS = 2_000


class Batch:
    """Aggregates waiting to be saved together, in the order they were added."""

    def __init__(self, app: VolunteerPoints) -> None:
        self.app = app
        self.waiting: list[Aggregate] = []
        self.events = 0

    def add(self, *aggregates: Aggregate) -> None:
        for aggregate in aggregates:
            self.waiting.append(aggregate)
            self.events += len(aggregate.pending_events)
            if self.events >= BATCH_EVENTS:
                self.flush()

    def flush(self) -> None:
        if self.waiting:
            self.app.save(*self.waiting)
        self.waiting, self.events = [], 0

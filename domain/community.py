from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate


class Community(CachedAggregate):
    """A residential community (社区): owns teams, activities and double reports."""

    class Registered(Aggregate.Created):
        name: str
        street: str | None
        actor: str

    @event(Registered)
    def __init__(self, name: str, street: str | None, actor: str) -> None:
        self.name = name
        self.street = street


class Unit(CachedAggregate):
    """A work unit's party organisation (单位党组织)."""

    class Registered(Aggregate.Created):
        name: str
        actor: str

    class DoubleReported(Aggregate.Event):
        community_id: UUID
        reported_on: date
        actor: str

    @event(Registered)
    def __init__(self, name: str, actor: str) -> None:
        self.name = name
        self.reported_to: dict[UUID, date] = {}

    def report_to(self, community_id: UUID, reported_on: date, actor: str) -> bool:
        if community_id in self.reported_to:
            return False
        self._report(community_id, reported_on, actor)
        return True

    @event(DoubleReported)
    def _report(self, community_id: UUID, reported_on: date, actor: str) -> None:
        self.reported_to[community_id] = reported_on

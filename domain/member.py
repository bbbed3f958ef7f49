from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate


class Member(CachedAggregate):
    """A volunteer (志愿者 / 党员), registered with one residential community."""

    class Registered(Aggregate.Created):
        name: str
        community_id: UUID
        party_member: bool
        unit_id: UUID | None
        grid: str | None
        phone: str | None
        registered_on: date
        actor: str

    class DoubleReported(Aggregate.Event):
        community_id: UUID
        reported_on: date
        previous_community_id: UUID | None
        actor: str

    @event(Registered)
    def __init__(
        self,
        name: str,
        community_id: UUID,
        party_member: bool,
        unit_id: UUID | None,
        grid: str | None,
        phone: str | None,
        registered_on: date,
        actor: str,
    ) -> None:
        self.name = name
        self.community_id = community_id
        self.party_member = party_member
        self.unit_id = unit_id
        self.grid = grid
        self.phone = phone
        self.registered_on = registered_on
        self.reported_to: UUID | None = None
        self.reported_on: date | None = None

    def report_to(self, community_id: UUID, reported_on: date, actor: str) -> bool:
        """Reports to one residential community, ending any earlier report."""
        if self.reported_to == community_id:
            return False
        self._report(community_id, reported_on, self.reported_to, actor)
        return True

    @event(DoubleReported)
    def _report(
        self,
        community_id: UUID,
        reported_on: date,
        previous_community_id: UUID | None,
        actor: str,
    ) -> None:
        self.reported_to = community_id
        self.reported_on = reported_on

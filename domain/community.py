from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate
from domain.errors import DateOutOfOrder, NotFound


class Community(CachedAggregate):
    """A residential community (社区): owns teams, activities and double reports;
    placed in a street, or (the v1 way) in none."""

    class Registered(Aggregate.Created):
        name: str
        street: str | None
        street_id: UUID | None
        party_organisation: str | None
        actor: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 named the street as text only."""
            state["street_id"] = None
            state["party_organisation"] = None

    @event(Registered)
    def __init__(
        self,
        name: str,
        street: str | None,
        actor: str,
        street_id: UUID | None = None,
        party_organisation: str | None = None,
    ) -> None:
        self.name = name
        self.street = street
        self.street_id = street_id
        self.party_organisation = party_organisation


class Unit(CachedAggregate):
    """A work unit's party organisation (单位党组织)."""

    class Registered(Aggregate.Created):
        name: str
        actor: str

    class DoubleReported(Aggregate.Event):
        community_id: UUID
        reported_on: date
        actor: str

    class DoubleReportEnded(Aggregate.Event):
        community_id: UUID
        ended_on: date
        actor: str

    @event(Registered)
    def __init__(self, name: str, actor: str) -> None:
        self.name = name
        self.reported_to: dict[UUID, date] = {}
        self.ended: dict[UUID, date] = {}

    def report_to(self, community_id: UUID, reported_on: date, actor: str) -> bool:
        """Reports to a community; reporting again where it reports changes nothing."""
        if community_id in self.reported_to:
            return False
        ended_on = self.ended.get(community_id)
        if ended_on is not None and reported_on < ended_on:
            raise DateOutOfOrder(
                f"报到日期 {reported_on} 早于上次报到的结束日期 {ended_on}",
                "reported_on",
            )
        self._report(community_id, reported_on, actor)
        return True

    @event(DoubleReported)
    def _report(self, community_id: UUID, reported_on: date, actor: str) -> None:
        self.reported_to[community_id] = reported_on

    def end_report(self, community_id: UUID, ended_on: date, actor: str) -> None:
        reported_on = self.reported_to.get(community_id)
        if reported_on is None:
            raise NotFound(f"单位党组织“{self.name}”没有在社区 {community_id} 报到")
        if ended_on < reported_on:
            raise DateOutOfOrder(
                f"结束日期 {ended_on} 早于报到日期 {reported_on}", "ended_on"
            )
        self._end_report(community_id, ended_on, actor)

    @event(DoubleReportEnded)
    def _end_report(self, community_id: UUID, ended_on: date, actor: str) -> None:
        del self.reported_to[community_id]
        self.ended[community_id] = ended_on

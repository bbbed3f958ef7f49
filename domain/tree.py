"""The organisation tree above and below a community: districts (区/县),
streets (街道/乡镇) and grids (网格). The tree is undated: a place counts in
every year's figures."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate


class District(CachedAggregate):
    """A district or county (区/县)."""

    class Registered(Aggregate.Created):
        name: str
        actor: str

    @event(Registered)
    def __init__(self, name: str, actor: str) -> None:
        self.name = name


class Street(CachedAggregate):
    """A street or township (街道/乡镇) of one district."""

    class Registered(Aggregate.Created):
        name: str
        district_id: UUID
        actor: str

    @event(Registered)
    def __init__(self, name: str, district_id: UUID, actor: str) -> None:
        self.name = name
        self.district_id = district_id


class Grid(CachedAggregate):
    """A grid (网格) of one community, with or without a party organisation
    of its own (网格党组织)."""

    class Registered(Aggregate.Created):
        name: str
        community_id: UUID
        party_organisation: bool
        actor: str

    @event(Registered)
    def __init__(
        self, name: str, community_id: UUID, party_organisation: bool, actor: str
    ) -> None:
        self.name = name
        self.community_id = community_id
        self.party_organisation = party_organisation

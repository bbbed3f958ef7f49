"""Where each thing stands in the organisation tree, remembered: what never
changes about an aggregate is loaded once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import LRUCache
from eventsourcing.domain import Aggregate

from domain.activity import Activity
from domain.community import Community
from domain.redemption import Redemption, Reward
from domain.team import Team
from domain.tree import Grid, Street

A = TypeVar("A", bound=Aggregate)

SCOPES_REMEMBERED = 500_000


@dataclass(frozen=True)
class Scope:
    """Where a community, team, activity or member belongs in the organisation
    tree: its community (and team), and the community's street and district."""

    community_id: UUID
    team_id: UUID | None = None
    street_id: UUID | None = None
    district_id: UUID | None = None

    def places(self) -> tuple[UUID | None, ...]:
        return (self.district_id, self.street_id, self.community_id, self.team_id)


class Load(Protocol):
    def __call__(self, cls: type[A], aggregate_id: UUID, /) -> A:
        """The aggregate, of this kind; raises NotFound if there is none."""


class Scopes:
    """What never changes about an aggregate: its kind and, but for a member,
    who moves, its scope. Remembered when an aggregate is loaded or saved."""

    def __init__(self, load: Load, size: int = SCOPES_REMEMBERED) -> None:
        self.load = load
        self.remembered: LRUCache[UUID, tuple[type[Aggregate], Scope | None]] = (
            LRUCache(maxsize=size)
        )

    def remember(self, aggregate: Aggregate) -> None:
        scope = None
        if isinstance(aggregate, Community):
            street = None
            if aggregate.street_id is not None:
                street = self.load(Street, aggregate.street_id)
            scope = Scope(
                aggregate.id,
                street_id=aggregate.street_id,
                district_id=None if street is None else street.district_id,
            )
        elif isinstance(aggregate, Team):
            scope = replace(
                self.of_community(aggregate.community_id), team_id=aggregate.id
            )
        elif isinstance(aggregate, Activity):
            placement = self.of_community(aggregate.community_id)
            scope = replace(placement, team_id=aggregate.team_id)
        elif isinstance(aggregate, Grid | Reward | Redemption):
            scope = self.of_community(aggregate.community_id)
        self.remembered.put(aggregate.id, (type(aggregate), scope))

    def kind_of(self, aggregate_id: UUID) -> type[Aggregate] | None:
        """The kind of an aggregate seen before, if it was."""
        known = self._known(aggregate_id)
        return None if known is None else known[0]

    def of_community(self, community_id: UUID) -> Scope:
        """Where a community stands in the tree; raises NotFound if there is no
        such community."""
        known = self._known(community_id)
        if known is None or known[1] is None:
            self.load(Community, community_id)
            known = self._known(community_id)
        assert known is not None
        assert known[1] is not None
        return known[1]

    def of(self, aggregate_id: UUID, kind: type[Aggregate]) -> Scope | None:
        """Where a community, grid, team, activity, reward or redemption stands;
        None if the aggregate is of another kind or has no place in the tree."""
        known = self._known(aggregate_id)
        if known is None or known[1] is None:
            self.load(kind, aggregate_id)
            known = self._known(aggregate_id)
        if known is None or known[0] is not kind:
            return None
        return known[1]

    def _known(self, aggregate_id: UUID) -> tuple[type[Aggregate], Scope | None] | None:
        try:
            return self.remembered.get(aggregate_id)
        except KeyError:
            return None

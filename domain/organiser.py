"""Organiser accounts (组织者账号): a person an administrator names, with a phone
to sign in with and the places (districts, streets, communities, teams) their
sessions cover, as an organiser's token does.

The phone is kept as a keyed digest, which is also the account's identity (one
account a phone), and shown only masked."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate


def masked_phone(digits: str) -> str:
    """A phone as a list may show it: the first three and last four digits."""
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


class Organiser(CachedAggregate):
    """An organiser account; removing it ends its sessions. Registered again,
    it begins a new ``generation``: sessions of an earlier one stay ended."""

    @staticmethod
    def create_id(phone_key: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"vpoints:organiser:{phone_key}")

    class Registered(Aggregate.Created):
        name: str
        phone_key: str
        phone_masked: str
        district_ids: list[UUID]
        street_ids: list[UUID]
        community_ids: list[UUID]
        team_ids: list[UUID]
        actor: str

    class Renewed(Aggregate.Event):
        """Registered again after its removal, perhaps with another scope."""

        name: str
        district_ids: list[UUID]
        street_ids: list[UUID]
        community_ids: list[UUID]
        team_ids: list[UUID]
        actor: str

    class Removed(Aggregate.Event):
        actor: str

    @event(Registered)
    def __init__(
        self,
        name: str,
        phone_key: str,
        phone_masked: str,
        district_ids: list[UUID],
        street_ids: list[UUID],
        community_ids: list[UUID],
        team_ids: list[UUID],
        actor: str,
    ) -> None:
        self.phone_key = phone_key
        self.phone_masked = phone_masked
        self._scope(name, district_ids, street_ids, community_ids, team_ids)
        self.removed = False
        self.generation = 1

    def _scope(
        self,
        name: str,
        district_ids: list[UUID],
        street_ids: list[UUID],
        community_ids: list[UUID],
        team_ids: list[UUID],
    ) -> None:
        self.name = name
        self.district_ids = district_ids
        self.street_ids = street_ids
        self.community_ids = community_ids
        self.team_ids = team_ids

    @event(Renewed)
    def renew(
        self,
        name: str,
        district_ids: list[UUID],
        street_ids: list[UUID],
        community_ids: list[UUID],
        team_ids: list[UUID],
        actor: str,
    ) -> None:
        self._scope(name, district_ids, street_ids, community_ids, team_ids)
        self.removed = False
        self.generation += 1

    def remove(self, actor: str) -> bool:
        if self.removed:
            return False
        self._remove(actor)
        return True

    @event(Removed)
    def _remove(self, actor: str) -> None:
        self.removed = True

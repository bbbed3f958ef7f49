from __future__ import annotations

import hashlib
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate
from domain.errors import InvalidCommand

ROLES = ("admin", "organizer", "member")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class AccessToken(CachedAggregate):
    """A bearer token's role and scope; only its secret's SHA-256 is kept."""

    @staticmethod
    def create_id(digest: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"vpoints:token:{digest}")

    class Issued(Aggregate.Created):
        digest: str
        role: str
        community_ids: list[UUID]
        team_ids: list[UUID]
        district_ids: list[UUID]
        street_ids: list[UUID]
        member_id: UUID | None
        label: str | None
        actor: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 scoped organizers to communities and teams only."""
            state["district_ids"] = []
            state["street_ids"] = []

    class Revoked(Aggregate.Event):
        actor: str

    @event(Issued)
    def __init__(
        self,
        digest: str,
        role: str,
        community_ids: list[UUID],
        team_ids: list[UUID],
        district_ids: list[UUID],
        street_ids: list[UUID],
        member_id: UUID | None,
        label: str | None,
        actor: str,
    ) -> None:
        self.digest = digest
        self.role = role
        self.community_ids = community_ids
        self.team_ids = team_ids
        self.district_ids = district_ids
        self.street_ids = street_ids
        self.member_id = member_id
        self.label = label
        self.revoked = False

    @staticmethod
    def check_scope(
        role: str,
        places: list[UUID],
        member_id: UUID | None,
    ) -> None:
        """Checks a role against the places (districts, streets, communities,
        teams) a token is scoped to."""
        if role not in ROLES:
            raise InvalidCommand(f"role 必须是 {', '.join(ROLES)} 之一", "role")
        if role == "organizer" and not places:
            raise InvalidCommand(
                "organizer 令牌必须给出 district_ids、street_ids、community_ids "
                "或 team_ids",
                "community_ids",
            )
        if role == "member" and member_id is None:
            raise InvalidCommand("member 令牌必须给出 member_id", "member_id")
        if role != "member" and member_id is not None:
            raise InvalidCommand("只有 member 令牌可以绑定 member_id", "member_id")
        if role != "organizer" and places:
            raise InvalidCommand(
                "只有 organizer 令牌可以限定社区或服务队", "community_ids"
            )

    def revoke(self, actor: str) -> bool:
        if self.revoked:
            return False
        self._revoke(actor)
        return True

    @event(Revoked)
    def _revoke(self, actor: str) -> None:
        self.revoked = True

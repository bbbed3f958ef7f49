"""Bearer tokens: who is asking, and what their token's scope covers."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from pydantic import SecretStr

from domain.application import Scope

BOOTSTRAP_ADMIN = "admin:bootstrap"


@dataclass(frozen=True)
class Principal:
    """The holder of a valid token."""

    id: str
    role: str
    community_ids: frozenset[UUID] = field(default_factory=frozenset)
    team_ids: frozenset[UUID] = field(default_factory=frozenset)
    member_id: UUID | None = None
    district_ids: frozenset[UUID] = field(default_factory=frozenset)
    street_ids: frozenset[UUID] = field(default_factory=frozenset)
    session_id: UUID | None = None
    organiser_id: UUID | None = None
    issued_at: float = 0.0
    expires_at: float | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def covers(self, scope: Scope | None) -> bool:
        """Whether the token's scope covers a place of the tree (a community, a
        grid, a team, an activity, a member): admins always; organizers whose
        token names the place or one above it. Only admins cover an unknown
        place (None)."""
        return self.is_admin or (
            scope is not None and self.covers_places(scope.places())
        )

    def covers_places(self, places: Iterable[UUID | None]) -> bool:
        """Whether the token names one of these places (districts, streets,
        communities, teams)."""
        if self.is_admin:
            return True
        if self.role != "organizer":
            return False
        named = self.district_ids | self.street_ids | self.community_ids
        named |= self.team_ids
        return any(place in named for place in places if place is not None)

    def is_member(self, member_id: UUID) -> bool:
        return self.role == "member" and self.member_id == member_id


def bootstrap_admin(admin: SecretStr | None, secret: str) -> Principal | None:
    """The bootstrap admin, if the secret is ``VPOINTS_ADMIN_TOKEN``."""
    if admin is None or not admin.get_secret_value():
        return None
    if hmac.compare_digest(
        admin.get_secret_value().encode("utf-8", "surrogatepass"),
        secret.encode("utf-8", "surrogatepass"),
    ):
        return Principal(BOOTSTRAP_ADMIN, "admin")
    return None

"""Bearer tokens: who is asking, and what their token's scope covers."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from api.problems import Problem
from api.system import System
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


def bootstrap_admin(system: System, authorization: str | None) -> Principal | None:
    """The bootstrap admin, if the header carries ``VPOINTS_ADMIN_TOKEN``."""
    scheme, _, secret = (authorization or "").partition(" ")
    admin = system.settings.admin_token
    if admin is None or not admin.get_secret_value() or scheme.lower() != "bearer":
        return None
    if hmac.compare_digest(
        admin.get_secret_value().encode("utf-8", "surrogatepass"),
        secret.strip().encode("utf-8", "surrogatepass"),
    ):
        return Principal(BOOTSTRAP_ADMIN, "admin")
    return None


def authenticate(system: System, authorization: str | None) -> Principal:
    """Returns the principal of a bearer token, or raises a 401 problem."""
    scheme, _, secret = (authorization or "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise unauthorized("需要 Authorization: Bearer <令牌>")
    admin = bootstrap_admin(system, authorization)
    if admin is not None:
        return admin
    token = system.app.token_for(secret)
    if token is None:
        raise unauthorized("令牌无效或已撤销")
    return Principal(
        id=str(token.id),
        role=token.role,
        community_ids=frozenset(token.community_ids),
        team_ids=frozenset(token.team_ids),
        member_id=token.member_id,
        district_ids=frozenset(token.district_ids),
        street_ids=frozenset(token.street_ids),
    )


def unauthorized(detail: str) -> Problem:
    return Problem(401, "unauthorized", detail, {"WWW-Authenticate": "Bearer"})

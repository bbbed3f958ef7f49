"""Bearer tokens: who is asking, and what their token's scope covers."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from uuid import UUID

from api.problems import Problem
from api.system import System
from domain.activity import Activity
from domain.application import Scope
from domain.errors import NotFound
from domain.team import Team

BOOTSTRAP_ADMIN = "admin:bootstrap"


@dataclass(frozen=True)
class Principal:
    """The holder of a valid token."""

    id: str
    role: str
    community_ids: frozenset[UUID] = field(default_factory=frozenset)
    team_ids: frozenset[UUID] = field(default_factory=frozenset)
    member_id: UUID | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def covers_community(self, community_id: UUID) -> bool:
        return self.is_admin or (
            self.role == "organizer" and community_id in self.community_ids
        )

    def covers(self, scope: Scope) -> bool:
        """Whether the token's scope covers a team's or an activity's scope."""
        return self.covers_community(scope.community_id) or (
            self.role == "organizer" and scope.team_id in self.team_ids
        )

    def covers_team(self, team: Team) -> bool:
        return self.covers(Scope(team.community_id, team.id))

    def covers_activity(self, activity: Activity) -> bool:
        return self.covers(Scope(activity.community_id, activity.team_id))

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
    )


def unauthorized(detail: str) -> Problem:
    return Problem(401, "unauthorized", detail, {"WWW-Authenticate": "Bearer"})


def forbidden(detail: str = "令牌的权限范围不包括此操作") -> Problem:
    return Problem(403, "forbidden", detail)


def require(allowed: bool, detail: str = "令牌的权限范围不包括此操作") -> None:
    if not allowed:
        raise forbidden(detail)


def may_read_member(
    system: System, principal: Principal, member_id: UUID, community_id: UUID
) -> bool:
    """Admins, the member itself, and organizers whose scope covers the member's
    community or one of the member's teams."""
    if principal.is_admin or principal.is_member(member_id):
        return True
    if principal.role != "organizer":
        return False
    if community_id in principal.community_ids:
        return True
    for team_id in principal.team_ids:
        try:
            if member_id in system.app.team(team_id).members:
                return True
        except NotFound:
            continue
    return False

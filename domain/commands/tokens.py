"""Access tokens: issued with a role and scope, found by their secret, revoked."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.access import AccessToken, token_digest
from domain.commands.saving import ApplicationBase, in_turn, retried
from domain.community import Community
from domain.idempotency import RequestKey
from domain.inputs import optional_text
from domain.member import Member
from domain.results import TokenIssued, TokenRevoked
from domain.team import Team
from domain.tree import District, Street


class TokenCommands(ApplicationBase):
    @retried
    def issue_token(
        self,
        secret: str,
        role: str,
        actor: str,
        community_ids: Sequence[UUID] = (),
        team_ids: Sequence[UUID] = (),
        member_id: UUID | None = None,
        label: str | None = None,
        district_ids: Sequence[UUID] = (),
        street_ids: Sequence[UUID] = (),
        *,
        request: RequestKey | None = None,
    ) -> TokenIssued:
        places = [*district_ids, *street_ids, *community_ids, *team_ids]
        AccessToken.check_scope(role, places, member_id)
        for district_id in district_ids:
            self._check_reference(District, district_id, "district_ids", "区县")
        for street_id in street_ids:
            self._check_reference(Street, street_id, "street_ids", "街道")
        for community_id in community_ids:
            self._check_reference(Community, community_id, "community_ids", "社区")
        for team_id in team_ids:
            self._check_reference(Team, team_id, "team_ids", "志愿服务队")
        if member_id is not None:
            self._check_reference(Member, member_id, "member_id", "志愿者")
        token = AccessToken(
            digest=token_digest(secret),
            role=role,
            community_ids=sorted(set(community_ids), key=str),
            team_ids=sorted(set(team_ids), key=str),
            district_ids=sorted(set(district_ids), key=str),
            street_ids=sorted(set(street_ids), key=str),
            member_id=member_id,
            label=optional_text(label, "label"),
            actor=actor,
        )
        issued = TokenIssued(
            token.id,
            token.role,
            list(token.community_ids),
            list(token.team_ids),
            token.member_id,
            token.label,
            list(token.district_ids),
            list(token.street_ids),
        )
        return self._saved(issued, token, request=request)

    @in_turn("token_id")
    def revoke_token(
        self, token_id: UUID, actor: str, *, request: RequestKey | None = None
    ) -> TokenRevoked:
        token = self._load(AccessToken, token_id, "令牌")
        changed = token.revoke(actor)
        return self._saved(TokenRevoked(token.id, changed), token, request=request)

    def token_for(self, secret: str) -> AccessToken | None:
        """The token whose secret this is, if it was issued and is not revoked."""
        digest = token_digest(secret)
        try:
            token: Aggregate = self.repository.get(AccessToken.create_id(digest))
        except AggregateNotFoundError:
            return None
        if not isinstance(token, AccessToken) or token.revoked:
            return None
        return token if hmac.compare_digest(token.digest, digest) else None

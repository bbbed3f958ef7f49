from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from fastapi import APIRouter

from api import deps, permissions
from api.schemas.requests import TokenCreate
from api.schemas.responses import TokenIssued, TokenPage, TokenRevoked
from api.services import tokens
from domain import results

router = APIRouter(prefix="/v1/tokens", tags=["tokens"])


@router.post(
    "", status_code=201, response_model=TokenIssued, operation_id="create_token"
)
def create_token(
    body: TokenCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> TokenIssued:
    """Issue a token (shown once, stored only as a hash); admins only."""
    permissions.can_administer(principal, "只有管理员可以签发令牌")
    secret = tokens.new_secret()
    issue = write.app.issue_token
    issued = write(body, issue, secret, actor=principal.id, **dict(body))
    return TokenIssued(token=None if write.replayed else secret, **asdict(issued))


@router.delete("/{token_id}", response_model=TokenRevoked, operation_id="revoke_token")
def revoke_token(
    token_id: UUID, principal: deps.PrincipalDep, write: deps.WriteDep
) -> results.TokenRevoked:
    """Revoke a token: it is refused from the next request on; admins only."""
    permissions.can_administer(principal, "只有管理员可以撤销令牌")
    return write(None, write.app.revoke_token, token_id, principal.id)


@router.get(
    "", response_model=TokenPage, operation_id="list_tokens", dependencies=deps.READ
)
def list_tokens(
    principal: deps.PrincipalDep,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The tokens issued, revoked ones marked; never their secrets (admins only)."""
    permissions.can_administer(principal, "只有管理员可以查看令牌")
    page = system.queries.tokens(limit, cursor)
    named = [i | {"places": tokens.scope_places(system, i)} for i in page["items"]]
    page["items"] = named
    return page

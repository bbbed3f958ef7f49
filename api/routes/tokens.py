from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.auth import require
from api.deps import IdempotencyDep, PrincipalDep, SystemDep
from api.schemas import TokenCreate, TokenCreated, TokenRevoked
from domain.application import Decision

router = APIRouter(prefix="/v1/tokens", tags=["tokens"])


def new_secret() -> str:
    return "vp_" + secrets.token_urlsafe(32)


@router.post(
    "", status_code=201, response_model=TokenCreated, operation_id="create_token"
)
def create_token(
    body: TokenCreate, principal: PrincipalDep, idem: IdempotencyDep, system: SystemDep
) -> JSONResponse:
    """Issue a token (shown once, stored only as a hash); admins only."""
    require(principal.is_admin, "只有管理员可以签发令牌")
    secret = new_secret()

    def answer(d: Decision) -> dict[str, Any]:
        return {"token": None, "id": d.id} | body.model_dump()

    return idem.answer(
        201,
        body,
        lambda extra: system.app.issue_token(
            secret,
            body.role,
            principal.id,
            community_ids=body.community_ids,
            team_ids=body.team_ids,
            member_id=body.member_id,
            label=body.label,
            extra=extra,
        ),
        answer,
        shown_once={"token": secret},
    )


@router.delete("/{token_id}", response_model=TokenRevoked, operation_id="revoke_token")
def revoke_token(
    token_id: UUID, principal: PrincipalDep, idem: IdempotencyDep, system: SystemDep
) -> JSONResponse:
    """Revoke a token: it is refused from the next request on; admins only."""
    require(principal.is_admin, "只有管理员可以撤销令牌")
    return idem.answer(
        200,
        None,
        lambda extra: system.app.revoke_token(token_id, principal.id, extra=extra),
        lambda d: {"id": token_id, "revoked": True},
    )

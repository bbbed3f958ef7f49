from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.auth import require
from api.deps import (
    Consistent,
    IdempotencyDep,
    Limit,
    PageCursor,
    PrincipalDep,
    SystemDep,
    YearDep,
)
from api.schemas import CommunityCreate, CommunityPublic, Leaderboard, MemberPage, Stats
from domain.application import Decision

router = APIRouter(prefix="/v1/communities", tags=["communities"])


@router.post(
    "", status_code=201, response_model=CommunityPublic, operation_id="create_community"
)
def create_community(
    body: CommunityCreate,
    principal: PrincipalDep,
    idem: IdempotencyDep,
    system: SystemDep,
) -> JSONResponse:
    """Register a residential community (社区); admins only."""
    require(principal.is_admin, "只有管理员可以创建社区")

    def answer(d: Decision) -> dict[str, Any]:
        return {"id": d.id, "name": body.name.strip(), "street": body.street}

    return idem.answer(
        201,
        body,
        lambda extra: system.app.register_community(
            body.name, body.street, principal.id, extra=extra
        ),
        answer,
    )


@router.get(
    "/{community_id}/stats",
    response_model=Stats,
    operation_id="get_community_stats",
    dependencies=[Consistent],
)
def get_community_stats(
    community_id: UUID, year: YearDep, principal: PrincipalDep, system: SystemDep
) -> dict[str, Any]:
    """A community's yearly figures: teams, volunteers, 人次, 人均年积分, 双报到."""
    system.app.community(community_id)
    return system.queries.stats(str(community_id), year)


@router.get(
    "/{community_id}/members",
    response_model=MemberPage,
    operation_id="list_community_members",
    dependencies=[Consistent],
)
def list_community_members(
    community_id: UUID,
    principal: PrincipalDep,
    system: SystemDep,
    limit: Limit = 50,
    cursor: PageCursor = None,
) -> dict[str, Any]:
    """Members registered with a community; admins and organizers in scope."""
    system.app.community(community_id)
    require(principal.covers_community(community_id))
    return system.queries.community_members(str(community_id), limit, cursor)


@router.get(
    "/{community_id}/leaderboard",
    response_model=Leaderboard,
    operation_id="get_leaderboard",
    dependencies=[Consistent],
)
def get_leaderboard(
    community_id: UUID,
    year: YearDep,
    principal: PrincipalDep,
    system: SystemDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 10,
) -> dict[str, Any]:
    """Members ranked by annual points; admins and organizers in scope."""
    system.app.community(community_id)
    require(principal.covers_community(community_id))
    return system.queries.leaderboard(str(community_id), year, limit)


@router.get(
    "/{community_id}/double-reports",
    operation_id="get_community_double_reports",
    dependencies=[Consistent],
)
def get_community_double_reports(
    community_id: UUID, principal: PrincipalDep, system: SystemDep
) -> dict[str, Any]:
    """Units and members double-reported (双报到) to a community."""
    system.app.community(community_id)
    require(principal.covers_community(community_id))
    return system.queries.community_double_reports(str(community_id))

"""Dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from eventsourcing.domain import Aggregate
from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import Principal, authenticate, bootstrap_admin, require
from api.system import System
from api.writes import MAX_KEY_LENGTH, Write
from domain.activity import Activity
from domain.rules import local_date
from domain.team import Team

bearer = HTTPBearer(auto_error=False, description="令牌：管理员、组织者或志愿者")


async def get_system(request: Request) -> System:
    system: System = request.app.state.system
    return system


SystemDep = Annotated[System, Depends(get_system)]


async def get_principal(
    system: SystemDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    header = None
    if credentials is not None:
        header = f"{credentials.scheme} {credentials.credentials}"
    principal = bootstrap_admin(system, header)
    if principal is not None:
        return principal
    return await run_in_threadpool(authenticate, system, header)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_write(
    request: Request,
    response: Response,
    system: SystemDep,
    principal: PrincipalDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=MAX_KEY_LENGTH,
            description="重试时带上相同的键，只生效一次",
        ),
    ] = None,
) -> Write:
    return Write(
        system.app,
        principal,
        idempotency_key,
        request.method,
        request.url.path,
        response,
    )


WriteDep = Annotated[Write, Depends(get_write)]


async def get_year(
    system: SystemDep,
    year: Annotated[
        int | None, Query(ge=1949, le=2200, description="年份（上海时间），默认今年")
    ] = None,
) -> int:
    """The year asked for, or the current year in Asia/Shanghai by the
    application's clock."""
    return local_date(system.app.clock()).year if year is None else year


YearDep = Annotated[int, Depends(get_year)]


async def wait_for_position(
    system: SystemDep,
    principal: PrincipalDep,
    min_position: Annotated[
        int | None,
        Query(
            ge=0,
            le=2**62,
            description="至少反映到此事件日志位置（写入返回的 position）",
        ),
    ] = None,
) -> None:
    if min_position:
        await run_in_threadpool(system.wait_for, min_position)


Consistent = Depends(wait_for_position)


def read_router(prefix: str, tag: str) -> APIRouter:
    """A resource's reads: each needs a token, takes ``min_position`` and waits
    for the read models to reach it."""
    return APIRouter(
        prefix=prefix, tags=[tag], dependencies=[Depends(get_principal), Consistent]
    )


async def community_in_scope(
    community_id: UUID, system: SystemDep, principal: PrincipalDep
) -> UUID:
    """A community that exists (else 404) and that the token's scope covers
    (else 403)."""
    await system.read(system.app.community, community_id)
    require(principal.covers_community(community_id))
    return community_id


CommunityInScope = Annotated[UUID, Depends(community_in_scope)]


async def covered(
    system: System, principal: Principal, aggregate_id: UUID, kind: type[Aggregate]
) -> UUID:
    """The id of a team or an activity that exists (else 404) and that the
    token's scope covers (else 403)."""
    scope = await system.read(system.app.scope_of, aggregate_id, kind)
    require(principal.covers(scope))
    return aggregate_id


async def activity_in_scope(
    activity_id: UUID, system: SystemDep, principal: PrincipalDep
) -> UUID:
    return await covered(system, principal, activity_id, Activity)


async def team_in_scope(
    team_id: UUID, system: SystemDep, principal: PrincipalDep
) -> UUID:
    return await covered(system, principal, team_id, Team)


ActivityInScope = Annotated[UUID, Depends(activity_in_scope)]
TeamInScope = Annotated[UUID, Depends(team_in_scope)]

Limit = Annotated[int, Query(ge=1, le=500, description="每页条数")]
PageCursor = Annotated[
    str | None, Query(max_length=512, description="上一页返回的 next_cursor")
]

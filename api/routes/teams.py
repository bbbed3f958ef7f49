from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
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
from api.schemas import (
    TeamCreate,
    TeamCreated,
    TeamDissolve,
    TeamFigures,
    TeamMemberAdd,
    TeamMembership,
    TeamPage,
)
from domain.errors import NotFound
from domain.team import Team

router = APIRouter(prefix="/v1/teams", tags=["teams"])


@router.post(
    "", status_code=201, response_model=TeamCreated, operation_id="create_team"
)
def create_team(
    body: TeamCreate, principal: PrincipalDep, idem: IdempotencyDep, system: SystemDep
) -> JSONResponse:
    """Found a volunteer service team (志愿服务队) in a community."""
    require(principal.covers_community(body.community_id))
    return idem.answer(
        201,
        body,
        lambda extra: system.app.found_team(
            body.name, body.community_id, principal.id, extra=extra
        ),
        lambda d: {
            "id": d.id,
            "name": body.name.strip(),
            "community_id": body.community_id,
        },
    )


@router.post(
    "/{team_id}/members",
    status_code=201,
    response_model=TeamMembership,
    operation_id="add_team_member",
    responses={200: {"description": "已在队中，未作改变", "model": TeamMembership}},
)
def add_team_member(
    team_id: UUID,
    body: TeamMemberAdd,
    principal: PrincipalDep,
    idem: IdempotencyDep,
    system: SystemDep,
) -> JSONResponse:
    """Add a member to a team; 200 if they were already in it."""
    require(principal.covers(system.app.scope_of(team_id, Team)))
    return idem.answer(
        lambda d: 201 if d.value else 200,
        body,
        lambda extra: system.app.join_team(
            team_id, body.member_id, principal.id, extra=extra
        ),
        lambda d: {"team_id": team_id, "member_id": body.member_id, "member": True},
    )


@router.delete(
    "/{team_id}/members/{member_id}",
    response_model=TeamMembership,
    operation_id="remove_team_member",
)
def remove_team_member(
    team_id: UUID,
    member_id: UUID,
    principal: PrincipalDep,
    idem: IdempotencyDep,
    system: SystemDep,
) -> JSONResponse:
    """Take a member out of a team."""
    require(principal.covers(system.app.scope_of(team_id, Team)))
    return idem.answer(
        200,
        None,
        lambda extra: system.app.leave_team(
            team_id, member_id, principal.id, extra=extra
        ),
        lambda d: {"team_id": team_id, "member_id": member_id, "member": False},
    )


@router.post(
    "/{team_id}/dissolve", response_model=TeamCreated, operation_id="dissolve_team"
)
def dissolve_team(
    team_id: UUID,
    body: TeamDissolve,
    principal: PrincipalDep,
    idem: IdempotencyDep,
    system: SystemDep,
) -> JSONResponse:
    """Dissolve a team: it no longer counts among the community's teams."""
    team = system.app.team(team_id)
    require(principal.covers_team(team))
    return idem.answer(
        200,
        body,
        lambda extra: system.app.dissolve_team(
            team_id, body.reason, principal.id, extra=extra
        ),
        lambda d: {"id": team_id, "name": team.name, "community_id": team.community_id},
    )


@router.get(
    "/{team_id}",
    response_model=TeamFigures,
    operation_id="get_team",
    dependencies=[Consistent],
)
def get_team(
    team_id: UUID, year: YearDep, principal: PrincipalDep, system: SystemDep
) -> dict[str, Any]:
    """A team and its yearly figures: members, activities, 人次, hours, points."""
    system.app.scope_of(team_id, Team)
    figures = system.projected(system.queries.team, str(team_id), year)
    if figures is None:
        raise NotFound(f"志愿服务队 {team_id} 不存在")
    return figures


@router.get(
    "", response_model=TeamPage, operation_id="list_teams", dependencies=[Consistent]
)
def list_teams(
    principal: PrincipalDep,
    system: SystemDep,
    community_id: UUID | None = None,
    limit: Limit = 50,
    cursor: PageCursor = None,
) -> dict[str, Any]:
    """Teams, optionally of one community."""
    return system.queries.teams(
        None if community_id is None else str(community_id), limit, cursor
    )

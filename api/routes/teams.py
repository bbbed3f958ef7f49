from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from api import deps
from api.auth import require
from api.schemas.requests import TeamCreate, TeamDissolve, TeamMemberAdd
from api.schemas.responses import TeamCreated, TeamFigures, TeamMembership, TeamPage
from domain.errors import NotFound
from domain.results import TeamDissolved, TeamFounded, TeamMembershipChanged
from domain.team import Team

router = APIRouter(prefix="/v1/teams", tags=["teams"])
reads = deps.read_router("/v1/teams", "teams")


@router.post(
    "", status_code=201, response_model=TeamCreated, operation_id="create_team"
)
def create_team(
    body: TeamCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> TeamFounded:
    """Found a volunteer service team (志愿服务队) in a community."""
    require(principal.covers_community(body.community_id))
    return write(body, write.app.found_team, actor=principal.id, **dict(body))


@router.post(
    "/{team_id}/members",
    status_code=201,
    response_model=TeamMembership,
    operation_id="add_team_member",
    responses={200: {"description": "已在队中，未作改变", "model": TeamMembership}},
)
def add_team_member(
    team_id: deps.TeamInScope,
    body: TeamMemberAdd,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    response: Response,
) -> TeamMembershipChanged:
    """Add a member to a team; 200 if they were already in it."""
    joined = write(body, write.app.join_team, team_id, actor=principal.id, **dict(body))
    response.status_code = 201 if joined.changed else 200
    return joined


@router.delete(
    "/{team_id}/members/{member_id}",
    response_model=TeamMembership,
    operation_id="remove_team_member",
)
def remove_team_member(
    team_id: deps.TeamInScope,
    member_id: UUID,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> TeamMembershipChanged:
    """Take a member out of a team."""
    return write(None, write.app.leave_team, team_id, member_id, principal.id)


@router.post(
    "/{team_id}/dissolve", response_model=TeamCreated, operation_id="dissolve_team"
)
def dissolve_team(
    team_id: deps.TeamInScope,
    body: TeamDissolve,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> TeamDissolved:
    """Dissolve a team: it no longer counts among the community's teams."""
    return write(
        body, write.app.dissolve_team, team_id, actor=principal.id, **dict(body)
    )


@reads.get("/{team_id}", response_model=TeamFigures, operation_id="get_team")
def get_team(team_id: UUID, year: deps.YearDep, system: deps.SystemDep) -> Any:
    """A team and its yearly figures: members, activities, 人次, hours, points."""
    system.app.scope_of(team_id, Team)
    figures = system.projected(system.queries.team, str(team_id), year)
    if figures is None:
        raise NotFound(f"志愿服务队 {team_id} 不存在")
    return figures


@reads.get("", response_model=TeamPage, operation_id="list_teams")
def list_teams(
    system: deps.SystemDep,
    community_id: UUID | None = None,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """Teams, optionally of one community."""
    return system.queries.teams(
        None if community_id is None else str(community_id), limit, cursor
    )

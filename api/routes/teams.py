from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api import deps, permissions
from api.permissions import CanOrganiseTeam
from api.schemas.common import IsoDate
from api.schemas.figures import TeamFigures
from api.schemas.requests import TeamCreate, TeamDissolve, TeamMemberAdd
from api.schemas.responses import (
    TeamDissolved,
    TeamFounded,
    TeamMembershipChanged,
    TeamPage,
)
from api.schemas.teams import TeamMemberPage
from domain import results

router = APIRouter(prefix="/v1/teams", tags=["teams"])


@router.post(
    "", status_code=201, response_model=TeamFounded, operation_id="create_team"
)
def create_team(
    body: TeamCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> results.TeamFounded:
    """Found a volunteer service team (志愿服务队) in a community, on a date."""
    permissions.can_add_to_community(write.app, principal, body.community_id)
    return write(body, write.app.found_team, actor=principal.id, **dict(body))


@router.post(
    "/{team_id}/members",
    status_code=201,
    response_model=TeamMembershipChanged,
    operation_id="add_team_member",
    responses={
        200: {"description": "已在队中，未作改变", "model": TeamMembershipChanged}
    },
)
def add_team_member(
    team_id: CanOrganiseTeam,
    body: TeamMemberAdd,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    response: Response,
) -> results.TeamMembershipChanged:
    """Add a member to a team from a date; 200 if they were already in it."""
    joined = write(body, write.app.join_team, team_id, actor=principal.id, **dict(body))
    response.status_code = 201 if joined.changed else 200
    return joined


@router.delete(
    "/{team_id}/members/{member_id}",
    response_model=TeamMembershipChanged,
    operation_id="remove_team_member",
)
def remove_team_member(
    team_id: CanOrganiseTeam,
    member_id: UUID,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    left_on: Annotated[
        IsoDate | None, Query(description="退出日期（默认今天，上海时间）")
    ] = None,
) -> results.TeamMembershipChanged:
    """Take a member out of a team from a date."""
    leave = write.app.leave_team
    dated = None if left_on is None else {"left_on": left_on}
    return write(dated, leave, team_id, member_id, principal.id, left_on)


@router.post(
    "/{team_id}/dissolve", response_model=TeamDissolved, operation_id="dissolve_team"
)
def dissolve_team(
    team_id: CanOrganiseTeam,
    body: TeamDissolve,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.TeamDissolved:
    """Dissolve a team from a date: it no longer counts among the community's teams."""
    return write(
        body, write.app.dissolve_team, team_id, actor=principal.id, **dict(body)
    )


@router.get(
    "/{team_id}",
    response_model=TeamFigures,
    operation_id="get_team",
    dependencies=deps.READ,
)
def get_team(
    team_id: deps.KnownTeam, period: deps.PeriodDep, system: deps.SystemDep
) -> Any:
    """A team and its figures for a year as of a date: members, activities, 人次,
    hours, points."""
    team = str(team_id)
    return deps.record_of(
        system,
        system.queries.team,
        team,
        period.year,
        period.on,
        what=f"志愿服务队 {team}",
    )


@router.get(
    "/{team_id}/members",
    response_model=TeamMemberPage,
    operation_id="list_team_members",
    dependencies=deps.READ,
)
def list_team_members(
    team_id: CanOrganiseTeam,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """Each period a member was in the team, in the order they joined, with the
    dates it joined and left (null while still in it); admins and organizers
    covering the team."""
    return system.queries.team_members(str(team_id), limit, cursor)


@router.get(
    "", response_model=TeamPage, operation_id="list_teams", dependencies=deps.READ
)
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

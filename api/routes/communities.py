from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api import deps, permissions
from api.permissions import CanOrganiseCommunity
from api.schemas.figures import Leaderboard, Stats
from api.schemas.requests import CommunityCreate
from api.schemas.responses import (
    CommunityPlace,
    CommunityPlacePage,
    CommunityRegistered,
    GridPage,
    MemberPage,
)
from domain import results
from domain.errors import NotFound

router = APIRouter(prefix="/v1/communities", tags=["communities"])


@router.post(
    "",
    status_code=201,
    response_model=CommunityRegistered,
    operation_id="create_community",
)
def create_community(
    body: CommunityCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> results.CommunityRegistered:
    """Register a residential community (社区), in a street or none; admins only."""
    permissions.can_administer(principal, "只有管理员可以创建社区")
    return write(body, write.app.register_community, actor=principal.id, **dict(body))


@router.get(
    "",
    response_model=CommunityPlacePage,
    operation_id="find_communities",
    dependencies=deps.READ,
)
def find_communities(
    principal: deps.PrincipalDep,
    system: deps.SystemDep,
    q: Annotated[str, Query(max_length=50, description="名称中的字")] = "",
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The communities the token covers (every one, for administrators)
    whose name, street or district holds ``q``, by name, with their street
    and district: how a place is found among a province's communities."""
    within = None
    if not principal.is_admin:
        within = (
            {str(i) for i in principal.district_ids},
            {str(i) for i in principal.street_ids},
            {str(i) for i in principal.community_ids},
        )
        if principal.role != "organizer":
            within = (set(), set(), set())
    return system.queries.communities_matching(q.strip(), within, limit, cursor)


@router.get(
    "/{community_id}",
    response_model=CommunityPlace,
    operation_id="get_community",
    dependencies=deps.READ,
)
def get_community(
    community_id: CanOrganiseCommunity, system: deps.SystemDep
) -> dict[str, Any]:
    """A community with its street and district (admins, and organisers
    whose scope covers it)."""
    found = system.queries.community(str(community_id))
    if found is None:
        raise NotFound(f"社区 {community_id} 不存在")
    return found


@router.get(
    "/{community_id}/stats",
    response_model=Stats,
    response_model_exclude_unset=True,
    operation_id="get_community_stats",
    dependencies=deps.READ,
)
def get_community_stats(
    community_id: deps.KnownCommunity, period: deps.PeriodDep, system: deps.SystemDep
) -> dict[str, Any]:
    """A community's figures for a year as of a date: teams, 人次, 人均年积分."""
    return deps.figures(system, "community", community_id, period)


@router.get(
    "/{community_id}/grids",
    response_model=GridPage,
    operation_id="list_community_grids",
    dependencies=deps.READ,
)
def list_community_grids(
    community_id: deps.KnownCommunity,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The grids (网格) of a community."""
    return system.queries.grids(str(community_id), limit, cursor)


@router.get(
    "/{community_id}/members",
    response_model=MemberPage,
    operation_id="list_community_members",
    dependencies=deps.READ,
)
def list_community_members(
    community_id: CanOrganiseCommunity,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
    q: Annotated[
        str | None,
        Query(max_length=50, description="只列出姓名或手机号包含此文字的志愿者"),
    ] = None,
) -> dict[str, Any]:
    """Members registered with a community, searched by name or phone with
    ``q``; admins and organizers in scope."""
    members = system.queries.community_members
    return members(str(community_id), limit, cursor, q)


@router.get(
    "/{community_id}/leaderboard",
    response_model=Leaderboard,
    operation_id="get_leaderboard",
    dependencies=deps.READ,
)
def get_leaderboard(
    community_id: CanOrganiseCommunity,
    period: deps.PeriodDep,
    system: deps.SystemDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 10,
) -> dict[str, Any]:
    """Members ranked by annual points; admins and organizers in scope."""
    return system.queries.leaderboard(str(community_id), period.year, period.on, limit)


@router.get(
    "/{community_id}/double-reports",
    operation_id="get_community_double_reports",
    dependencies=deps.READ,
)
def get_community_double_reports(
    community_id: CanOrganiseCommunity, system: deps.SystemDep
) -> dict[str, Any]:
    """Units and members double-reported (双报到) to a community."""
    return system.queries.community_double_reports(str(community_id))

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api import deps, permissions
from api.schemas.figures import Stats
from api.schemas.requests import StreetCreate
from api.schemas.responses import CommunityPage, StreetRegistered
from domain import results

router = APIRouter(prefix="/v1/streets", tags=["streets"])


@router.post(
    "", status_code=201, response_model=StreetRegistered, operation_id="create_street"
)
def create_street(
    body: StreetCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> results.StreetRegistered:
    """Register a street or township (街道/乡镇) of a district; admins only."""
    permissions.can_administer(principal, "只有管理员可以创建街道")
    return write(body, write.app.register_street, actor=principal.id, **dict(body))


@router.get(
    "/{street_id}/communities",
    response_model=CommunityPage,
    operation_id="list_street_communities",
    dependencies=deps.READ,
)
def list_street_communities(
    street_id: deps.KnownStreet,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The communities (社区/村) of a street."""
    return system.queries.communities(str(street_id), limit, cursor)


@router.get(
    "/{street_id}/stats",
    response_model=Stats,
    response_model_exclude_unset=True,
    operation_id="get_street_stats",
    dependencies=deps.READ,
)
def get_street_stats(
    street_id: deps.KnownStreet, period: deps.PeriodDep, system: deps.SystemDep
) -> dict[str, Any]:
    """A street's figures for a year as of a date, with its communities and grids."""
    return deps.figures(system, "street", street_id, period)

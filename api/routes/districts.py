from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api import deps, permissions
from api.schemas.figures import Stats
from api.schemas.requests import DistrictCreate
from api.schemas.responses import DistrictPage, DistrictRegistered, StreetPage
from domain import results

router = APIRouter(prefix="/v1/districts", tags=["districts"])


@router.post(
    "",
    status_code=201,
    response_model=DistrictRegistered,
    operation_id="create_district",
)
def create_district(
    body: DistrictCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> results.DistrictRegistered:
    """Register a district or county (区/县); admins only."""
    permissions.can_administer(principal, "只有管理员可以创建区县")
    return write(body, write.app.register_district, actor=principal.id, **dict(body))


@router.get(
    "",
    response_model=DistrictPage,
    operation_id="list_districts",
    dependencies=deps.READ,
)
def list_districts(
    system: deps.SystemDep, limit: deps.Limit = 50, cursor: deps.PageCursor = None
) -> dict[str, Any]:
    """The districts of the deployment."""
    return system.queries.districts(limit, cursor)


@router.get(
    "/{district_id}/streets",
    response_model=StreetPage,
    operation_id="list_district_streets",
    dependencies=deps.READ,
)
def list_district_streets(
    district_id: deps.KnownDistrict,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The streets (街道/乡镇) of a district."""
    return system.queries.streets(str(district_id), limit, cursor)


@router.get(
    "/{district_id}/stats",
    response_model=Stats,
    response_model_exclude_unset=True,
    operation_id="get_district_stats",
    dependencies=deps.READ,
)
def get_district_stats(
    district_id: deps.KnownDistrict, period: deps.PeriodDep, system: deps.SystemDep
) -> dict[str, Any]:
    """A district's figures for a year as of a date, with its communities and grids."""
    return deps.figures(system, "district", district_id, period)

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api import deps, permissions
from api.schemas.figures import Stats
from api.schemas.requests import GridCreate
from api.schemas.responses import GridRegistered
from domain import results

router = APIRouter(prefix="/v1/grids", tags=["grids"])


@router.post(
    "", status_code=201, response_model=GridRegistered, operation_id="create_grid"
)
def create_grid(
    body: GridCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> results.GridRegistered:
    """Register a grid (网格) of a community, with or without a party organisation."""
    permissions.can_add_to_community(write.app, principal, body.community_id)
    return write(body, write.app.register_grid, actor=principal.id, **dict(body))


@router.get(
    "/{grid_id}/stats",
    response_model=Stats,
    response_model_exclude_unset=True,
    operation_id="get_grid_stats",
    dependencies=deps.READ,
)
def get_grid_stats(
    grid_id: deps.KnownGrid, period: deps.PeriodDep, system: deps.SystemDep
) -> dict[str, Any]:
    """A grid's figures for a year as of a date: its members' 人次, hours, points."""
    return deps.figures(system, "grid", grid_id, period)

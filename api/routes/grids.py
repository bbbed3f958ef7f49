from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api import deps
from api.auth import require
from api.schemas.figures import Stats
from api.schemas.requests import GridCreate
from api.schemas.responses import GridPublic
from domain.results import GridRegistered

router = APIRouter(prefix="/v1/grids", tags=["grids"])
reads = deps.read_router("/v1/grids", "grids")


@router.post("", status_code=201, response_model=GridPublic, operation_id="create_grid")
def create_grid(
    body: GridCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> GridRegistered:
    """Register a grid (网格) of a community, with or without a party organisation."""
    require(deps.covers_community(write.app, principal, body.community_id))
    return write(body, write.app.register_grid, actor=principal.id, **dict(body))


@reads.get(
    "/{grid_id}/stats",
    response_model=Stats,
    response_model_exclude_unset=True,
    operation_id="get_grid_stats",
)
def get_grid_stats(
    grid_id: deps.KnownGrid, period: deps.PeriodDep, system: deps.SystemDep
) -> dict[str, Any]:
    """A grid's figures for a year as of a date: its members' 人次, hours, points."""
    return deps.figures(system, "grid", grid_id, period)

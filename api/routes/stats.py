from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api import deps
from api.schemas.figures import Stats
from api.schemas.responses import Health

router = APIRouter(tags=["stats"])
reads = deps.read_router("/v1/stats", "stats")


@reads.get(
    "",
    response_model=Stats,
    response_model_exclude_unset=True,
    operation_id="get_stats",
)
def get_stats(period: deps.PeriodDep, system: deps.SystemDep) -> dict[str, Any]:
    """The whole deployment's figures for a year as of a date: teams, volunteers,
    人次, 人均年积分, 双报到, communities and grids."""
    return deps.figures(system, "all", None, period)


@router.get("/healthz", response_model=Health, operation_id="healthz", tags=["health"])
def healthz(system: deps.SystemDep) -> dict[str, Any]:
    """Liveness and how far the read models are behind the event log."""
    return {
        "status": "ok",
        "position": system.app.position(),
        "projected": system.projector.position,
    }

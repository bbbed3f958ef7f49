from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api import deps
from api.schemas.responses import Health, Stats

router = APIRouter(tags=["stats"])
reads = deps.read_router("/v1/stats", "stats")


@reads.get("", response_model=Stats, operation_id="get_stats")
def get_stats(year: deps.YearDep, system: deps.SystemDep) -> dict[str, Any]:
    """The district's yearly figures, as published: teams, volunteers, 人次,
    人均年积分, 双报到."""
    return system.queries.stats(None, year)


@router.get("/healthz", response_model=Health, operation_id="healthz", tags=["health"])
def healthz(system: deps.SystemDep) -> dict[str, Any]:
    """Liveness and how far the read models are behind the event log."""
    return {
        "status": "ok",
        "position": system.app.position(),
        "projected": system.projector.position,
    }

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api import deps
from api.problems import STALLED_RETRY_AFTER
from api.schemas.figures import Stats
from api.schemas.responses import Health

router = APIRouter(tags=["stats"])


@router.get(
    "/v1/stats",
    response_model=Stats,
    response_model_exclude_unset=True,
    operation_id="get_stats",
    dependencies=deps.READ,
)
def get_stats(period: deps.PeriodDep, system: deps.SystemDep) -> dict[str, Any]:
    """The whole deployment's figures for a year as of a date: teams, volunteers,
    人次, 人均年积分, 双报到, communities and grids."""
    return deps.figures(system, "all", None, period)


@router.get(
    "/healthz",
    response_model=Health,
    response_model_exclude_none=True,
    operation_id="healthz",
    tags=["health"],
    responses={
        503: {
            "model": Health,
            "description": "读模型停在无法应用的事件上 (status: stalled)",
        }
    },
)
def healthz(system: deps.SystemDep, response: Response) -> dict[str, Any]:
    """Liveness, how far the read models are behind the event log, and the
    event the projection stopped at if it cannot apply one (503)."""
    health = system.health()
    if health["status"] == "stalled":
        response.status_code = 503
        response.headers["Retry-After"] = STALLED_RETRY_AFTER
    return health

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client.exposition import choose_encoder

from api import deps, permissions
from api.metrics import Metrics

router = APIRouter(tags=["operations"])


@router.get("/metrics", operation_id="get_metrics", include_in_schema=False)
async def get_metrics(
    request: Request, system: deps.SystemDep, principal: deps.PrincipalDep
) -> Response:
    """Requests by operation, the event log and projection positions, and write
    conflicts retried, in Prometheus text format; admins only."""
    permissions.can_administer(principal, "只有管理员可以读取监控指标")
    metrics: Metrics = request.app.state.metrics
    encode, media_type = choose_encoder(request.headers.get("accept", ""))
    body = await system.read(encode, metrics.registry)
    return Response(body, media_type=media_type)

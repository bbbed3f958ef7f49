"""Prometheus metrics: requests by operation, positions in the event log, write
conflicts retried. Each API has a registry of its own, so that several in one
process (the tests make many) keep theirs apart."""

from __future__ import annotations

from time import perf_counter

from fastapi.routing import APIRoute
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.system import System

UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LABELS = ("operation", "method", "status")
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Metrics:
    """What the API counts, and what it reads from the system at scrape time."""

    def __init__(self, system: System) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "vpoints_http_requests",
            "HTTP requests answered, by operationId, method and status",
            LABELS,
            registry=self.registry,
        )
        self.latency = Histogram(
            "vpoints_http_request_duration_seconds",
            "Time to answer an HTTP request, by operationId, method and status",
            LABELS,
            registry=self.registry,
            buckets=BUCKETS,
        )
        self.registry.register(SystemCollector(system))
        # labels() checks and locks on every call: each request's series is
        # looked up once, then kept.
        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, operation: str, method: str, status: int, seconds: float) -> None:
        key = (operation, method, status)
        series = self._series.get(key)
        if series is None:
            labels = (operation, method, str(status))
            series = (self.requests.labels(*labels), self.latency.labels(*labels))
            self._series[key] = series
        series[0].inc()
        series[1].observe(seconds)


class SystemCollector:
    """The event log's position, the projection's, the lag between them and the
    write conflicts retried, read when scraped."""

    def __init__(self, system: System) -> None:
        self.system = system

    def describe(self) -> list[Metric]:
        return self.families(0, 0, 0)

    def collect(self) -> list[Metric]:
        # The projection first: read after the log, it could be ahead of it.
        projected = self.system.projection_position()
        position = self.system.app.position()
        return self.families(
            position, projected, self.system.app.write_conflicts_retried
        )

    @staticmethod
    def families(position: int, projected: int, retried: int) -> list[Metric]:
        return [
            GaugeMetricFamily(
                "vpoints_event_log_position",
                "The highest position in the event log",
                value=position,
            ),
            GaugeMetricFamily(
                "vpoints_projection_position",
                "The event log position the read models reflect",
                value=projected,
            ),
            GaugeMetricFamily(
                "vpoints_projection_lag_events",
                "Events recorded that the read models do not reflect yet",
                value=position - projected,
            ),
            CounterMetricFamily(
                "vpoints_write_conflicts_retried",
                "Commands run again because another writer saved one of their "
                "aggregates first",
                value=retried,
            ),
        ]


def operation_of(scope: Scope) -> str:
    """The operationId of the route that answered, or "unmatched"."""
    route = scope.get("route")
    if route is None:
        return UNMATCHED
    methods = getattr(route, "methods", None)
    if methods is not None and scope["method"] not in methods:
        # The router lets a route whose path matched refuse the method (405).
        return UNMATCHED
    if isinstance(route, APIRoute):
        return route.operation_id or route.unique_id
    name: str = getattr(route, "name", None) or UNMATCHED
    return name


class RequestMetrics:
    """Counts and times every HTTP request; a pure ASGI middleware, since the
    points read path is measured against a bare route."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        start = perf_counter()
        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            method = scope["method"]
            self.metrics.observe(
                operation_of(scope),
                method if method in METHODS else "other",
                status,
                perf_counter() - start,
            )

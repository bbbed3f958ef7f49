"""The HTTP application: routers, problem handlers, body limit, OpenAPI."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api import console, problems, routes
from api.metrics import Metrics, RequestMetrics
from api.settings import Settings
from api.system import System
from api.writes import EarlierAnswerReplayed, answer_as_recorded

MAX_BODY_BYTES = 1024 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
PROBLEM_STATUSES = {
    "401": "未认证（缺少或无效的令牌）",
    "403": "超出令牌的权限范围",
    "404": "路径中的 id 不存在 (not_found)",
    "409": "与当前状态冲突",
    "413": "请求体超过 1 MiB",
    "422": "请求不合法 (validation_error, unknown_reference, invalid_hours, ...)",
    "503": "连接池已满 (server_busy)、数据库无法连接 (database_unavailable)、"
    "读模型尚未追上 (not_caught_up)、停在无法应用的事件上 (projection_stalled) "
    "或并发写入到期仍冲突 (write_conflict)；见 Retry-After",
}
# Only a write can find the disk full.
WRITE_PROBLEM_STATUSES = {
    "507": "存储空间不足 (insufficient_storage)：写入未被接受，释放空间后重试；"
    "见 Retry-After",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


class BodyLimit:
    """Refuses request bodies over a size with 413, before any route runs: by
    their Content-Length, or, for chunked bodies, by reading them first."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = None
        chunked = False
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                length = int(value) if value.isdigit() else None
            elif name == b"transfer-encoding":
                chunked = True
        if length is not None and length > self.limit:
            await self._refuse(send)
            return
        if length is not None or not chunked:
            await self.app(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await self._refuse(send)
                return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        response = problems.problem_response(
            413, "payload_too_large", f"请求体不能超过 {self.limit} 字节"
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": response.raw_headers,
            }
        )
        await send({"type": "http.response.body", "body": response.body})


def create_app(
    settings: Settings | None = None, system: System | None = None
) -> FastAPI:
    """Builds the API around a system (made from the settings if not given)."""
    settings = settings or Settings()
    owned = system is None
    running = system or System(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        running.start()
        await running.open_reads()
        try:
            yield
        finally:
            await running.close_reads()
            if owned:
                running.close()

    app = FastAPI(
        title="志愿积分 volunteer-points",
        version="1.1.0",
        summary="党建引领社区志愿服务积分：每一分都可追溯到产生它的事件",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.system = running
    app.state.metrics = Metrics(running)
    problems.install(app)
    app.add_exception_handler(EarlierAnswerReplayed, answer_as_recorded)
    routes.install(app)
    console.install(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                routes=app.routes,
            )
            document_problems(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to customise the document
    app.add_middleware(BodyLimit)
    app.add_middleware(RequestMetrics, metrics=app.state.metrics)
    return app


def document_problems(schema: dict[str, Any]) -> None:
    """Declares the problem+json answers every operation may give."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
        PROBLEM_SCHEMA
    )
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            statuses = dict(PROBLEM_STATUSES)
            if method in WRITE_METHODS:
                statuses |= WRITE_PROBLEM_STATUSES
            if path == "/healthz":
                statuses = {
                    "503": "读模型停在无法应用的事件上 (status: stalled)，"
                    "或数据库不可用 (problem+json)"
                }
            if path == "/v1/certificates/{number}":
                statuses = {
                    "404": "编号不存在或格式不对，不是真实的证明 (genuine: false)",
                    "422": "min_position 不合法或超出事件日志末尾",
                    "503": PROBLEM_STATUSES["503"],
                }
            if path == "/v1/auth/sms-code":
                statuses["429"] = (
                    "请求验证码过于频繁 (too_many_requests)，见 Retry-After"
                )
            for status, description in statuses.items():
                content = {}
                if path == "/healthz":
                    # Its stalled 503 is a Health, beside the database's problem.
                    content = responses.get(status, {}).get("content", {})
                responses[status] = {
                    "description": description,
                    "content": content | {"application/problem+json": {"schema": ref}},
                }

"""RFC 9457 problem details: every error the API answers, mapped in one place."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import psycopg
import psycopg_pool
from eventsourcing.persistence import PersistenceError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from api.oidc import ProviderUnavailable
from api.system import NotCaughtUp, UnknownPosition
from api.wechat import WeChatUnavailable
from domain.errors import DomainError, RuleConflict, WriteConflict
from domain.sign_in import SignInRefused, TooManyRequests
from infrastructure.outages import is_busy, is_disk_full
from infrastructure.storage import StorageError
from projections.queries import BadCursor
from projections.runner import STALL_RETRY_SECONDS
from projections.stalls import ProjectionStalled

log = logging.getLogger("vpoints.api")

DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    sqlite3.Error,
    psycopg.Error,
    psycopg_pool.PoolTimeout,
    TimeoutError,
    ConnectionError,
)

# A full pool frees a connection as soon as a request ends; a database that
# cannot be reached takes longer to come back; a full disk waits for an
# operator to free space.
SERVER_BUSY_RETRY_AFTER = "1"
DATABASE_UNAVAILABLE_RETRY_AFTER = "2"
INSUFFICIENT_STORAGE_RETRY_AFTER = "30"

# A stalled projection tries its event again this often.
STALLED_RETRY_AFTER = str(round(STALL_RETRY_SECONDS))

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://vpoints.example.cn/problems/"

TITLES = {
    400: "请求有误",
    401: "未认证",
    403: "无权操作",
    404: "不存在",
    405: "不支持的方法",
    409: "与当前状态冲突",
    413: "请求体过大",
    415: "不支持的媒体类型",
    422: "无法处理的请求",
    429: "请求过于频繁",
    500: "服务器内部错误",
    503: "服务暂不可用",
    507: "存储空间不足",
}

STATUS_BY_CODE = {
    "validation_error": 422,
    "invalid_hours": 422,
    "unknown_reference": 422,
    "not_found": 404,
}


class Problem(Exception):
    """Raised by the API layer to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions


def problem_response(
    status: int,
    code: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    body = {
        "type": TYPE_BASE + code,
        "title": TITLES.get(status, "错误"),
        "status": status,
        "detail": detail,
        "code": code,
        **extensions,
    }
    return JSONResponse(
        body, status_code=status, headers=headers, media_type=MEDIA_TYPE
    )


def _field_of(location: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(location[0] if location else "")


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """The methods the OpenAPI document gives for every template matching a path."""
    methods: set[str] = set()
    for template, operations in app.openapi().get("paths", {}).items():
        if compile_path(template)[0].match(path):
            methods |= {method.upper() for method in operations}
    return sorted(methods)


def database_problem(request: Request, error: BaseException) -> JSONResponse:
    """The answer to an error of the database, by what the operator does about
    it: 507 ``insufficient_storage`` for a full disk (free space; the write was
    rolled back), 503 ``server_busy`` for a full pool or a lock held beyond its
    timeout while the database answers (wait, or give the process a larger
    pool), 503 ``database_unavailable`` for a database that cannot be reached
    (the network or the database server)."""
    name = type(error).__name__
    if is_disk_full(error):
        log.error("insufficient storage: %s: %s", name, error)
        return problem_response(
            507,
            "insufficient_storage",
            "存储空间不足，写入未被接受，请稍后重试",
            {"Retry-After": INSUFFICIENT_STORAGE_RETRY_AFTER},
        )
    system = getattr(request.app.state, "system", None)
    pools = [] if system is None else system.pools
    if is_busy(error, pools):
        log.warning("server busy: %s", name)
        return problem_response(
            503,
            "server_busy",
            "服务器繁忙，请稍后重试",
            {"Retry-After": SERVER_BUSY_RETRY_AFTER},
        )
    log.error("database unavailable: %s", name)
    return problem_response(
        503,
        "database_unavailable",
        "数据库暂不可用，请稍后重试",
        {"Retry-After": DATABASE_UNAVAILABLE_RETRY_AFTER},
    )


def install(app: FastAPI) -> None:
    """Registers the exception handlers that turn errors into problems."""

    @app.exception_handler(Problem)
    async def on_problem(_: Request, error: Problem) -> JSONResponse:
        return problem_response(
            error.status, error.code, error.detail, error.headers, **error.extensions
        )

    @app.exception_handler(DomainError)
    async def on_domain_error(_: Request, error: DomainError) -> JSONResponse:
        if isinstance(error, WriteConflict):
            return problem_response(
                503, error.code, error.message, {"Retry-After": "1"}
            )
        if isinstance(error, TooManyRequests):
            wait = {"Retry-After": str(error.retry_after)}
            return problem_response(429, error.code, error.message, wait)
        if isinstance(error, SignInRefused):
            refusal: dict[str, Any] = error.extensions()
            return problem_response(401, error.code, error.message, None, **refusal)
        status = (
            409
            if isinstance(error, RuleConflict)
            else STATUS_BY_CODE.get(error.code, 422)
        )
        field = getattr(error, "field", None)
        extensions: dict[str, Any] = error.extensions()
        if field and status == 422:
            extensions["errors"] = [{"field": field, "message": error.message}]
        return problem_response(status, error.code, error.message, **extensions)

    @app.exception_handler(WeChatUnavailable)
    async def on_wechat_down(_: Request, error: WeChatUnavailable) -> JSONResponse:
        wait = {"Retry-After": "5"}
        return problem_response(503, "wechat_unavailable", str(error), wait)

    @app.exception_handler(ProviderUnavailable)
    async def on_provider_down(_: Request, error: ProviderUnavailable) -> JSONResponse:
        wait = {"Retry-After": "5"}
        return problem_response(503, "identity_provider_unavailable", str(error), wait)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field_of(e.get("loc", ())), "message": str(e.get("msg", ""))}
            for e in error.errors()
        ]
        fields = ", ".join(sorted({e["field"] for e in errors})) or "body"
        return problem_response(
            422, "validation_error", f"请求内容不合法: {fields}", errors=errors
        )

    @app.exception_handler(BadCursor)
    async def on_bad_cursor(_: Request, error: BadCursor) -> JSONResponse:
        return problem_response(
            422,
            "validation_error",
            str(error),
            errors=[{"field": "cursor", "message": str(error)}],
        )

    @app.exception_handler(UnknownPosition)
    async def on_unknown_position(_: Request, error: UnknownPosition) -> JSONResponse:
        return problem_response(
            422,
            "unknown_position",
            f"min_position {error} 超出了事件日志的末尾",
            errors=[{"field": "min_position", "message": "超出事件日志末尾"}],
        )

    @app.exception_handler(NotCaughtUp)
    async def on_not_caught_up(_: Request, error: NotCaughtUp) -> JSONResponse:
        return problem_response(
            503,
            "not_caught_up",
            f"读模型尚未处理到位置 {error}，请稍后重试",
            {"Retry-After": "1"},
        )

    @app.exception_handler(ProjectionStalled)
    async def on_stalled(_: Request, error: ProjectionStalled) -> JSONResponse:
        stall = error.stall
        return problem_response(
            503,
            "projection_stalled",
            f"读模型停在位置 {stall.position} 的事件上，无法应用它（{stall.error}），"
            "修复之前读不到这个位置及以后的事件",
            {"Retry-After": STALLED_RETRY_AFTER},
            projection=stall.projection,
            stalled_at=stall.position,
            error=stall.error,
        )

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:
            # FastAPI's answer to a body it cannot decode (not UTF-8, say): the
            # same client mistake as malformed JSON, so the same 422.
            return problem_response(
                422,
                "validation_error",
                "请求体无法解析",
                errors=[{"field": "body", "message": str(error.detail)}],
            )
        code = {
            404: "not_found",
            405: "method_not_allowed",
        }.get(error.status_code, "http_error")
        headers = dict(error.headers or {})
        if error.status_code == 405:
            # The router names only the methods of the first route that matched
            # the path; Allow must name every method the path takes.
            allowed = allowed_methods(request.app, request.url.path)
            if allowed:
                headers["Allow"] = ", ".join(allowed)
        return problem_response(error.status_code, code, str(error.detail), headers)

    @app.exception_handler(PersistenceError)
    async def on_database_error(
        request: Request, error: PersistenceError
    ) -> JSONResponse:
        return database_problem(request, error)

    @app.exception_handler(StorageError)
    async def on_storage_error(request: Request, error: StorageError) -> JSONResponse:
        return database_problem(request, error)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        if isinstance(error, DATABASE_ERRORS) or is_disk_full(error):
            return database_problem(request, error)
        log.exception("unexpected error")
        return problem_response(500, "internal_error", "服务器内部错误")

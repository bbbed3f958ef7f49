"""Idempotency-Key: the first successful answer is saved with the command's events."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from api.auth import Principal
from api.problems import Problem
from api.system import System
from domain.application import Decision, Extra, RequestAlreadyAnswered
from domain.idempotency import IdempotentRequest

MAX_KEY_LENGTH = 255

Body = Callable[[Decision], dict[str, Any]]


def fingerprint(method: str, path: str, payload: Any) -> str:
    canonical = json.dumps(
        jsonable_encoder(payload), sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


class Idempotency:
    """One write request: its key (if any), and how to answer it."""

    def __init__(
        self,
        system: System,
        principal: Principal,
        key: str | None,
        method: str,
        path: str,
    ) -> None:
        if key is not None and not 1 <= len(key) <= MAX_KEY_LENGTH:
            raise Problem(
                422,
                "validation_error",
                f"Idempotency-Key 长度应为 1 到 {MAX_KEY_LENGTH} 个字符",
                errors=[{"field": "Idempotency-Key", "message": "长度不合法"}],
            )
        self.system = system
        self.principal = principal
        self.key = key
        self.method = method
        self.path = path

    def answer(
        self,
        status: int | Callable[[Decision], int],
        payload: Any,
        command: Callable[[Extra], Any],
        body: Body,
        shown_once: dict[str, Any] | None = None,
    ) -> JSONResponse:
        """Runs the command once per key, answering as the first time did.

        ``shown_once`` (a new token's secret) is in the first answer only; it is
        never stored, so a replay shows it as null."""
        request_id = None
        print_ = ""
        if self.key is not None:
            request_id = IdempotentRequest.create_id(self.principal.id, self.key)
            print_ = fingerprint(self.method, self.path, payload)
            replay = self._replay(request_id, print_)
            if replay is not None:
                return replay
        kept: dict[str, Any] = {}
        answered_status = [status if isinstance(status, int) else 200]

        def extra(decision: Decision) -> list[IdempotentRequest]:
            kept.clear()
            kept.update(jsonable_encoder(body(decision)))
            if not isinstance(status, int):
                answered_status[0] = status(decision)
            if self.key is None:
                return []
            return [
                IdempotentRequest(
                    principal=self.principal.id,
                    key=self.key,
                    fingerprint=print_,
                    status=answered_status[0],
                    body=dict(kept),
                )
            ]

        try:
            written = command(extra)
        except RequestAlreadyAnswered:
            replay = self._replay(request_id, print_)
            if replay is None:
                raise Problem(
                    409, "request_in_progress", "相同 Idempotency-Key 的请求正在处理"
                ) from None
            return replay
        at = int(written.position)
        return JSONResponse(
            kept | jsonable_encoder(shown_once or {}) | {"position": at},
            status_code=answered_status[0],
            headers={"X-Event-Position": str(at)},
        )

    def _replay(self, request_id: Any, print_: str) -> JSONResponse | None:
        answered = self.system.app.answered_request(request_id)
        if answered is None:
            return None
        if answered.fingerprint != print_:
            raise Problem(
                422,
                "idempotency_key_reused",
                "此 Idempotency-Key 已用于另一个不同的请求",
            )
        at = self.system.app.position_of(request_id)
        content = dict(answered.body) | {"position": at}
        return JSONResponse(
            content,
            status_code=answered.status,
            headers={"X-Event-Position": str(at), "Idempotent-Replayed": "true"},
        )

"""A write request: one command, run once per Idempotency-Key, answered with
the position it produced, the first time and on every replay, and to every
duplicate sent while the first was being answered."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any, ParamSpec, Protocol, TypeVar, cast

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from api.auth import Principal
from api.problems import Problem
from domain.application import (
    RequestAlreadyAnswered,
    RequestKey,
    Result,
    VolunteerPoints,
)
from domain.errors import DomainError
from domain.results import EarlierAnswer
from infrastructure.request_turns import RequestTurns

MAX_KEY_LENGTH = 255

P = ParamSpec("P")
R = TypeVar("R", bound=Result)


def fingerprint(method: str, path: str, payload: Any) -> str:
    canonical = json.dumps(
        jsonable_encoder(payload), sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


class EarlierAnswerReplayed(Exception):
    """Raised to answer again, as recorded, a request answered by an earlier
    release (which recorded HTTP answers rather than results)."""

    def __init__(self, answer: EarlierAnswer) -> None:
        super().__init__(answer.status)
        self.answer = answer


async def answer_as_recorded(_: Request, error: Exception) -> JSONResponse:
    """Answers a replayed request exactly as an earlier release recorded it."""
    assert isinstance(error, EarlierAnswerReplayed)
    answer = error.answer
    return JSONResponse(
        answer.body | {"position": answer.position},
        status_code=answer.status,
        headers={
            "X-Event-Position": str(answer.position),
            "Idempotent-Replayed": "true",
        },
    )


class Headers(Protocol):
    """The headers of a write's answer, which it sets."""

    def __setitem__(self, name: str, value: str, /) -> None: ...


class Write:
    """One write request: who asks, its Idempotency-Key (if any), and the
    headers of its answer, which carry the position. ``turns`` are the
    process's turns of requests with a key, shared by all its writes."""

    def __init__(
        self,
        app: VolunteerPoints,
        principal: Principal,
        key: str | None,
        method: str,
        path: str,
        headers: Headers,
        turns: RequestTurns,
    ) -> None:
        self.app = app
        self.principal = principal
        self.key = key
        self.method = method
        self.path = path
        self.headers = headers
        self.turns = turns
        self.replayed = False

    def __call__(
        self,
        payload: Any,
        command: Callable[P, R],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """Runs the command, or, if this key was answered before with the same
        payload, gives that result again: the fingerprint covers the method and
        path, so a stored result is one this route's command returned.

        A request with a key takes the key's turn before it looks for an
        earlier answer and keeps it while its command runs: a duplicate sent
        meanwhile waits, then finds this answer and gives it. A request
        without a key takes no turn. Should a duplicate's command still run
        (another process's, with the turns across processes lost) and fail
        because the first's effect was saved, the first's answer is given.

        The command is called with a keyword ``request`` besides those given:
        the request's key, or None without one. It hands the key on to the
        application's command, whose save records it with the result."""
        # A ParamSpec cannot say "and one keyword more", so the call is untyped.
        answering: Callable[..., R] = command
        if self.key is None:
            return self._positioned(answering(*args, request=None, **kwargs))
        request = RequestKey(
            self.principal.id, self.key, fingerprint(self.method, self.path, payload)
        )
        with self.turns.taken(request.id):
            earlier = self._earlier(request)
            if earlier is not None:
                return cast(R, earlier)
            try:
                result = answering(*args, request=request, **kwargs)
            except (RequestAlreadyAnswered, DomainError) as error:
                earlier = self._earlier(request)
                if earlier is not None:
                    return cast(R, earlier)
                if isinstance(error, DomainError):
                    raise
                raise Problem(
                    409, "request_in_progress", "相同 Idempotency-Key 的请求正在处理"
                ) from None
        return self._positioned(result)

    def _earlier(self, request: RequestKey) -> Result | None:
        """The result recorded for this key, at the position it was recorded."""
        answered = self.app.answered(request)
        if answered is None:
            return None
        if answered.fingerprint != request.fingerprint:
            raise Problem(
                422,
                "idempotency_key_reused",
                "此 Idempotency-Key 已用于另一个不同的请求",
            )
        result = replace(answered.result, position=self.app.position_of(request.id))
        if isinstance(result, EarlierAnswer):
            raise EarlierAnswerReplayed(result)
        self.replayed = True
        self.headers["Idempotent-Replayed"] = "true"
        return self._positioned(result)

    def _positioned(self, result: R) -> R:
        self.headers["X-Event-Position"] = str(result.position)
        return result

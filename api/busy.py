"""What the busiest routes (a member's points, attendance) use to cost little
more than FastAPI's own routing: a guard in place of dependencies, and answers
written as JSON without validating them again.

A guarded route's endpoint names its guard (``guarded_by``); the guard runs
before FastAPI reads the route's parameters and body, as dependencies would:
the token's principal first (401), then a permission over what the path
names (403, 404). FastAPI then reads and validates the parameters and body
(422) and calls the endpoint, which takes the principal from the request
(``principal``). The route keeps its ``response_model`` for the OpenAPI
document and declares the bearer scheme there; the endpoint returns an
``answer``, which FastAPI sends as it is.

An endpoint may also name how to read its parameters in their commonest
form (``read_plainly``: no query, or only ``year=YYYY``; a JSON body its
model takes as FastAPI would give it); a request in that form calls the
endpoint with them at once, and any other goes through FastAPI's reading and
validation, with its 422 answers."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, TypeVar
from uuid import UUID

from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError

from api.auth import Principal
from api.deps import principal_of
from domain.dates import FIRST_YEAR, LAST_YEAR
from domain.results import Result

Guard = Callable[[Request], Awaitable[object]]
Plain = Callable[[Request], Awaitable[dict[str, Any] | None]]
E = TypeVar("E", bound=Callable[..., Any])
M = TypeVar("M", bound=BaseModel)

PRINCIPAL = "vpoints.principal"
BEARER: dict[str, Any] = {"security": [{"HTTPBearer": []}]}
_UUID = TypeAdapter(UUID)
_YEAR_ONLY = re.compile(rb"year=([0-9]{4})")


def guarded_by(guard: Guard) -> Callable[[E], E]:
    """Names the guard of a route's endpoint (see ``GuardedRoute``)."""

    def mark(endpoint: E) -> E:
        endpoint.guard = guard  # type: ignore[attr-defined]  # read by GuardedRoute
        return endpoint

    return mark


def read_plainly(read: Plain) -> Callable[[E], E]:
    """Names how to read a guarded endpoint's parameters from a request in
    their commonest form: the endpoint's arguments, or None for any other
    request, which FastAPI reads (see ``GuardedRoute``)."""

    def mark(endpoint: E) -> E:
        endpoint.read_plainly = read  # type: ignore[attr-defined]  # read by GuardedRoute
        return endpoint

    return mark


class GuardedRoute(APIRoute):
    """A route that runs its endpoint's guard, if it names one, before FastAPI
    reads its parameters and body; otherwise FastAPI's own route."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if getattr(endpoint, "guard", None) is not None:
            kwargs["openapi_extra"] = BEARER | (kwargs.get("openapi_extra") or {})
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(
        self,
    ) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        guard: Guard | None = getattr(self.endpoint, "guard", None)
        if guard is None:
            return handle
        endpoint = self.endpoint
        plainly: Plain | None = getattr(endpoint, "read_plainly", None)

        async def guarded(request: Request) -> Response:
            await guard(request)
            if plainly is not None:
                arguments = await plainly(request)
                if arguments is not None:
                    answered: Response = await endpoint(request=request, **arguments)
                    return answered
            return await handle(request)

        return guarded


async def authenticated(request: Request) -> Principal:
    """A guard: the principal of the request's token, else 401."""
    principal = await principal_of(request)
    request.scope[PRINCIPAL] = principal
    return principal


def principal(request: Request) -> Principal:
    """The principal a guard resolved for this request."""
    resolved: Principal = request.scope[PRINCIPAL]
    return resolved


def path_id(request: Request, name: str) -> UUID | None:
    """The id a path names, read as FastAPI reads it; None if it is not one
    (FastAPI then answers 422, and the endpoint is not called)."""
    try:
        return _UUID.validate_python(request.path_params[name])
    except ValidationError:
        return None


async def year_only(request: Request) -> dict[str, Any] | None:
    """The query's year if the query holds nothing else (None for no query):
    ``{"year": ...}``, or None if the query says more or otherwise."""
    query: bytes = request.scope["query_string"]
    if not query:
        return {"year": None}
    match = _YEAR_ONLY.fullmatch(query)
    if match is None or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        return None
    return {"year": int(match[1])}


def header(request: Request, name: str, longest: int) -> tuple[bool, str | None]:
    """Whether a header is plain (absent, or once with 1 to ``longest``
    characters), and its value."""
    values = request.headers.getlist(name)
    if not values:
        return True, None
    if len(values) > 1 or not 1 <= len(values[0]) <= longest:
        return False, None
    return True, values[0]


async def json_body(request: Request, model: type[M]) -> M | None:
    """The request's body as ``model``, read as FastAPI reads a JSON body
    (``json.loads``, then the model's validation), if it is one; else None."""
    if request.headers.get("content-type") != "application/json":
        return None
    body = await request.body()
    try:
        return model.model_validate(json.loads(body))
    except (ValueError, ValidationError):
        return None


def _json_value(value: object) -> str:
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not written as JSON here")


def fields(result: Result) -> dict[str, Any]:
    """A result's fields, in the order of its response model's (the
    position first)."""
    return {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}


def answer(
    data: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> Response:
    """The JSON of data the code built (strings, numbers, UUIDs), as FastAPI
    would write it from the route's response model, without validating it
    again."""
    body = json.dumps(
        data, ensure_ascii=False, separators=(",", ":"), default=_json_value
    )
    return Response(body.encode(), media_type="application/json", headers=headers)

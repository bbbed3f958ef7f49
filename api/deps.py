"""Dependencies shared by the routes: the system, the token's principal, a
write, a figure's period, the wait for ``min_position``, and the things a path
names that must exist. What a token may do is api/permissions.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from fastapi import Depends, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPBearer

from api.auth import Principal
from api.principals import Unauthenticated
from api.problems import Problem
from api.schemas.common import IsoDate
from api.system import System
from api.writes import MAX_KEY_LENGTH, Headers, Write
from domain.activity import Activity
from domain.community import Community
from domain.dates import FIRST_YEAR, LAST_YEAR, figure_date
from domain.errors import NotFound
from domain.report import Report
from domain.team import Team
from domain.tree import Grid

T = TypeVar("T")


def system_of(request: Request) -> System:
    system: System = request.app.state.system
    return system


async def get_system(request: Request) -> System:
    return system_of(request)


SystemDep = Annotated[System, Depends(get_system)]


async def principal_of(request: Request) -> Principal:
    """The principal of the request's bearer token (from the process's cache
    of principals, api/principals.py), else a 401 problem."""
    system: System = request.app.state.system
    try:
        return await system.principals.resolve(request.headers.get("authorization"))
    except Unauthenticated as error:
        raise Problem(
            401, "unauthorized", str(error), {"WWW-Authenticate": "Bearer"}
        ) from None


class BearerToken(HTTPBearer):
    """The principal of the request's bearer token, else a 401 problem.

    FastAPI solves every dependency of a route on each request, at a cost per
    dependency, so this one reads the header and the system itself instead of
    depending on others; being an ``HTTPBearer``, it still declares the bearer
    scheme in the OpenAPI document."""

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]  # a principal, not the credentials
        return await principal_of(request)


get_principal = BearerToken(
    scheme_name="HTTPBearer",
    auto_error=False,
    description="令牌：管理员、组织者或志愿者",
)

PrincipalDep = Annotated[Principal, Depends(get_principal)]


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        description="重试时带上相同的键，只生效一次",
    ),
]


def write_of(
    request: Request,
    principal: Principal,
    key: str | None,
    headers: Headers,
) -> Write:
    """The request's write, whose answer carries ``headers``."""
    system = system_of(request)
    return Write(
        system.app,
        principal,
        key,
        request.method,
        request.url.path,
        headers,
        system.request_turns,
    )


async def get_write(
    request: Request,
    response: Response,
    principal: PrincipalDep,
    idempotency_key: IdempotencyKey = None,
) -> Write:
    return write_of(request, principal, idempotency_key, response.headers)


WriteDep = Annotated[Write, Depends(get_write)]


@dataclass(frozen=True)
class Period:
    """The year a figure is for, and the date D it is true on."""

    year: int
    on: date


Year = Annotated[
    int | None,
    Query(
        ge=FIRST_YEAR,
        le=LAST_YEAR,
        description="年份（上海时间），默认 as_of 所在的年份或今年",
    ),
]
AsOf = Annotated[
    IsoDate | None,
    Query(description="截至日期 YYYY-MM-DD（该年之内，不晚于今天）"),
]


def period_of(system: System, year: int | None, as_of: date | None) -> Period:
    """The year asked for (else that of ``as_of``, else the current year in
    Asia/Shanghai by the application's clock) and its figure date."""
    today = system.app.today()
    if year is None:
        year = today.year if as_of is None else as_of.year
    return Period(year, figure_date(year, as_of, today))


async def get_period(request: Request, year: Year = None, as_of: AsOf = None) -> Period:
    return period_of(system_of(request), year, as_of)


PeriodDep = Annotated[Period, Depends(get_period)]


MinPosition = Annotated[
    int | None,
    Query(
        ge=0,
        le=2**62,
        description="至少反映到此事件日志位置（写入返回的 position）",
    ),
]


async def wait_for_position(request: Request, min_position: MinPosition = None) -> None:
    """Waits for the read models to reach ``min_position``; after the token,
    which a read asks for first."""
    if min_position:
        await run_in_threadpool(system_of(request).wait_for, min_position)


Consistent = Depends(wait_for_position)

# A read's dependencies: a token (401 first), then the wait for min_position.
READ = (Depends(get_principal), Consistent)


async def _scope_exists(
    request: Request, kind: type[Aggregate], aggregate_id: UUID
) -> UUID:
    system = system_of(request)
    await system.read(system.app.scope_of, aggregate_id, kind)
    return aggregate_id


async def known_district(district_id: UUID, request: Request) -> UUID:
    """A district that exists, else 404."""
    system = system_of(request)
    await system.read(system.app.district, district_id)
    return district_id


async def known_street(street_id: UUID, request: Request) -> UUID:
    """A street that exists, else 404."""
    system = system_of(request)
    await system.read(system.app.street, street_id)
    return street_id


async def known_community(community_id: UUID, request: Request) -> UUID:
    """A community that exists, else 404."""
    return await _scope_exists(request, Community, community_id)


async def known_grid(grid_id: UUID, request: Request) -> UUID:
    """A grid that exists, else 404."""
    return await _scope_exists(request, Grid, grid_id)


async def known_team(team_id: UUID, request: Request) -> UUID:
    """A team that exists, else 404."""
    return await _scope_exists(request, Team, team_id)


async def known_activity(activity_id: UUID, request: Request) -> UUID:
    """An activity that exists, else 404."""
    return await _scope_exists(request, Activity, activity_id)


async def published_report(report_id: UUID, request: Request) -> Report:
    """A published report, read from its aggregate (not a read model); else 404."""
    system = system_of(request)
    return await system.read(system.app.report, report_id)


KnownDistrict = Annotated[UUID, Depends(known_district)]
KnownStreet = Annotated[UUID, Depends(known_street)]
KnownCommunity = Annotated[UUID, Depends(known_community)]
KnownGrid = Annotated[UUID, Depends(known_grid)]
KnownTeam = Annotated[UUID, Depends(known_team)]
KnownActivity = Annotated[UUID, Depends(known_activity)]
PublishedReport = Annotated[Report, Depends(published_report)]


def record_of(
    system: System, query: Callable[..., T | None], *args: Any, what: str
) -> T:
    """The read model's record of something the event log has, else 404."""
    record = system.projected(query, *args)
    if record is None:
        raise NotFound(f"{what} 不存在")
    return record


def figures(
    system: System, scope: str, scope_id: UUID | None, period: Period
) -> dict[str, Any]:
    """A scope's figures for a period."""
    place = None if scope_id is None else str(scope_id)
    return system.queries.stats(scope, place, period.year, period.on)


Limit = Annotated[int, Query(ge=1, le=500, description="每页条数")]
FullCheck = Annotated[
    bool,
    Query(
        description="从头核验整个日志，而不是从本进程上次核验到的位置接着核验",
    ),
]
PageCursor = Annotated[
    str | None, Query(max_length=512, description="上一页返回的 next_cursor")
]

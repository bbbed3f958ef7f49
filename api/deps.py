"""Dependencies shared by the routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPBearer

from api.auth import Principal, authenticate, bootstrap_admin, may_read_member, require
from api.schemas.common import IsoDate
from api.system import System
from api.writes import MAX_KEY_LENGTH, Write
from domain.activity import Activity
from domain.application import Scope, VolunteerPoints
from domain.community import Community
from domain.dates import FIRST_YEAR, LAST_YEAR, figure_date
from domain.errors import NotFound, UnknownReference
from domain.member import Member
from domain.team import Team
from domain.tree import Grid

T = TypeVar("T")


def system_of(request: Request) -> System:
    system: System = request.app.state.system
    return system


async def get_system(request: Request) -> System:
    return system_of(request)


SystemDep = Annotated[System, Depends(get_system)]


class BearerToken(HTTPBearer):
    """The principal of the request's bearer token, else a 401 problem.

    FastAPI solves every dependency of a route on each request, at a cost per
    dependency, so this one reads the header and the system itself instead of
    depending on others; being an ``HTTPBearer``, it still declares the bearer
    scheme in the OpenAPI document."""

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]  # a principal, not the credentials
        system = system_of(request)
        header = request.headers.get("authorization")
        principal = bootstrap_admin(system, header)
        if principal is not None:
            return principal
        return await run_in_threadpool(authenticate, system, header)


get_principal = BearerToken(
    scheme_name="HTTPBearer",
    auto_error=False,
    description="令牌：管理员、组织者或志愿者",
)

PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_write(
    request: Request,
    response: Response,
    system: SystemDep,
    principal: PrincipalDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=MAX_KEY_LENGTH,
            description="重试时带上相同的键，只生效一次",
        ),
    ] = None,
) -> Write:
    return Write(
        system.app,
        principal,
        idempotency_key,
        request.method,
        request.url.path,
        response,
    )


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
    which the routers ask for first."""
    if min_position:
        await run_in_threadpool(system_of(request).wait_for, min_position)


Consistent = Depends(wait_for_position)


def read_router(prefix: str, tag: str) -> APIRouter:
    """A resource's reads: each needs a token, takes ``min_position`` and waits
    for the read models to reach it."""
    return APIRouter(
        prefix=prefix, tags=[tag], dependencies=[Depends(get_principal), Consistent]
    )


Load = Callable[[VolunteerPoints, UUID], object]


def load_scope(kind: type[Aggregate]) -> Load:
    def load(app: VolunteerPoints, aggregate_id: UUID) -> Scope:
        return app.scope_of(aggregate_id, kind)

    return load


Dependency = Callable[..., Awaitable[UUID]]


def path_id(dependency: Dependency, parameter: str) -> Dependency:
    """Names a dependency's ``aggregate_id`` after the path parameter it reads.
    Annotations in this module are postponed (text), and FastAPI resolves text
    in the module's globals, where ``parameter`` is not: so the annotation is
    given as the object itself."""
    dependency.__annotations__["aggregate_id"] = Annotated[UUID, Path(alias=parameter)]
    return dependency


def existing(parameter: str, load: Load) -> Dependency:
    """A path id (named ``parameter``) of something that exists, else 404."""

    async def exists(system: SystemDep, aggregate_id: UUID) -> UUID:
        await system.read(load, system.app, aggregate_id)
        return aggregate_id

    return path_id(exists, parameter)


def in_scope(parameter: str, kind: type[Aggregate]) -> Dependency:
    """A path id (named ``parameter``) of something that exists (else 404) and
    that the token's scope covers (else 403)."""

    async def covered(
        system: SystemDep, principal: PrincipalDep, aggregate_id: UUID
    ) -> UUID:
        scope = await system.read(system.app.scope_of, aggregate_id, kind)
        require(principal.covers(scope))
        return aggregate_id

    return path_id(covered, parameter)


KnownDistrict = Annotated[
    UUID, Depends(existing("district_id", VolunteerPoints.district))
]
KnownStreet = Annotated[UUID, Depends(existing("street_id", VolunteerPoints.street))]
KnownCommunity = Annotated[
    UUID, Depends(existing("community_id", load_scope(Community)))
]
KnownGrid = Annotated[UUID, Depends(existing("grid_id", load_scope(Grid)))]
KnownTeam = Annotated[UUID, Depends(existing("team_id", load_scope(Team)))]
KnownActivity = Annotated[UUID, Depends(existing("activity_id", load_scope(Activity)))]
CommunityInScope = Annotated[UUID, Depends(in_scope("community_id", Community))]
TeamInScope = Annotated[UUID, Depends(in_scope("team_id", Team))]
ActivityInScope = Annotated[UUID, Depends(in_scope("activity_id", Activity))]
MemberInScope = Annotated[UUID, Depends(in_scope("member_id", Member))]


async def street_in_scope(
    street_id: UUID, system: SystemDep, principal: PrincipalDep
) -> UUID:
    """A street that exists (else 404) and whose district or itself the token
    names (else 403)."""
    street = await system.read(system.app.street, street_id)
    require(principal.covers_places((street.district_id, street_id)))
    return street_id


async def district_in_scope(
    district_id: UUID, system: SystemDep, principal: PrincipalDep
) -> UUID:
    """A district that exists (else 404) and that the token names (else 403)."""
    await system.read(system.app.district, district_id)
    require(principal.covers_places((district_id,)))
    return district_id


StreetInScope = Annotated[UUID, Depends(street_in_scope)]
DistrictInScope = Annotated[UUID, Depends(district_in_scope)]


async def check_readable_member(
    system: System, principal: Principal, member_id: UUID
) -> None:
    """Raises NotFound for a member that does not exist, a 403 problem if the
    token may not read its record."""
    allowed = await system.read(may_read_member, system, principal, member_id)
    require(allowed, "无权查看此志愿者")


async def readable_member(
    member_id: UUID, system: SystemDep, principal: PrincipalDep
) -> UUID:
    """A member that exists (else 404) and whose record the token may read
    (else 403)."""
    await check_readable_member(system, principal, member_id)
    return member_id


ReadableMember = Annotated[UUID, Depends(readable_member)]


def covers_community(
    app: VolunteerPoints, principal: Principal, community_id: UUID
) -> bool:
    """Whether the token covers a community named in a body; only admins cover
    an unknown one, which the command then refuses as an unknown reference."""
    return principal.covers(app.community_scope(community_id))


def covers_member_or_community(
    app: VolunteerPoints, principal: Principal, member_id: UUID, community_id: UUID
) -> bool:
    """Whether the token covers a member's community (404 for an unknown
    member) or the community it is going to."""
    return principal.covers(app.scope_of(member_id, Member)) or covers_community(
        app, principal, community_id
    )


def covers_member_named(
    app: VolunteerPoints, principal: Principal, member_id: UUID, field: str
) -> bool:
    """Whether the token covers a member named in a body (422 for an unknown
    one)."""
    try:
        scope = app.scope_of(member_id, Member)
    except NotFound:
        raise UnknownReference(f"志愿者 {member_id} 不存在", field) from None
    return principal.covers(scope)


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
PageCursor = Annotated[
    str | None, Query(max_length=512, description="上一页返回的 next_cursor")
]

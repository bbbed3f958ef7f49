from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.auth import Principal, may_read_member, require
from api.deps import Consistent, IdempotencyDep, PrincipalDep, SystemDep, YearDep
from api.schemas import (
    DoubleReportCreate,
    DoubleReported,
    MemberCreate,
    MemberCreated,
    MemberPublic,
    Points,
    Statement,
)
from api.system import System
from domain.application import Decision
from domain.errors import NotFound
from domain.member import Member

router = APIRouter(prefix="/v1/members", tags=["members"])


@router.post(
    "", status_code=201, response_model=MemberCreated, operation_id="create_member"
)
def create_member(
    body: MemberCreate, principal: PrincipalDep, idem: IdempotencyDep, system: SystemDep
) -> JSONResponse:
    """Register a volunteer with their residential community."""
    require(principal.covers_community(body.community_id))

    def answer(d: Decision) -> dict[str, Any]:
        member = body.model_dump(exclude={"registered_on"})
        return member | {"id": d.id, "name": body.name.strip()}

    return idem.answer(
        201,
        body,
        lambda extra: system.app.register_member(
            name=body.name,
            community_id=body.community_id,
            party_member=body.party_member,
            actor=principal.id,
            unit_id=body.unit_id,
            grid=body.grid,
            phone=body.phone,
            registered_on=body.registered_on,
            extra=extra,
        ),
        answer,
    )


@router.post(
    "/{member_id}/double-report",
    status_code=201,
    response_model=DoubleReported,
    operation_id="double_report_member",
)
def double_report_member(
    member_id: UUID,
    body: DoubleReportCreate,
    principal: PrincipalDep,
    idem: IdempotencyDep,
    system: SystemDep,
) -> JSONResponse:
    """Report an in-service member to their residential community (个人报到);
    reporting again moves them and ends the earlier report."""
    member = system.app.member(member_id)
    require(
        principal.covers_community(member.community_id)
        or principal.covers_community(body.community_id)
    )
    return idem.answer(
        201,
        body,
        lambda extra: system.app.double_report_member(
            member_id, body.community_id, body.reported_on, principal.id, extra=extra
        ),
        lambda d: {"id": d.id} | body.model_dump(),
    )


def readable_member(system: System, principal: Principal, member_id: UUID) -> None:
    community_id = system.app.scope_of(member_id, Member).community_id
    require(
        may_read_member(system, principal, member_id, community_id), "无权查看此志愿者"
    )


@router.get(
    "/{member_id}",
    response_model=MemberPublic,
    operation_id="get_member",
    dependencies=[Consistent],
)
def get_member(member_id: UUID, principal: PrincipalDep, system: SystemDep) -> Any:
    """A member's record, double report and teams; phone only for admins and
    organizers in scope."""
    readable_member(system, principal, member_id)
    record = system.projected(system.queries.member, str(member_id))
    if record is None:
        raise NotFound(f"志愿者 {member_id} 不存在")
    if principal.role == "member":
        record["phone"] = None
    return record


@router.get(
    "/{member_id}/points",
    response_model=Points,
    operation_id="get_member_points",
    dependencies=[Consistent],
)
async def get_member_points(
    member_id: UUID, year: YearDep, principal: PrincipalDep, system: SystemDep
) -> dict[str, Any]:
    """A member's points and hours in a year, lifetime totals and star rating."""

    def read() -> dict[str, Any]:
        readable_member(system, principal, member_id)
        return system.queries.member_points(str(member_id), year)

    return await system.read(read)


@router.get(
    "/{member_id}/statement",
    response_model=Statement,
    operation_id="get_member_statement",
    dependencies=[Consistent],
)
def get_member_statement(
    member_id: UUID, year: YearDep, principal: PrincipalDep, system: SystemDep
) -> dict[str, Any]:
    """Every attendance of a year, revoked and cancelled ones with 0.0 points."""
    readable_member(system, principal, member_id)
    return system.queries.statement(str(member_id), year)


me = APIRouter(prefix="/v1/me", tags=["me"])


def own_member_id(principal: Principal) -> UUID:
    require(
        principal.role == "member" and principal.member_id is not None,
        "只有志愿者令牌可以查询“我的”积分",
    )
    assert principal.member_id is not None
    return principal.member_id


@me.get(
    "/points",
    response_model=Points,
    operation_id="get_my_points",
    dependencies=[Consistent],
)
async def get_my_points(
    year: YearDep, principal: PrincipalDep, system: SystemDep
) -> dict[str, Any]:
    """The member token's own points."""
    member_id = str(own_member_id(principal))
    return await system.read(system.queries.member_points, member_id, year)


@me.get(
    "/statement",
    response_model=Statement,
    operation_id="get_my_statement",
    dependencies=[Consistent],
)
def get_my_statement(
    year: YearDep, principal: PrincipalDep, system: SystemDep
) -> dict[str, Any]:
    """The member token's own statement."""
    return system.queries.statement(str(own_member_id(principal)), year)

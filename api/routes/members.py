from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from api import deps
from api.auth import Principal, may_read_member, require
from api.schemas.requests import DoubleReportCreate, MemberCreate
from api.schemas.responses import (
    DoubleReported,
    MemberCreated,
    MemberPublic,
    Points,
    Statement,
)
from api.system import System
from domain import results
from domain.errors import NotFound
from domain.member import Member

router = APIRouter(prefix="/v1/members", tags=["members"])
reads = deps.read_router("/v1/members", "members")


@router.post(
    "", status_code=201, response_model=MemberCreated, operation_id="create_member"
)
def create_member(
    body: MemberCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> results.MemberRegistered:
    """Register a volunteer with their residential community."""
    require(principal.covers_community(body.community_id))
    return write(body, write.app.register_member, actor=principal.id, **dict(body))


@router.post(
    "/{member_id}/double-report",
    status_code=201,
    response_model=DoubleReported,
    operation_id="double_report_member",
)
def double_report_member(
    member_id: UUID,
    body: DoubleReportCreate,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.DoubleReported:
    """Report an in-service member to their residential community (个人报到);
    reporting again moves them and ends the earlier one."""
    community_id = write.app.scope_of(member_id, Member).community_id
    require(
        principal.covers_community(community_id)
        or principal.covers_community(body.community_id)
    )
    report = write.app.double_report_member
    return write(body, report, member_id, actor=principal.id, **dict(body))


def readable_member(system: System, principal: Principal, member_id: UUID) -> None:
    community_id = system.app.scope_of(member_id, Member).community_id
    require(
        may_read_member(system, principal, member_id, community_id), "无权查看此志愿者"
    )


@reads.get("/{member_id}", response_model=MemberPublic, operation_id="get_member")
def get_member(
    member_id: UUID, principal: deps.PrincipalDep, system: deps.SystemDep
) -> Any:
    """A member's record, double report and teams; phone only for admins and
    organizers in scope."""
    readable_member(system, principal, member_id)
    record = system.projected(system.queries.member, str(member_id))
    if record is None:
        raise NotFound(f"志愿者 {member_id} 不存在")
    if principal.role == "member":
        record["phone"] = None
    return record


@reads.get(
    "/{member_id}/points", response_model=Points, operation_id="get_member_points"
)
async def get_member_points(
    member_id: UUID,
    year: deps.YearDep,
    principal: deps.PrincipalDep,
    system: deps.SystemDep,
) -> dict[str, Any]:
    """A member's points and hours in a year, lifetime totals and star rating."""

    def read() -> dict[str, Any]:
        readable_member(system, principal, member_id)
        return system.queries.member_points(str(member_id), year)

    return await system.read(read)


@reads.get(
    "/{member_id}/statement",
    response_model=Statement,
    operation_id="get_member_statement",
)
def get_member_statement(
    member_id: UUID,
    year: deps.YearDep,
    principal: deps.PrincipalDep,
    system: deps.SystemDep,
) -> dict[str, Any]:
    """Every attendance of a year, revoked and cancelled ones with 0.0 points."""
    readable_member(system, principal, member_id)
    return system.queries.statement(str(member_id), year)


me = deps.read_router("/v1/me", "me")


def own_member_id(principal: Principal) -> str:
    require(
        principal.role == "member" and principal.member_id is not None,
        "只有志愿者令牌可以查询“我的”积分",
    )
    return str(principal.member_id)


@me.get("/points", response_model=Points, operation_id="get_my_points")
async def get_my_points(
    year: deps.YearDep, principal: deps.PrincipalDep, system: deps.SystemDep
) -> dict[str, Any]:
    """The member token's own points."""
    member_id = own_member_id(principal)
    return await system.read(system.queries.member_points, member_id, year)


@me.get("/statement", response_model=Statement, operation_id="get_my_statement")
def get_my_statement(
    year: deps.YearDep, principal: deps.PrincipalDep, system: deps.SystemDep
) -> dict[str, Any]:
    """The member token's own statement."""
    return system.queries.statement(own_member_id(principal), year)

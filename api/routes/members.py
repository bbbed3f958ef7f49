"""Members (志愿者): their records, points, statements and history, read
first (a member's points are the busiest read), then registration, changes,
moves, merges and double reports."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from api import busy, deps, permissions
from api.permissions import CanChangeMember, CanReadMember
from api.schemas.figures import HistoryPage, Points, Statement
from api.schemas.requests import (
    DoubleReportCreate,
    DoubleReportEnd,
    MemberCreate,
    MemberDeregister,
    MemberMerge,
    MemberMove,
    MemberUpdate,
)
from api.schemas.responses import (
    DoubleReported,
    DoubleReportEnded,
    MemberLeft,
    MemberMoved,
    MemberPublic,
    MemberRegistered,
    MembersMerged,
)
from api.services import members
from domain import results

router = APIRouter(
    prefix="/v1/members", tags=["members"], route_class=busy.GuardedRoute
)


@router.get(
    "/{member_id}",
    response_model=MemberPublic,
    operation_id="get_member",
    dependencies=deps.READ,
)
def get_member(
    member_id: CanReadMember, principal: deps.PrincipalDep, system: deps.SystemDep
) -> Any:
    """A member's record, grid, double report and teams; phone only for admins and
    organizers in scope."""
    record = deps.record_of(
        system, system.queries.member, str(member_id), what=f"志愿者 {member_id}"
    )
    if principal.role == "member":
        record["phone"] = None
    return record


async def points_plainly(request: Request) -> dict[str, Any] | None:
    """``get_member_points``'s arguments for a request naming a member by a
    UUID and at most a year."""
    member_id = busy.path_id(request, "member_id")
    plain = await busy.year_only(request)
    if member_id is None or plain is None:
        return None
    return plain | {"member_id": member_id}


@router.get(
    "/{member_id}/points",
    response_model=Points,
    operation_id="get_member_points",
)
@busy.guarded_by(busy.authenticated)
@busy.read_plainly(points_plainly)
async def get_member_points(
    member_id: UUID,
    request: Request,
    year: deps.Year = None,
    as_of: deps.AsOf = None,
    min_position: deps.MinPosition = None,
) -> Response:
    """A member's points and hours in a year, lifetime totals and star as of a date."""
    await deps.wait_for_position(request, min_position)
    await permissions.can_read_member(member_id, request, busy.principal(request))
    return await points_answer(request, str(member_id), year, as_of)


async def points_answer(
    request: Request, member_id: str, year: int | None, as_of: date | None
) -> Response:
    """A member's points in the year asked for, as of the date asked for."""
    system = deps.system_of(request)
    period = deps.period_of(system, year, as_of)
    plan = system.queries.member_points_plan(member_id, period.year, period.on)
    return busy.answer(await system.read_plan(plan))


@router.get(
    "/{member_id}/statement",
    response_model=Statement,
    operation_id="get_member_statement",
    dependencies=deps.READ,
)
def get_member_statement(
    member_id: CanReadMember,
    period: deps.PeriodDep,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """Every attendance of a year with its history, by start, a page at a time
    (``next_cursor``); revoked and cancelled at 0.0; the year's totals on every page."""
    statement = system.queries.statement_page
    return statement(str(member_id), period.year, period.on, limit, cursor)


@router.get(
    "/{member_id}/history",
    response_model=HistoryPage,
    operation_id="get_member_history",
    dependencies=deps.READ,
)
def get_member_history(
    member_id: CanReadMember,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """Every event concerning a member, oldest first: what, when, who, why."""
    return system.queries.member_history(str(member_id), limit, cursor)


@router.post(
    "", status_code=201, response_model=MemberRegistered, operation_id="create_member"
)
def create_member(
    body: MemberCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> results.MemberRegistered:
    """Register a volunteer with their residential community, from a date."""
    permissions.can_add_to_community(write.app, principal, body.community_id)
    return write(body, write.app.register_member, actor=principal.id, **dict(body))


@router.patch(
    "/{member_id}", response_model=MemberRegistered, operation_id="update_member"
)
def update_member(
    member_id: CanChangeMember,
    body: MemberUpdate,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.MemberRegistered:
    """Change a member's details; null clears a phone, a grid or a unit."""
    changes = body.model_dump(exclude_unset=True)
    change = write.app.change_member
    return write(changes, change, member_id, actor=principal.id, **changes)


@router.post(
    "/{member_id}/move", response_model=MemberMoved, operation_id="move_member"
)
def move_member(
    member_id: UUID,
    body: MemberMove,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.MemberMoved:
    """Register a member with another community from a date (its grid is cleared)."""
    app = write.app
    permissions.can_send_member(app, principal, member_id, body.community_id)
    return write(body, app.move_member, member_id, actor=principal.id, **dict(body))


@router.post(
    "/{member_id}/deregister",
    response_model=MemberLeft,
    operation_id="deregister_member",
)
def deregister_member(
    member_id: CanChangeMember,
    body: MemberDeregister,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.MemberLeft:
    """Deregister a member from a date; later writes naming it are refused."""
    deregister = write.app.deregister_member
    return write(body, deregister, member_id, actor=principal.id, **dict(body))


@router.post(
    "/{member_id}/merge", response_model=MembersMerged, operation_id="merge_members"
)
def merge_members(
    member_id: CanChangeMember,
    body: MemberMerge,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    system: deps.SystemDep,
) -> results.MembersMerged:
    """Merge a duplicate record of the same person into this member: its
    attendances, team memberships and double report move here by events, and
    writes naming the duplicate are refused (409 member_merged)."""
    permissions.can_merge_duplicate(write.app, principal, body.duplicate_id)
    merge = members.merge_members
    return write(
        body, merge, system, member_id, body.duplicate_id, body.reason, principal.id
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
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.DoubleReported:
    """Report an in-service member to their residential community (个人报到);
    reporting again moves them and ends the earlier one."""
    app = write.app
    permissions.can_send_member(app, principal, member_id, body.community_id)
    report = app.double_report_member
    return write(body, report, member_id, actor=principal.id, **dict(body))


@router.post(
    "/{member_id}/double-report/end",
    response_model=DoubleReportEnded,
    operation_id="end_member_double_report",
)
def end_member_double_report(
    member_id: CanChangeMember,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    body: DoubleReportEnd | None = None,
) -> results.DoubleReportEnded:
    """End a member's double report from a date."""
    ended = body or DoubleReportEnd()
    end = write.app.end_member_double_report
    return write(ended, end, member_id, actor=principal.id, **dict(ended))

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request

from api import deps
from api.auth import Principal, require
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
    MemberCreated,
    MemberLeft,
    MemberMoved,
    MemberPublic,
    MembersMerged,
    Place,
    TokenScope,
)
from api.system import System
from domain import results

router = APIRouter(prefix="/v1/members", tags=["members"])
reads = deps.read_router("/v1/members", "members")


@router.post(
    "", status_code=201, response_model=MemberCreated, operation_id="create_member"
)
def create_member(
    body: MemberCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> results.MemberRegistered:
    """Register a volunteer with their residential community, from a date."""
    require(deps.covers_community(write.app, principal, body.community_id))
    return write(body, write.app.register_member, actor=principal.id, **dict(body))


@router.patch(
    "/{member_id}", response_model=MemberCreated, operation_id="update_member"
)
def update_member(
    member_id: deps.MemberInScope,
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
    require(
        deps.covers_member_or_community(app, principal, member_id, body.community_id)
    )
    return write(body, app.move_member, member_id, actor=principal.id, **dict(body))


@router.post(
    "/{member_id}/deregister",
    response_model=MemberLeft,
    operation_id="deregister_member",
)
def deregister_member(
    member_id: deps.MemberInScope,
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
    member_id: deps.MemberInScope,
    body: MemberMerge,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    system: deps.SystemDep,
) -> results.MembersMerged:
    """Merge a duplicate record of the same person into this member: its
    attendances, team memberships and double report move here by events, and
    writes naming the duplicate are refused (409 member_merged)."""
    app = write.app
    require(deps.covers_member_named(app, principal, body.duplicate_id, "duplicate_id"))
    system.catch_up_to_now()
    activities, teams = system.queries.involvement(str(body.duplicate_id))
    return write(
        body,
        app.merge_members,
        member_id,
        body.duplicate_id,
        body.reason,
        actor=principal.id,
        activity_ids=[UUID(a) for a in activities],
        team_ids=[UUID(t) for t in teams],
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
    require(
        deps.covers_member_or_community(app, principal, member_id, body.community_id)
    )
    report = app.double_report_member
    return write(body, report, member_id, actor=principal.id, **dict(body))


@router.post(
    "/{member_id}/double-report/end",
    response_model=DoubleReportEnded,
    operation_id="end_member_double_report",
)
def end_member_double_report(
    member_id: deps.MemberInScope,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    body: DoubleReportEnd | None = None,
) -> results.DoubleReportEnded:
    """End a member's double report from a date."""
    ended = body or DoubleReportEnd()
    end = write.app.end_member_double_report
    return write(ended, end, member_id, actor=principal.id, **dict(ended))


@reads.get("/{member_id}", response_model=MemberPublic, operation_id="get_member")
def get_member(
    member_id: deps.ReadableMember, principal: deps.PrincipalDep, system: deps.SystemDep
) -> Any:
    """A member's record, grid, double report and teams; phone only for admins and
    organizers in scope."""
    record = deps.record_of(
        system, system.queries.member, str(member_id), what=f"志愿者 {member_id}"
    )
    if principal.role == "member":
        record["phone"] = None
    return record


@reads.get(
    "/{member_id}/points", response_model=Points, operation_id="get_member_points"
)
async def get_member_points(
    member_id: UUID,
    principal: deps.PrincipalDep,
    request: Request,
    year: deps.Year = None,
    as_of: deps.AsOf = None,
) -> dict[str, Any]:
    """A member's points and hours in a year, lifetime totals and star as of a date."""
    system = deps.system_of(request)
    await deps.check_readable_member(system, principal, member_id)
    period = deps.period_of(system, year, as_of)
    points = system.queries.member_points
    return await system.read(points, str(member_id), period.year, period.on)


@reads.get(
    "/{member_id}/statement",
    response_model=Statement,
    operation_id="get_member_statement",
)
def get_member_statement(
    member_id: deps.ReadableMember, period: deps.PeriodDep, system: deps.SystemDep
) -> dict[str, Any]:
    """Every attendance of a year with its history; revoked and cancelled at 0.0."""
    return system.queries.statement(str(member_id), period.year, period.on)


@reads.get(
    "/{member_id}/history",
    response_model=HistoryPage,
    operation_id="get_member_history",
)
def get_member_history(
    member_id: deps.ReadableMember,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """Every event concerning a member, oldest first: what, when, who, why."""
    return system.queries.member_history(str(member_id), limit, cursor)


me = deps.read_router("/v1/me", "me")


def own_member_id(principal: Principal) -> str:
    require(
        principal.role == "member" and principal.member_id is not None,
        "只有志愿者令牌可以查询“我的”积分",
    )
    return str(principal.member_id)


@me.get("/token", response_model=TokenScope, operation_id="get_my_token")
def get_my_token(principal: deps.PrincipalDep, system: deps.SystemDep) -> TokenScope:
    """The token's own role and the places its scope names (districts,
    streets, communities, teams), with their names: what a client may show."""
    named = (
        ("district", principal.district_ids),
        ("street", principal.street_ids),
        ("community", principal.community_ids),
        ("team", principal.team_ids),
    )
    places = [
        Place(kind=kind, id=place, name=place_name(system, kind, place))
        for kind, ids in named
        for place in sorted(ids, key=str)
    ]
    return TokenScope(role=principal.role, member_id=principal.member_id, places=places)


def place_name(system: System, kind: str, place: UUID) -> str | None:
    if kind != "team":
        return system.queries.place_name(kind, str(place))
    today = system.app.today()
    team = system.queries.team(str(place), today.year, today)
    return None if team is None else str(team["name"])


@me.get("/points", response_model=Points, operation_id="get_my_points")
async def get_my_points(
    period: deps.PeriodDep, principal: deps.PrincipalDep, system: deps.SystemDep
) -> dict[str, Any]:
    """The member token's own points."""
    member_id = own_member_id(principal)
    points = system.queries.member_points
    return await system.read(points, member_id, period.year, period.on)


@me.get("/statement", response_model=Statement, operation_id="get_my_statement")
def get_my_statement(
    period: deps.PeriodDep, principal: deps.PrincipalDep, system: deps.SystemDep
) -> dict[str, Any]:
    """The member token's own statement."""
    return system.queries.statement(own_member_id(principal), period.year, period.on)

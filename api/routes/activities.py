from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.auth import require
from api.deps import (
    Consistent,
    IdempotencyDep,
    Limit,
    PageCursor,
    PrincipalDep,
    SystemDep,
)
from api.schemas import (
    ActivityChanged,
    ActivityCreate,
    ActivityCreated,
    ActivityPage,
    ActivityPublic,
    AttendanceBatch,
    AttendanceResult,
    AttendanceRevoked,
    IsoDatetime,
    ReasonBody,
    Signup,
    SignupCreate,
)
from domain.activity import Activity, AttendanceOutcome
from domain.application import Decision
from domain.errors import NotFound

router = APIRouter(prefix="/v1/activities", tags=["activities"])


@router.post(
    "", status_code=201, response_model=ActivityCreated, operation_id="create_activity"
)
def create_activity(
    body: ActivityCreate,
    principal: PrincipalDep,
    idem: IdempotencyDep,
    system: SystemDep,
) -> JSONResponse:
    """Schedule an activity of a team, with its time window and points rule."""
    try:
        team = system.app.team(body.team_id)
    except NotFound:
        team = None
    if team is not None:
        require(principal.covers_team(team))
    else:
        require(principal.role in ("admin", "organizer"))

    def answer(d: Decision) -> dict[str, Any]:
        return {
            "id": d.id,
            "title": body.title.strip(),
            "team_id": body.team_id,
            "community_id": team.community_id if team else None,
            "category": body.category.strip(),
            "starts_at": _iso_utc(body.starts_at),
            "ends_at": _iso_utc(body.ends_at),
            "status": "scheduled",
        }

    return idem.answer(
        201,
        body,
        lambda extra: system.app.schedule_activity(
            title=body.title,
            team_id=body.team_id,
            category=body.category,
            starts_at=body.starts_at,
            ends_at=body.ends_at,
            actor=principal.id,
            location=body.location,
            capacity=body.capacity,
            points_per_hour=body.points_per_hour,
            fixed_points=body.fixed_points,
            extra=extra,
        ),
        answer,
    )


@router.post(
    "/{activity_id}/signups",
    status_code=201,
    response_model=Signup,
    operation_id="sign_up",
    responses={
        200: {"description": "已报名，未作改变", "model": Signup},
        409: {"description": "activity_full / activity_started / ..."},
    },
)
def sign_up(
    activity_id: UUID,
    body: SignupCreate,
    principal: PrincipalDep,
    idem: IdempotencyDep,
    system: SystemDep,
) -> JSONResponse:
    """Sign a member up before the start; a member token may sign up only itself."""
    scope = system.app.scope_of(activity_id, Activity)
    require(principal.covers(scope) or principal.is_member(body.member_id))
    return idem.answer(
        lambda d: 201 if d.value else 200,
        body,
        lambda extra: system.app.sign_up(
            activity_id, body.member_id, principal.id, extra=extra
        ),
        lambda d: {
            "activity_id": activity_id,
            "member_id": body.member_id,
            "signed_up": True,
        },
    )


@router.delete(
    "/{activity_id}/signups/{member_id}",
    response_model=Signup,
    operation_id="withdraw_signup",
)
def withdraw_signup(
    activity_id: UUID,
    member_id: UUID,
    principal: PrincipalDep,
    idem: IdempotencyDep,
    system: SystemDep,
) -> JSONResponse:
    """Withdraw a sign-up before the start."""
    scope = system.app.scope_of(activity_id, Activity)
    require(principal.covers(scope) or principal.is_member(member_id))
    return idem.answer(
        200,
        None,
        lambda extra: system.app.withdraw(
            activity_id, member_id, principal.id, extra=extra
        ),
        lambda d: {
            "activity_id": activity_id,
            "member_id": member_id,
            "signed_up": False,
        },
    )


@router.post(
    "/{activity_id}/attendance",
    response_model=AttendanceResult,
    operation_id="record_attendance",
)
def record_attendance(
    activity_id: UUID,
    body: AttendanceBatch,
    principal: PrincipalDep,
    idem: IdempotencyDep,
    system: SystemDep,
) -> JSONResponse:
    """Record 1–500 attendances in one transaction: new, unchanged or corrected."""
    require(principal.covers(system.app.scope_of(activity_id, Activity)))

    def answer(d: Decision) -> dict[str, Any]:
        outcome: AttendanceOutcome = d.value
        return {
            "activity_id": activity_id,
            "recorded": outcome.recorded,
            "unchanged": outcome.unchanged,
            "corrected": outcome.corrected,
        }

    return idem.answer(
        200,
        body,
        lambda extra: system.app.record_attendance(
            activity_id,
            [(r.member_id, r.hours) for r in body.records],
            principal.id,
            reason=body.reason,
            extra=extra,
        ),
        answer,
    )


@router.post(
    "/{activity_id}/attendance/{member_id}/revoke",
    response_model=AttendanceRevoked,
    operation_id="revoke_attendance",
)
def revoke_attendance(
    activity_id: UUID,
    member_id: UUID,
    body: ReasonBody,
    principal: PrincipalDep,
    idem: IdempotencyDep,
    system: SystemDep,
) -> JSONResponse:
    """Revoke one attendance with a reason; its points leave every figure."""
    require(principal.covers(system.app.scope_of(activity_id, Activity)))
    return idem.answer(
        200,
        body,
        lambda extra: system.app.revoke_attendance(
            activity_id, member_id, body.reason, principal.id, extra=extra
        ),
        lambda d: {
            "activity_id": activity_id,
            "member_id": member_id,
            "status": "revoked",
            "reason": body.reason.strip(),
        },
    )


@router.post(
    "/{activity_id}/cancel",
    response_model=ActivityChanged,
    operation_id="cancel_activity",
)
def cancel_activity(
    activity_id: UUID,
    body: ReasonBody,
    principal: PrincipalDep,
    idem: IdempotencyDep,
    system: SystemDep,
) -> JSONResponse:
    """Cancel an activity; points already recorded for it are revoked."""
    require(principal.covers(system.app.scope_of(activity_id, Activity)))
    return idem.answer(
        200,
        body,
        lambda extra: system.app.cancel_activity(
            activity_id, body.reason, principal.id, extra=extra
        ),
        lambda d: {"id": activity_id, "status": "cancelled"},
    )


@router.post(
    "/{activity_id}/close",
    response_model=ActivityChanged,
    operation_id="close_activity",
)
def close_activity(
    activity_id: UUID, principal: PrincipalDep, idem: IdempotencyDep, system: SystemDep
) -> JSONResponse:
    """Close attendance recording; later attendance is refused (activity_closed)."""
    require(principal.covers(system.app.scope_of(activity_id, Activity)))
    return idem.answer(
        200,
        None,
        lambda extra: system.app.close_activity(activity_id, principal.id, extra=extra),
        lambda d: {"id": activity_id, "status": "closed"},
    )


@router.get(
    "/{activity_id}",
    response_model=ActivityPublic,
    operation_id="get_activity",
    dependencies=[Consistent],
)
def get_activity(activity_id: UUID, principal: PrincipalDep, system: SystemDep) -> Any:
    """An activity, its status and its counts of sign-ups and attendances."""
    system.app.scope_of(activity_id, Activity)
    record = system.projected(system.queries.activity, str(activity_id))
    if record is None:
        raise NotFound(f"活动 {activity_id} 不存在")
    return record


@router.get(
    "",
    response_model=ActivityPage,
    operation_id="list_activities",
    dependencies=[Consistent],
)
def list_activities(
    principal: PrincipalDep,
    system: SystemDep,
    team_id: UUID | None = None,
    community_id: UUID | None = None,
    starts_from: Annotated[IsoDatetime | None, Query(alias="from")] = None,
    starts_to: Annotated[IsoDatetime | None, Query(alias="to")] = None,
    limit: Limit = 50,
    cursor: PageCursor = None,
) -> dict[str, Any]:
    """Activities by start time, optionally of a team or community and a window."""
    return system.queries.activities(
        team_id=None if team_id is None else str(team_id),
        community_id=None if community_id is None else str(community_id),
        starts_from=None if starts_from is None else _iso_utc(starts_from),
        starts_to=None if starts_to is None else _iso_utc(starts_to),
        limit=limit,
        cursor=cursor,
    )


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from api import busy, deps, permissions
from api.permissions import CanOrganiseActivity
from api.schemas.common import IsoDatetime
from api.schemas.figures import HistoryPage
from api.schemas.participants import ActivityAttendancePage, ActivitySignupPage
from api.schemas.requests import (
    ActivityCreate,
    AttendanceBatch,
    ReasonBody,
    SignupCreate,
)
from api.schemas.responses import (
    ActivityPage,
    ActivityPublic,
    ActivityScheduled,
    ActivityStatusChanged,
    AttendanceRevoked,
    AttendanceWritten,
    SignupChanged,
)
from api.writes import MAX_KEY_LENGTH
from domain import results

router = APIRouter(
    prefix="/v1/activities", tags=["activities"], route_class=busy.GuardedRoute
)


@router.post(
    "",
    status_code=201,
    response_model=ActivityScheduled,
    operation_id="create_activity",
)
def create_activity(
    body: ActivityCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> results.ActivityScheduled:
    """Schedule an activity of a team, with its time window and points rule."""
    permissions.can_schedule_activity(write.app, principal, body.team_id)
    schedule = write.app.schedule_activity
    return write(body, schedule, actor=principal.id, **dict(body))


@router.post(
    "/{activity_id}/signups",
    status_code=201,
    response_model=SignupChanged,
    operation_id="sign_up",
    responses={
        200: {"description": "已报名，未作改变", "model": SignupChanged},
        409: {"description": "activity_full / activity_started / ..."},
    },
)
def sign_up(
    activity_id: UUID,
    body: SignupCreate,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    response: Response,
) -> results.SignupChanged:
    """Sign a member up before the start; a member token may sign up only itself."""
    permissions.can_sign_up(write.app, principal, activity_id, body.member_id)
    signed_up = write(
        body, write.app.sign_up, activity_id, actor=principal.id, **dict(body)
    )
    response.status_code = 201 if signed_up.changed else 200
    return signed_up


@router.delete(
    "/{activity_id}/signups/{member_id}",
    response_model=SignupChanged,
    operation_id="withdraw_signup",
)
def withdraw_signup(
    activity_id: UUID,
    member_id: UUID,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.SignupChanged:
    """Withdraw a sign-up before the start."""
    permissions.can_sign_up(write.app, principal, activity_id, member_id)
    return write(None, write.app.withdraw, activity_id, member_id, principal.id)


async def attendance_plainly(request: Request) -> dict[str, Any] | None:
    """``record_attendance``'s arguments for a request naming an activity by
    a UUID, with a JSON batch and at most one Idempotency-Key."""
    activity_id = busy.path_id(request, "activity_id")
    plain, key = busy.header(request, "idempotency-key", MAX_KEY_LENGTH)
    if activity_id is None or not plain:
        return None
    body = await busy.json_body(request, AttendanceBatch)
    if body is None:
        return None
    return {"activity_id": activity_id, "body": body, "idempotency_key": key}


@router.post(
    "/{activity_id}/attendance",
    response_model=AttendanceWritten,
    operation_id="record_attendance",
)
@busy.guarded_by(permissions.organises_activity)
@busy.read_plainly(attendance_plainly)
async def record_attendance(
    activity_id: UUID,
    body: AttendanceBatch,
    request: Request,
    idempotency_key: deps.IdempotencyKey = None,
) -> Response:
    """Record 1–500 attendances in one transaction: new, unchanged or corrected."""
    principal = busy.principal(request)
    headers: dict[str, str] = {}
    write = deps.write_of(request, principal, idempotency_key, headers)
    records = [(r.member_id, r.hours) for r in body.records]
    record = write.app.record_attendance
    written = await deps.system_of(request).in_worker(
        write, body, record, activity_id, records, principal.id, body.reason
    )
    return busy.answer(busy.fields(written), headers)


@router.post(
    "/{activity_id}/attendance/{member_id}/revoke",
    response_model=AttendanceRevoked,
    operation_id="revoke_attendance",
)
def revoke_attendance(
    activity_id: CanOrganiseActivity,
    member_id: UUID,
    body: ReasonBody,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.AttendanceRevoked:
    """Revoke one attendance with a reason; its points leave every figure."""
    revoke = write.app.revoke_attendance
    return write(body, revoke, activity_id, member_id, body.reason, principal.id)


@router.post(
    "/{activity_id}/cancel",
    response_model=ActivityStatusChanged,
    operation_id="cancel_activity",
)
def cancel_activity(
    activity_id: CanOrganiseActivity,
    body: ReasonBody,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.ActivityStatusChanged:
    """Cancel an activity; points already recorded for it are revoked."""
    cancel = write.app.cancel_activity
    return write(body, cancel, activity_id, body.reason, principal.id)


@router.post(
    "/{activity_id}/close",
    response_model=ActivityStatusChanged,
    operation_id="close_activity",
)
def close_activity(
    activity_id: CanOrganiseActivity,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.ActivityStatusChanged:
    """Close attendance recording; later attendance is refused (activity_closed)."""
    return write(None, write.app.close_activity, activity_id, principal.id)


@router.get(
    "/{activity_id}",
    response_model=ActivityPublic,
    operation_id="get_activity",
    dependencies=deps.READ,
)
def get_activity(activity_id: deps.KnownActivity, system: deps.SystemDep) -> Any:
    """An activity, its status and its counts of sign-ups and attendances."""
    activity = str(activity_id)
    query = system.queries.activity
    return deps.record_of(system, query, activity, what=f"活动 {activity}")


@router.get(
    "/{activity_id}/history",
    response_model=HistoryPage,
    operation_id="get_activity_history",
    dependencies=deps.READ,
)
def get_activity_history(
    activity_id: deps.KnownActivity,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """Every event of an activity, oldest first: what, when, who, why."""
    return system.queries.activity_history(str(activity_id), limit, cursor)


@router.get(
    "/{activity_id}/attendances",
    response_model=ActivityAttendancePage,
    operation_id="list_activity_attendances",
    dependencies=deps.READ,
)
def list_activity_attendances(
    activity_id: CanOrganiseActivity,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The activity's attendances as they stand, in the order recorded."""
    return system.queries.activity_attendances(str(activity_id), limit, cursor)


@router.get(
    "/{activity_id}/signups",
    response_model=ActivitySignupPage,
    operation_id="list_activity_signups",
    dependencies=deps.READ,
)
def list_activity_signups(
    activity_id: CanOrganiseActivity,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """Who is signed up for the activity now, in the order they signed up."""
    return system.queries.activity_signups(str(activity_id), limit, cursor)


@router.get(
    "",
    response_model=ActivityPage,
    operation_id="list_activities",
    dependencies=deps.READ,
)
def list_activities(
    system: deps.SystemDep,
    team_id: UUID | None = None,
    community_id: UUID | None = None,
    starts_from: Annotated[IsoDatetime | None, Query(alias="from")] = None,
    starts_to: Annotated[IsoDatetime | None, Query(alias="to")] = None,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
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

"""Check-in at the door (扫码签到): the rotating code on the organiser's
activity page and its QR code, members' scans, and the organiser's list and
confirmation (API.md 1.2, "Check-in at the door")."""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID

import segno
from fastapi import APIRouter, Request, Response

from api import deps, permissions
from api.permissions import CanOrganiseActivity
from api.schemas.checkins import (
    CheckinAnswer,
    CheckinAsk,
    CheckinCode,
    Checkins,
    CheckinsConfirmedAnswer,
    ConfirmAsk,
)
from api.services import checkins

router = APIRouter(prefix="/v1/activities", tags=["check-in"])

SVG = "image/svg+xml"


@router.get(
    "/{activity_id}/checkin-code",
    response_model=CheckinCode,
    operation_id="get_checkin_code",
    dependencies=deps.READ,
)
def get_checkin_code(
    activity_id: CanOrganiseActivity, request: Request, system: deps.SystemDep
) -> dict[str, Any]:
    """This half-minute's check-in code and the page members open with it;
    taken until ``valid_until`` (the end of the next half-minute)."""
    return checkins.checkin_code(system, activity_id, str(request.base_url))


@router.get(
    "/{activity_id}/checkin-code.svg",
    response_class=Response,
    operation_id="get_checkin_qr_code",
    responses={200: {"content": {SVG: {}}, "description": "签到二维码"}},
    dependencies=deps.READ,
)
def get_checkin_qr_code(
    activity_id: CanOrganiseActivity, request: Request, system: deps.SystemDep
) -> Response:
    """The QR code of this half-minute's check-in page, as SVG."""
    found = checkins.checkin_code(system, activity_id, str(request.base_url))
    svg = io.BytesIO()
    segno.make(found["url"], error="m").save(svg, kind="svg", scale=8, border=2)
    headers = {"Cache-Control": "no-store"}
    return Response(svg.getvalue(), media_type=SVG, headers=headers)


@router.post(
    "/{activity_id}/checkins",
    status_code=201,
    response_model=CheckinAnswer,
    operation_id="check_in",
    responses={200: {"description": "一分钟内重复扫码：与上次相同的回答"}},
)
async def check_in(
    activity_id: UUID,
    body: CheckinAsk,
    request: Request,
    response: Response,
    principal: deps.PrincipalDep,
    system: deps.SystemDep,
) -> dict[str, Any]:
    """The member's scan at the door: the first checks in, a later one (a
    minute or more after) checks out."""
    member_id = permissions.can_check_in(principal)
    device = "|".join(
        (request.headers.get("user-agent", ""), request.headers.get("x-device-id", ""))
    )
    location = None if body.location is None else body.location.model_dump()
    scanned = await system.in_worker(
        checkins.scan, system, activity_id, member_id, body.code, device, location
    )
    if scanned.repeated:
        response.status_code = 200
    response.headers["X-Event-Position"] = str(scanned.position)
    return {"kind": scanned.kind, "at": scanned.at, "position": scanned.position}


@router.get(
    "/{activity_id}/checkins",
    response_model=Checkins,
    operation_id="list_checkins",
    dependencies=deps.READ,
)
def list_checkins(
    activity_id: CanOrganiseActivity, system: deps.SystemDep
) -> dict[str, Any]:
    """Who scanned in and out, in the order they arrived, with the hours
    each stay gives."""
    return checkins.checkins(system, activity_id)


@router.post(
    "/{activity_id}/checkins/confirm",
    response_model=CheckinsConfirmedAnswer,
    operation_id="confirm_checkins",
)
def confirm_checkins(
    activity_id: CanOrganiseActivity,
    body: ConfirmAsk,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> dict[str, Any]:
    """Record an attendance of each complete stay not confirmed before;
    those without a check-out, or in for under a quarter hour, are listed
    and given nothing."""
    confirmed = write(body, write.app.confirm_checkins, activity_id, principal.id)
    return checkins.confirmed_answer(confirmed)

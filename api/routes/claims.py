"""Hours claims (志愿时长申报): a member claims hours for an activity it
attended; organisers in scope list them, approve or reject them."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api import deps, permissions
from api.permissions import CanDecideClaim, CanOrganiseCommunity
from api.schemas.claims import ClaimStatus, HoursClaimed, HoursClaimPage
from api.schemas.requests import HoursClaimApprove, HoursClaimCreate, ReasonBody
from domain import results

router = APIRouter(tags=["hours-claims"])

DECISIONS: dict[int | str, dict[str, Any]] = {
    409: {"description": "claim_decided / activity_closed / member_deregistered"}
}


@router.post(
    "/v1/members/{member_id}/hours-claims",
    status_code=201,
    response_model=HoursClaimed,
    operation_id="create_hours_claim",
    responses={
        409: {
            "description": "activity_not_started / activity_cancelled / "
            "activity_closed / member_deregistered"
        }
    },
)
def create_hours_claim(
    member_id: UUID,
    body: HoursClaimCreate,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.HoursClaimed:
    """Claim hours for an activity the member attended (no sign-up needed): the
    member itself, or an organiser covering the member's community."""
    app = write.app
    permissions.can_act_for_member(app, principal, member_id)
    return write(body, app.claim_hours, member_id, actor=principal.id, **dict(body))


@router.get(
    "/v1/communities/{community_id}/hours-claims",
    response_model=HoursClaimPage,
    operation_id="list_hours_claims",
    dependencies=deps.READ,
)
def list_hours_claims(
    community_id: CanOrganiseCommunity,
    system: deps.SystemDep,
    status: Annotated[
        ClaimStatus | None, Query(description="只列出这一状态的申报")
    ] = None,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The hours claimed for the community's activities, oldest first."""
    return system.queries.community_claims(str(community_id), status, limit, cursor)


@router.post(
    "/v1/hours-claims/{claim_id}/approve",
    response_model=HoursClaimed,
    operation_id="approve_hours_claim",
    responses=DECISIONS,
)
def approve_hours_claim(
    claim_id: CanDecideClaim,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    body: HoursClaimApprove | None = None,
) -> results.HoursClaimed:
    """Approve a claim, with the claimed or other hours: the attendance is
    recorded by the usual rules, the organiser as actor, the claim as reason."""
    approval = body or HoursClaimApprove()
    return write(
        approval.model_dump(exclude_none=True),
        write.app.approve_claim,
        claim_id,
        principal.id,
        approval.hours,
    )


@router.post(
    "/v1/hours-claims/{claim_id}/reject",
    response_model=HoursClaimed,
    operation_id="reject_hours_claim",
    responses=DECISIONS,
)
def reject_hours_claim(
    claim_id: CanDecideClaim,
    body: ReasonBody,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.HoursClaimed:
    """Reject a claim with a reason."""
    return write(body, write.app.reject_claim, claim_id, body.reason, principal.id)

"""Hours claims (志愿时长申报): a member claims hours for an activity it
attended; organisers in scope list them, approve or reject them."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from api import deps
from api.auth import Principal, require
from api.schemas.claims import ClaimStatus, HoursClaimPage, HoursClaimWritten
from api.schemas.requests import HoursClaimApprove, HoursClaimCreate, ReasonBody
from api.system import System
from domain import results
from domain.activity import Activity
from domain.member import Member

router = APIRouter(tags=["hours-claims"])
reads = deps.read_router("", "hours-claims")

DECISIONS: dict[int | str, dict[str, Any]] = {
    409: {"description": "claim_decided / activity_closed / member_deregistered"}
}


def may_decide(system: System, principal: Principal, claim_id: UUID) -> bool:
    """Whether the token covers the community or team of the claim's activity;
    raises NotFound for an unknown claim."""
    claim = system.app.claim(claim_id)
    return principal.covers(system.app.scope_of(claim.activity_id, Activity))


async def claim_in_scope(
    claim_id: UUID, system: deps.SystemDep, principal: deps.PrincipalDep
) -> UUID:
    """A claim that exists (else 404) and that the token may decide (else 403)."""
    require(await system.read(may_decide, system, principal, claim_id))
    return claim_id


ClaimInScope = Annotated[UUID, Depends(claim_in_scope)]


@router.post(
    "/v1/members/{member_id}/hours-claims",
    status_code=201,
    response_model=HoursClaimWritten,
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
    require(
        principal.is_member(member_id)
        or principal.covers(app.scope_of(member_id, Member))
    )
    return write(body, app.claim_hours, member_id, actor=principal.id, **dict(body))


@reads.get(
    "/v1/communities/{community_id}/hours-claims",
    response_model=HoursClaimPage,
    operation_id="list_hours_claims",
)
def list_hours_claims(
    community_id: deps.CommunityInScope,
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
    response_model=HoursClaimWritten,
    operation_id="approve_hours_claim",
    responses=DECISIONS,
)
def approve_hours_claim(
    claim_id: ClaimInScope,
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
    response_model=HoursClaimWritten,
    operation_id="reject_hours_claim",
    responses=DECISIONS,
)
def reject_hours_claim(
    claim_id: ClaimInScope,
    body: ReasonBody,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.HoursClaimed:
    """Reject a claim with a reason."""
    return write(body, write.app.reject_claim, claim_id, body.reason, principal.id)

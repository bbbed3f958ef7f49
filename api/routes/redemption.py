"""Points redemption (积分兑换, 爱心超市): a community's rewards and stock,
redemptions by a member or an organiser covering it, their cancellation, and
a member's points account."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api import deps, permissions
from api.permissions import (
    CanCancelRedemption,
    CanOrganiseCommunity,
    CanReadMember,
    CanRestockReward,
)
from api.schemas.redemption import (
    Account,
    Redeemed,
    RedemptionCancel,
    RedemptionCancelled,
    RedemptionCreate,
    RedemptionPage,
    RedemptionStatus,
    RewardCreate,
    RewardOffered,
    RewardPage,
    RewardRestock,
)
from api.services import redemption
from domain import results

router = APIRouter(tags=["redemption"])


@router.post(
    "/v1/communities/{community_id}/rewards",
    status_code=201,
    response_model=RewardOffered,
    operation_id="create_reward",
)
def create_reward(
    community_id: CanOrganiseCommunity,
    body: RewardCreate,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.RewardOffered:
    """Offer a reward in the community's love supermarket, with its price in
    points and its stock."""
    offer = write.app.offer_reward
    return write(body, offer, community_id, actor=principal.id, **dict(body))


@router.post(
    "/v1/rewards/{reward_id}/restock",
    response_model=RewardOffered,
    operation_id="restock_reward",
)
def restock_reward(
    reward_id: CanRestockReward,
    body: RewardRestock,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.RewardOffered:
    """Add to a reward's stock."""
    restock = write.app.restock_reward
    return write(body, restock, reward_id, body.quantity, principal.id)


@router.get(
    "/v1/communities/{community_id}/rewards",
    response_model=RewardPage,
    operation_id="list_rewards",
    dependencies=deps.READ,
)
def list_rewards(
    community_id: deps.KnownCommunity,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The community's rewards with their price and stock; any token."""
    return system.queries.rewards(str(community_id), limit, cursor)


@router.post(
    "/v1/members/{member_id}/redemptions",
    status_code=201,
    response_model=Redeemed,
    operation_id="redeem_points",
    responses={
        409: {
            "description": "insufficient_points / out_of_stock / "
            "member_deregistered / member_merged"
        }
    },
)
def redeem_points(
    member_id: UUID,
    body: RedemptionCreate,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    system: deps.SystemDep,
) -> results.Redeemed:
    """Exchange points for a reward, the oldest unexpired points first: the
    member itself or an organiser covering it. Decided on every point earned
    up to the log's head; never beyond the balance nor the stock."""
    permissions.can_act_for_member(write.app, principal, member_id)
    redeem = redemption.redeem_points
    return write(
        body, redeem, system, member_id, body.reward_id, body.quantity, principal.id
    )


@router.get(
    "/v1/communities/{community_id}/redemptions",
    response_model=RedemptionPage,
    operation_id="list_redemptions",
    dependencies=deps.READ,
)
def list_redemptions(
    community_id: CanOrganiseCommunity,
    system: deps.SystemDep,
    status: Annotated[
        RedemptionStatus | None, Query(description="只列出这一状态的兑换")
    ] = None,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The community's redemptions, newest first, with the member's and the
    reward's names; admins and organizers covering the community."""
    listed = system.queries.community_redemptions
    return listed(str(community_id), status, limit, cursor)


@router.post(
    "/v1/redemptions/{redemption_id}/cancel",
    response_model=RedemptionCancelled,
    operation_id="cancel_redemption",
    responses={409: {"description": "already_cancelled"}},
)
def cancel_redemption(
    redemption_id: CanCancelRedemption,
    body: RedemptionCancel,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    system: deps.SystemDep,
) -> results.RedemptionCancelled:
    """Cancel a redemption once: its points come back to the years they were
    taken from (expired ones come back expired), the reward back to stock."""
    cancel = redemption.cancel_redemption
    return write(body, cancel, system, redemption_id, body.reason, principal.id)


@router.get(
    "/v1/members/{member_id}/account",
    response_model=Account,
    operation_id="get_member_account",
    dependencies=deps.READ,
)
def get_member_account(
    member_id: CanReadMember, system: deps.SystemDep
) -> dict[str, Any]:
    """A member's points account today: balance, earned, spent, expired,
    refunded, what expires when, and every movement with its position."""
    app = system.app
    return system.queries.account(str(member_id), app.today(), app.points_valid_years)

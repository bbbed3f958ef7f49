"""Points redemption (积分兑换, 爱心超市): a community's rewards and stock,
redemptions by a member or an organiser covering it, their cancellation, and
a member's points account."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends

from api import deps
from api.auth import require
from api.schemas.redemption import (
    Account,
    RedemptionCancel,
    RedemptionCancelled,
    RedemptionCreate,
    RedemptionWritten,
    RewardCreate,
    RewardPage,
    RewardRestock,
    RewardWritten,
)
from domain import results
from domain.idempotency import RequestKey
from domain.member import Member
from domain.redemption import Redemption, Reward

router = APIRouter(tags=["redemption"])
reads = deps.read_router("", "redemption")

RewardInScope = Annotated[UUID, Depends(deps.in_scope("reward_id", Reward))]
RedemptionInScope = Annotated[UUID, Depends(deps.in_scope("redemption_id", Redemption))]


@router.post(
    "/v1/communities/{community_id}/rewards",
    status_code=201,
    response_model=RewardWritten,
    operation_id="create_reward",
)
def create_reward(
    community_id: deps.CommunityInScope,
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
    response_model=RewardWritten,
    operation_id="restock_reward",
)
def restock_reward(
    reward_id: RewardInScope,
    body: RewardRestock,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.RewardOffered:
    """Add to a reward's stock."""
    restock = write.app.restock_reward
    return write(body, restock, reward_id, body.quantity, principal.id)


@reads.get(
    "/v1/communities/{community_id}/rewards",
    response_model=RewardPage,
    operation_id="list_rewards",
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
    response_model=RedemptionWritten,
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
    app = write.app
    require(
        principal.is_member(member_id)
        or principal.covers(app.scope_of(member_id, Member))
    )

    def redeem(*, request: RequestKey | None = None) -> results.Redeemed:
        earned = system.earned_by_year(member_id)
        return app.redeem(
            member_id,
            body.reward_id,
            body.quantity,
            earned,
            principal.id,
            request=request,
        )

    return write(body, redeem)


@router.post(
    "/v1/redemptions/{redemption_id}/cancel",
    response_model=RedemptionCancelled,
    operation_id="cancel_redemption",
    responses={409: {"description": "already_cancelled"}},
)
def cancel_redemption(
    redemption_id: RedemptionInScope,
    body: RedemptionCancel,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    system: deps.SystemDep,
) -> results.RedemptionCancelled:
    """Cancel a redemption once: its points come back to the years they were
    taken from (expired ones come back expired), the reward back to stock."""
    app = write.app

    def cancel(*, request: RequestKey | None = None) -> results.RedemptionCancelled:
        redeemed_by = app.redemption(redemption_id).member_id
        earned = system.earned_by_year(app.account_holder(redeemed_by))
        return app.cancel_redemption(
            redemption_id, body.reason, earned, principal.id, request=request
        )

    return write(body, cancel)


@reads.get(
    "/v1/members/{member_id}/account",
    response_model=Account,
    operation_id="get_member_account",
)
def get_member_account(
    member_id: deps.ReadableMember, system: deps.SystemDep
) -> dict[str, Any]:
    """A member's points account today: balance, earned, spent, expired,
    refunded, what expires when, and every movement with its position."""
    app = system.app
    return system.queries.account(str(member_id), app.today(), app.points_valid_years)

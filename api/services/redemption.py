"""Points redemption (积分兑换, 爱心超市): decided on every point a member
earned up to the log's head, never on a read model behind it."""

from __future__ import annotations

from uuid import UUID

from api.services.read_models import caught_up
from api.system import System
from domain.idempotency import RequestKey
from domain.results import Redeemed, RedemptionCancelled


def redeem_points(
    system: System,
    member_id: UUID,
    reward_id: UUID,
    quantity: int,
    actor: str,
    *,
    request: RequestKey | None = None,
) -> Redeemed:
    """Exchanges a member's points for a reward, the oldest unexpired points
    first; never beyond the balance nor the stock."""
    earned = caught_up(system).earned_by_year(str(member_id))
    return system.app.redeem(
        member_id, reward_id, quantity, earned, actor, request=request
    )


def cancel_redemption(
    system: System,
    redemption_id: UUID,
    reason: str,
    actor: str,
    *,
    request: RequestKey | None = None,
) -> RedemptionCancelled:
    """Cancels a redemption once: its points go back to the years they were
    taken from (expired ones come back expired), the reward back to stock."""
    app = system.app
    holder = app.account_holder(app.redemption(redemption_id).member_id)
    earned = caught_up(system).earned_by_year(str(holder))
    return app.cancel_redemption(redemption_id, reason, earned, actor, request=request)

"""Points redemption (积分兑换): rewards and their stock, redemptions and their
cancellation. The balance is reckoned from the member's points earned each
year, as read once every event up to the log's head was projected, and the
points spent, kept in the member's account: the account and the reward change
with the redemption in one transaction, so concurrent redemptions are decided
one after another."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.accounting import Balance
from domain.commands.saving import ApplicationBase, in_turn, retried
from domain.community import Community
from domain.errors import InsufficientPoints, InvalidCommand, NotFound, UnknownReference
from domain.idempotency import RequestKey
from domain.inputs import check_reason, check_text
from domain.member import Member
from domain.points import ONE_PLACE, to_decimal
from domain.redemption import PointsAccount, Redemption, Reward
from domain.results import Redeemed, RedemptionCancelled, RewardOffered

MAX_QUANTITY = 10_000
MAX_STOCK = 1_000_000
DEFAULT_POINTS_VALID_YEARS = 3
POINTS_VALID_YEARS = "POINTS_VALID_YEARS"


def check_quantity(value: object, field: str, least: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidCommand(f"{field} 必须是整数", field)
    if not least <= value <= MAX_STOCK:
        raise InvalidCommand(f"{field} 必须在 {least} 到 {MAX_STOCK} 之间", field)
    return value


def check_price(value: object) -> Decimal:
    points = to_decimal(value, "points")
    if points <= 0 or points > 1_000_000 or points != points.quantize(ONE_PLACE):
        raise InvalidCommand("points 必须是大于 0 的数，最多一位小数", "points")
    return points.quantize(ONE_PLACE)


def offered(reward: Reward) -> RewardOffered:
    return RewardOffered(
        reward.id, reward.community_id, reward.name, reward.points, reward.stock
    )


def spending_account(app: Any, arguments: dict[str, Any]) -> UUID:
    """The points account a redemption spends from."""
    return PointsAccount.create_id(arguments["member_id"])


def redeemed_reward(app: Any, arguments: dict[str, Any]) -> UUID:
    """The reward a cancelled redemption goes back to."""
    reward_id: UUID = app.redemption(arguments["redemption_id"]).reward_id
    return reward_id


def refunded_account(app: Any, arguments: dict[str, Any]) -> UUID:
    """The points account a cancelled redemption refunds."""
    redemption = app.redemption(arguments["redemption_id"])
    return PointsAccount.create_id(app.account_holder(redemption.member_id))


class RedemptionCommands(ApplicationBase):
    @property
    def points_valid_years(self) -> int:
        """How many calendar years points stay valid (``POINTS_VALID_YEARS``)."""
        years = self.env.get(POINTS_VALID_YEARS)
        return DEFAULT_POINTS_VALID_YEARS if not years else int(years)

    @retried
    def offer_reward(
        self,
        community_id: UUID,
        name: str,
        points: object,
        stock: object,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> RewardOffered:
        self._load(Community, community_id, "社区")
        reward = Reward(
            community_id=community_id,
            name=check_text(name, "name", max_length=100),
            points=check_price(points),
            stock=check_quantity(stock, "stock", least=0),
            actor=actor,
        )
        return self._saved(offered(reward), reward, request=request)

    @in_turn("reward_id")
    def restock_reward(
        self,
        reward_id: UUID,
        quantity: object,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> RewardOffered:
        reward = self.reward(reward_id)
        added = check_quantity(quantity, "quantity")
        if reward.stock + added > MAX_STOCK:
            raise InvalidCommand(f"库存不能超过 {MAX_STOCK}", "quantity")
        reward.restock(added, actor)
        return self._saved(offered(reward), reward, request=request)

    def balance(self, member_id: UUID, earned: Mapping[int, Decimal]) -> Balance:
        """A member's balance today, from the points earned each year."""
        spent = self._account(member_id).spent
        return Balance.of(earned, spent, self.today(), self.points_valid_years)

    @in_turn("reward_id", spending_account)
    def redeem(
        self,
        member_id: UUID,
        reward_id: UUID,
        quantity: object,
        earned: Mapping[int, Decimal],
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> Redeemed:
        """Exchanges points for a reward: the oldest unexpired points first,
        never beyond the balance nor the stock. ``earned`` is the member's
        points of each year with every event up to the log's head counted."""
        member = self._load(Member, member_id, "志愿者")
        member.check_is_registered()
        try:
            reward = self.reward(reward_id)
        except NotFound as error:
            raise UnknownReference(error.message, "reward_id") from None
        wanted = check_quantity(quantity, "quantity")
        if wanted > MAX_QUANTITY:
            raise InvalidCommand(f"一次最多兑换 {MAX_QUANTITY} 件", "quantity")
        account = self._account(member_id)
        balance = Balance.of(
            earned, account.spent, self.today(), self.points_valid_years
        )
        cost = reward.points * wanted
        if balance.balance < 0:
            raise InsufficientPoints(f"积分余额为负（{balance.balance}），暂不能兑换")
        if cost > balance.balance:
            raise InsufficientPoints(
                f"积分不足：兑换需要 {cost}，可用 {balance.balance}"
            )
        allocation = balance.allocate(cost)
        redemption = Redemption(
            member_id=member.id,
            reward_id=reward.id,
            community_id=reward.community_id,
            quantity=wanted,
            points=cost,
            allocation={str(y): p for y, p in allocation.items()},
            made_on=self.today(),
            actor=actor,
        )
        reward.take(redemption.id, wanted, actor)
        account.spend(redemption.id, allocation)
        redeemed = Redeemed(
            redemption.id,
            member.id,
            reward.id,
            wanted,
            cost,
            balance.balance - cost,
        )
        return self._saved(redeemed, redemption, reward, account, request=request)

    @in_turn("redemption_id", redeemed_reward, refunded_account)
    def cancel_redemption(
        self,
        redemption_id: UUID,
        reason: str,
        earned: Mapping[int, Decimal],
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> RedemptionCancelled:
        """Gives the points back to the years they came from (expired ones
        come back expired) and the reward back to stock; once."""
        redemption = self.redemption(redemption_id)
        checked = check_reason(reason)
        redemption.cancel(checked, self.today(), actor)
        reward = self.reward(redemption.reward_id)
        reward.give_back(redemption.id, redemption.quantity, actor)
        account = self._account(self.account_holder(redemption.member_id))
        account.refund(redemption.id, redemption.allocation)
        balance = Balance.of(
            earned, account.spent, self.today(), self.points_valid_years
        )
        cancelled = RedemptionCancelled(
            redemption.id,
            redemption.member_id,
            redemption.points,
            checked,
            balance.balance,
        )
        return self._saved(cancelled, redemption, reward, account, request=request)

    def account_holder(self, member_id: UUID) -> UUID:
        """Whose account a member's points are in: its own, or, once merged,
        the survivor's."""
        member = self._load(Member, member_id, "志愿者")
        while member.merged_into is not None:
            member = self._load(Member, member.merged_into, "志愿者")
        return member.id

    def reward(self, reward_id: UUID) -> Reward:
        return self._load(Reward, reward_id, "奖品")

    def redemption(self, redemption_id: UUID) -> Redemption:
        return self._load(Redemption, redemption_id, "兑换")

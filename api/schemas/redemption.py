"""Redemption (积分兑换): rewards, redemptions and a member's points account."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, PlainSerializer, StrictInt

from api.schemas.common import Name, Number, PointsText, Text
from api.schemas.requests import Request
from api.schemas.responses import Written

Points = Annotated[
    Decimal,
    PlainSerializer(lambda p: f"{p:.1f}", return_type=str),
    Field(examples=["20.0"]),
]
Quantity = Annotated[StrictInt, Field(ge=1, le=1_000_000, examples=[1])]


class RewardCreate(Request):
    name: Name = Field(examples=["洗衣液一瓶"])
    points: Number = Field(description="兑换一件需要的积分", examples=["50"])
    stock: Annotated[StrictInt, Field(ge=0, le=1_000_000, examples=[20])]


class RewardRestock(Request):
    quantity: Quantity


class RedemptionCreate(Request):
    reward_id: UUID
    quantity: Quantity = 1


class RedemptionCancel(Request):
    reason: Text = Field(examples=["商品有质量问题，退回"])


class RewardOffered(Written):
    id: UUID
    community_id: UUID
    name: str
    points: Points
    stock: int


class Reward(BaseModel):
    id: UUID
    community_id: UUID
    name: str
    points: PointsText
    stock: int


class RewardPage(BaseModel):
    items: list[Reward]
    next_cursor: str | None


class Redeemed(Written):
    id: UUID
    member_id: UUID
    reward_id: UUID
    quantity: int
    points: Points = Field(description="这次兑换用去的积分")
    balance: Points = Field(description="兑换后的积分余额")


class RedemptionCancelled(Written):
    id: UUID
    member_id: UUID
    status: Literal["cancelled"] = "cancelled"
    points: Points = Field(description="退回的积分")
    reason: str
    balance: Points = Field(description="退回后的积分余额")


class Expiring(BaseModel):
    year: int = Field(description="积分挣得的年份")
    points: PointsText
    expires_on: str | None = Field(description="到期日（这一天之后作废）")


class AccountEntry(BaseModel):
    type: Literal[
        "earned", "corrected", "rerated", "revoked", "spent", "refunded", "expired"
    ]
    points: PointsText = Field(description="增加为正，减少为负")
    date: str
    position: int | None = Field(description="事件日志位置；作废由日期推出，没有位置")
    reason: str | None


class Account(BaseModel):
    member_id: UUID
    as_of: str
    balance: PointsText
    earned: PointsText
    spent: PointsText
    expired: PointsText
    refunded: PointsText
    expiring: list[Expiring]
    entries: list[AccountEntry]


RedemptionStatus = Literal["made", "cancelled"]


class RedemptionListed(BaseModel):
    id: UUID
    member_id: UUID
    name: str | None = Field(description="志愿者姓名")
    reward_id: UUID
    reward: str | None = Field(description="物品名称")
    community_id: UUID
    quantity: int
    points: PointsText = Field(description="这次兑换用去的积分")
    status: RedemptionStatus
    made_on: str = Field(description="兑换日期（上海时间）")
    cancelled_on: str | None = Field(description="取消日期，未取消为 null")
    reason: str | None = Field(description="取消理由")
    position: int = Field(description="兑换事件的事件日志位置")


class RedemptionPage(BaseModel):
    items: list[RedemptionListed]
    next_cursor: str | None

"""Hours claims (志愿时长申报): as written, and as a community's list shows them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, PlainSerializer

from api.schemas.common import HoursText
from api.schemas.responses import Written

ClaimStatus = Literal["pending", "approved", "rejected"]


def hours_shown(hours: Decimal) -> str:
    """Hours as the statement shows them: "2", "2.5", "0.75"."""
    return f"{hours.normalize():f}"


Hours = Annotated[
    Decimal, PlainSerializer(hours_shown, return_type=str), Field(examples=["2.5"])
]


class HoursClaimed(Written):
    """A claim after it was made or decided."""

    id: UUID
    status: ClaimStatus
    member_id: UUID
    activity_id: UUID
    community_id: UUID = Field(description="活动所属社区：由其组织者审核")
    hours: Hours = Field(description="申报的时长（小时）")
    note: str | None
    decided_hours: Hours | None = Field(description="批准时登记的时长")
    reason: str | None = Field(description="驳回的理由")


class HoursClaim(BaseModel):
    id: UUID
    status: ClaimStatus
    member_id: UUID
    activity_id: UUID
    community_id: UUID
    hours: HoursText
    note: str | None
    claimed_at: str
    decided_by: str | None = Field(description="审核的组织者（令牌 id）")
    decided_at: str | None
    decided_hours: HoursText | None
    reason: str | None
    position: int = Field(description="申报事件的事件日志位置")


class HoursClaimPage(BaseModel):
    items: list[HoursClaim]
    next_cursor: str | None

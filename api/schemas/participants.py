"""Who takes part in an activity: its sign-ups and its attendances as they
stand, each with the member's name."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import HoursText, PointsText, UtcText


class ActivityAttendance(BaseModel):
    member_id: UUID
    name: str | None = Field(description="志愿者现在的姓名")
    hours: HoursText = Field(description="登记的时长，撤销后仍显示")
    points: PointsText = Field(description="计入的积分；撤销或取消的为 0.0")
    status: Literal["recorded", "corrected", "revoked", "cancelled"] = Field(
        description="与积分明细的 status 相同"
    )
    recorded_by: str = Field(description="登记者（不是更正者）")
    recorded_at: UtcText = Field(description="登记的时间")
    reason: str | None = Field(description="更正、撤销或取消的理由")


class ActivityAttendancePage(BaseModel):
    items: list[ActivityAttendance]
    next_cursor: str | None


class ActivitySignup(BaseModel):
    member_id: UUID
    name: str | None = Field(description="志愿者现在的姓名")
    signed_up_at: UtcText


class ActivitySignupPage(BaseModel):
    items: list[ActivitySignup]
    next_cursor: str | None

"""Bodies and answers of check-in at the door."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.requests import Request


class Location(Request):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lng: Annotated[float, Field(ge=-180, le=180)]
    accuracy: Annotated[float, Field(ge=0, le=100_000, description="精度（米）")]


class CheckinAsk(Request):
    code: Annotated[str, Field(min_length=1, max_length=100)]
    location: Location | None = None


class CheckinAnswer(BaseModel):
    kind: Literal["in", "out"]
    at: datetime
    position: int


class CheckinCode(BaseModel):
    code: str
    url: str = Field(description="成员手机扫码打开的签到页地址")
    valid_until: datetime


class CheckinItem(BaseModel):
    member_id: UUID
    name: str | None
    checked_in_at: datetime
    checked_out_at: datetime | None
    hours: str | None = Field(description="按签到签退计算的时长；未签退为 null")
    confirmed: bool


class Checkins(BaseModel):
    items: list[CheckinItem]


class ConfirmedAttendance(BaseModel):
    member_id: UUID
    hours: str
    points: str


class CheckinsConfirmedAnswer(BaseModel):
    recorded: list[ConfirmedAttendance]
    missing_checkout: list[UUID]
    too_short: list[UUID]
    position: int


class ConfirmAsk(Request):
    pass

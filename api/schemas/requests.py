"""Request bodies: what a client sends, normalised (text stripped) on the way in,
so that what is stored is what the answer shows."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from api.schemas.common import IsoDate, IsoDatetime, Name, Number, Text


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CommunityCreate(Request):
    name: Name = Field(examples=["幸福里社区"])
    street: Name | None = Field(default=None, examples=["东风街道"])


class UnitCreate(Request):
    name: Name = Field(examples=["区教育局机关党委"])


class MemberCreate(Request):
    name: Annotated[str, Field(min_length=1, max_length=100, examples=["王芳"])]
    community_id: UUID
    party_member: StrictBool
    unit_id: UUID | None = None
    grid: Name | None = Field(default=None, examples=["第三网格"])
    phone: Annotated[str, Field(min_length=1, max_length=20)] | None = Field(
        default=None, examples=["13800138000"]
    )
    registered_on: IsoDate | None = Field(
        default=None, description="登记日期（默认今天，上海时间）"
    )


class DoubleReportCreate(Request):
    community_id: UUID
    reported_on: IsoDate = Field(examples=["2026-03-01"])


class TeamCreate(Request):
    name: Name = Field(examples=["红色先锋志愿服务队"])
    community_id: UUID


class TeamMemberAdd(Request):
    member_id: UUID


class TeamDissolve(Request):
    reason: Text = Field(examples=["队伍合并"])


class ActivityCreate(Request):
    title: Name = Field(examples=["垃圾分类宣传"])
    team_id: UUID
    category: Annotated[str, Field(min_length=1, max_length=50, examples=["环境保护"])]
    starts_at: IsoDatetime = Field(examples=["2026-03-07T09:00:00+08:00"])
    ends_at: IsoDatetime = Field(examples=["2026-03-07T11:30:00+08:00"])
    location: Name | None = None
    capacity: Annotated[int, Field(ge=1, le=100_000)] | None = None
    points_per_hour: Number | None = Field(default=None, examples=["10"])
    fixed_points: Number | None = None


class SignupCreate(Request):
    member_id: UUID


class AttendanceRecord(Request):
    member_id: UUID
    hours: Number = Field(examples=["2.5"])


class AttendanceBatch(Request):
    records: Annotated[list[AttendanceRecord], Field(min_length=1, max_length=500)]
    reason: Text | None = Field(default=None, description="更正时长时的理由")


class ReasonBody(Request):
    reason: Text = Field(examples=["登记错误"])


class TokenCreate(Request):
    role: Literal["admin", "organizer", "member"]
    community_ids: Annotated[list[UUID], Field(max_length=1000)] = []
    team_ids: Annotated[list[UUID], Field(max_length=1000)] = []
    member_id: UUID | None = None
    label: Name | None = None

"""Request and response bodies, split by direction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
)

from domain.rules import SHANGHAI

Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=500)]
Number = Annotated[Decimal, Field(allow_inf_nan=False, max_digits=12)]
PointsText = Annotated[str, Field(examples=["20.0"])]
HoursText = Annotated[str, Field(examples=["2.5"])]


def not_a_timestamp(value: object) -> object:
    """Refuses numbers, which pydantic would otherwise read as Unix timestamps
    (``to=0.5``, ``"reported_on": 0``): times and dates are ISO 8601 text."""
    if isinstance(value, int | float) or (isinstance(value, str) and _number(value)):
        raise ValueError("应为 ISO 8601 格式的日期或时间，而不是数字")
    return value


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def within_the_calendar(moment: datetime) -> datetime:
    """Refuses moments that cannot be told in UTC or in Shanghai (year 1 at
    +00:01, 9999-12-31 late in UTC): converting them would overflow later, in
    a route or, worse, in the projection of a stored event."""
    try:
        moment.astimezone(UTC)
        moment.astimezone(SHANGHAI)
    except OverflowError:
        raise ValueError("时间超出了可表示的范围") from None
    return moment


IsoDatetime = Annotated[
    AwareDatetime,
    BeforeValidator(not_a_timestamp),
    AfterValidator(within_the_calendar),
]
IsoDate = Annotated[date, BeforeValidator(not_a_timestamp)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Written(BaseModel):
    position: int = Field(description="事件日志位置；读取时作为 min_position 传入")


# Requests.


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


# Responses.


class CommunityPublic(Written):
    id: UUID
    name: str
    street: str | None


class UnitPublic(Written):
    id: UUID
    name: str


class MemberCreated(Written):
    id: UUID
    name: str
    community_id: UUID
    party_member: bool
    unit_id: UUID | None
    grid: str | None
    phone: str | None


class DoubleReported(Written):
    id: UUID
    community_id: UUID
    reported_on: date


class TeamCreated(Written):
    id: UUID
    name: str
    community_id: UUID


class TeamMembership(Written):
    team_id: UUID
    member_id: UUID
    member: bool


class ActivityCreated(Written):
    id: UUID
    title: str
    team_id: UUID
    community_id: UUID
    category: str
    starts_at: str
    ends_at: str
    status: str


class Signup(Written):
    activity_id: UUID
    member_id: UUID
    signed_up: bool


class AttendanceResult(Written):
    activity_id: UUID
    recorded: int
    unchanged: int
    corrected: int


class ActivityChanged(Written):
    id: UUID
    status: str


class AttendanceRevoked(Written):
    activity_id: UUID
    member_id: UUID
    status: Literal["revoked"]
    reason: str


class TokenCreated(Written):
    token: str | None = Field(
        description="令牌明文，只在第一次应答中显示；以 Idempotency-Key 重放时为 null"
    )
    id: UUID
    role: str
    community_ids: list[UUID]
    team_ids: list[UUID]
    member_id: UUID | None
    label: str | None


class TokenRevoked(Written):
    id: UUID
    revoked: bool


class Points(BaseModel):
    member_id: UUID
    year: int
    points: PointsText
    hours: HoursText
    activities: int
    lifetime_points: PointsText
    lifetime_hours: HoursText
    star: int


class StatementItem(BaseModel):
    activity_id: UUID
    title: str
    date: date
    hours: HoursText
    points: PointsText
    status: Literal["recorded", "corrected", "revoked", "cancelled"]
    recorded_by: str
    reason: str | None


class Statement(BaseModel):
    member_id: UUID
    year: int
    items: list[StatementItem]
    points: PointsText
    hours: HoursText


class TeamFigures(BaseModel):
    id: UUID
    name: str
    community_id: UUID
    dissolved: bool
    year: int
    members: int
    activities: int
    participations: int
    hours: HoursText
    points: PointsText


class TeamSummary(BaseModel):
    id: UUID
    name: str
    community_id: UUID
    dissolved: bool


class Stats(BaseModel):
    year: int
    teams: int
    volunteers: int
    activities: int
    participations: int
    hours: HoursText
    points: PointsText
    members: int = Field(description="计入人均年积分的志愿者人数")
    avg_annual_points: PointsText
    units_reported: int
    members_reported: int


class DoubleReport(BaseModel):
    community_id: UUID
    reported_on: date


class MemberPublic(BaseModel):
    id: UUID
    name: str
    community_id: UUID
    party_member: bool
    unit_id: UUID | None
    grid: str | None
    registered_on: date
    double_report: DoubleReport | None
    teams: list[UUID] = []
    phone: str | None = Field(default=None, description="仅管理员与范围内的组织者可见")


class ActivityPublic(BaseModel):
    id: UUID
    title: str
    team_id: UUID
    community_id: UUID
    category: str
    starts_at: str
    ends_at: str
    date: date
    location: str | None
    status: Literal["scheduled", "closed", "cancelled"]
    capacity: int | None
    signups: int
    attendances: int


class ActivityPage(BaseModel):
    items: list[ActivityPublic]
    next_cursor: str | None


class TeamPage(BaseModel):
    items: list[TeamSummary]
    next_cursor: str | None


class MemberPage(BaseModel):
    items: list[MemberPublic]
    next_cursor: str | None


class LeaderboardItem(BaseModel):
    member_id: UUID
    name: str
    points: PointsText
    hours: HoursText


class Leaderboard(BaseModel):
    community_id: UUID
    year: int
    items: list[LeaderboardItem]


class Health(BaseModel):
    status: Literal["ok"]
    position: int
    projected: int

"""Response bodies: what a client is answered."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, PlainSerializer

from api.schemas.common import HoursText, PointsText

UtcText = Annotated[
    datetime,
    PlainSerializer(lambda moment: moment.astimezone(UTC).isoformat(), return_type=str),
]


class Written(BaseModel):
    position: int = Field(description="事件日志位置；读取时作为 min_position 传入")


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
    starts_at: UtcText
    ends_at: UtcText
    status: Literal["scheduled"] = "scheduled"


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
    status: Literal["revoked"] = "revoked"
    reason: str


class TokenCreated(Written):
    token: str | None = Field(
        default=None,
        description="令牌明文，只在第一次应答中显示；以 Idempotency-Key 重放时为 null",
    )
    id: UUID
    role: str
    community_ids: list[UUID]
    team_ids: list[UUID]
    member_id: UUID | None
    label: str | None


class TokenRevoked(Written):
    id: UUID
    revoked: bool = True


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

"""Response bodies: what a client is answered after a write, and the records
and lists it reads."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import UtcText


class Written(BaseModel):
    position: int = Field(description="事件日志位置；读取时作为 min_position 传入")


PartyOrganisation = Literal["党委", "党总支", "党支部"]


class DistrictRegistered(Written):
    id: UUID
    name: str


class StreetRegistered(Written):
    id: UUID
    name: str
    district_id: UUID


class CommunityRegistered(Written):
    id: UUID
    name: str
    street: str | None
    street_id: UUID | None = None
    district_id: UUID | None = None
    party_organisation: PartyOrganisation | None = None


class GridRegistered(Written):
    id: UUID
    name: str
    community_id: UUID
    party_organisation: bool


class UnitRegistered(Written):
    id: UUID
    name: str


class MemberRegistered(Written):
    """A member's details as they stand after a registration or a change."""

    id: UUID
    name: str
    community_id: UUID
    party_member: bool
    unit_id: UUID | None
    grid: str | None
    phone: str | None
    grid_id: UUID | None = None
    registered_on: date | None = None


class MemberMoved(Written):
    id: UUID
    community_id: UUID = Field(description="志愿者现在登记的社区")
    moved_on: date


class MembersMerged(Written):
    """The survivor of a merge, and what came to it from the duplicate."""

    id: UUID = Field(description="保留的志愿者")
    name: str
    community_id: UUID
    duplicate_id: UUID
    reason: str
    attendances_moved: int = Field(description="转到保留记录的参加记录")
    attendances_revoked: int = Field(
        description="两条记录都参加的活动：重复记录的参加记录以 merged 撤销"
    )
    teams: int = Field(description="转到保留记录的服务队成员身份")


class MemberLeft(Written):
    id: UUID
    left_on: date
    reason: str


class DoubleReported(Written):
    id: UUID
    community_id: UUID
    reported_on: date


class DoubleReportEnded(Written):
    id: UUID
    community_id: UUID
    ended_on: date


class TeamFounded(Written):
    id: UUID
    name: str
    community_id: UUID
    founded_on: date | None = None


class TeamDissolved(Written):
    id: UUID
    name: str
    community_id: UUID
    dissolved_on: date | None = None


class TeamMembershipChanged(Written):
    team_id: UUID
    member_id: UUID
    member: bool


class ActivityScheduled(Written):
    id: UUID
    title: str
    team_id: UUID
    community_id: UUID
    category: str
    starts_at: UtcText
    ends_at: UtcText
    status: Literal["scheduled"] = "scheduled"


class SignupChanged(Written):
    activity_id: UUID
    member_id: UUID
    signed_up: bool


class AttendanceWritten(Written):
    activity_id: UUID
    recorded: int
    unchanged: int
    corrected: int


class ActivityStatusChanged(Written):
    id: UUID
    status: str


class AttendanceRevoked(Written):
    activity_id: UUID
    member_id: UUID
    status: Literal["revoked"] = "revoked"
    reason: str


class TokenIssued(Written):
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
    district_ids: list[UUID] = []
    street_ids: list[UUID] = []


class Place(BaseModel):
    kind: Literal["district", "street", "community", "team"]
    id: UUID
    name: str | None


class TokenListed(BaseModel):
    id: UUID
    role: Literal["admin", "organizer", "member"]
    label: str | None
    member_id: UUID | None
    district_ids: list[UUID]
    street_ids: list[UUID]
    community_ids: list[UUID]
    team_ids: list[UUID]
    places: list[Place] = Field(
        default_factory=list, description="权限范围内各处的种类、id 和名称"
    )
    issued_at: UtcText
    revoked: bool


class TokenPage(BaseModel):
    items: list[TokenListed]
    next_cursor: str | None


class TokenRevoked(Written):
    id: UUID
    revoked: bool = True


class TeamSummary(BaseModel):
    id: UUID
    name: str
    community_id: UUID
    dissolved: bool


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
    grid_id: UUID | None = None
    registered_on: date
    left_on: date | None = None
    status: Literal["registered", "deregistered", "merged"] = "registered"
    merged_into: UUID | None = Field(default=None, description="合并到的志愿者")
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


class TokenScope(BaseModel):
    role: Literal["admin", "organizer", "member"]
    member_id: UUID | None
    places: list[Place]


class MemberPage(BaseModel):
    items: list[MemberPublic]
    next_cursor: str | None


class District(BaseModel):
    id: UUID
    name: str


class Street(BaseModel):
    id: UUID
    name: str
    district_id: UUID


class Community(BaseModel):
    id: UUID
    name: str
    street: str | None
    street_id: UUID | None
    district_id: UUID | None
    party_organisation: PartyOrganisation | None


class Grid(BaseModel):
    id: UUID
    name: str
    community_id: UUID
    party_organisation: bool


class Unit(BaseModel):
    id: UUID
    name: str


class DistrictPage(BaseModel):
    items: list[District]
    next_cursor: str | None


class StreetPage(BaseModel):
    items: list[Street]
    next_cursor: str | None


class CommunityPage(BaseModel):
    items: list[Community]
    next_cursor: str | None


class CommunityPlace(Community):
    """A community with the names of its street and district, as a place
    picker shows it."""

    district: str | None


class CommunityPlacePage(BaseModel):
    items: list[CommunityPlace]
    next_cursor: str | None


class GridPage(BaseModel):
    items: list[Grid]
    next_cursor: str | None


class UnitPage(BaseModel):
    items: list[Unit]
    next_cursor: str | None


class Health(BaseModel):
    """`stalled` (503) while this process's projection stands before an event
    it cannot apply: `stalled_at` is that event's position, `error` why. With
    `projector: worker` the projection runs in `vpoints project`, which logs
    its stalls, and `projected` is the worker's tracking position. With
    `read_from: standby` the reads come from a streaming standby: `projected`
    is the tracking position replayed there, `projected_on_primary` the
    projection's on the primary."""

    status: Literal["ok", "stalled"]
    position: int
    projected: int
    projection: str
    projector: Literal["in_process", "worker"]
    read_from: Literal["standby"] | None = None
    projected_on_primary: int | None = None
    stalled_at: int | None = None
    error: str | None = None

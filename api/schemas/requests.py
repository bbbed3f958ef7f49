"""Request bodies: what a client sends, normalised (text stripped) on the way in,
so that what is stored is what the answer shows."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    WithJsonSchema,
    field_validator,
)

from api.schemas.common import IsoDate, IsoDatetime, Name, Number, Text
from domain.dates import FIRST_YEAR, LAST_YEAR


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def added(default: Any = None, **field: Any) -> Any:
    """A field added in version 1.1. Left at its default it stays out of the
    request's fingerprint, so that a retry of a request the earlier release
    answered under an Idempotency-Key still matches that answer."""
    return Field(default=default, exclude_if=lambda value: value == default, **field)


def on_date(what: str) -> Any:
    """An optional business date: today (Asia/Shanghai) when not given."""
    return added(description=f"{what}（默认今天，上海时间）")


PartyOrganisation = Literal["党委", "党总支", "党支部"]
MemberName = Annotated[str, Field(min_length=1, max_length=100, examples=["王芳"])]
Phone = Annotated[str, Field(min_length=1, max_length=20, examples=["13800138000"])]


class DistrictCreate(Request):
    name: Name = Field(examples=["秦皇岛经济技术开发区"])


class StreetCreate(Request):
    name: Name = Field(examples=["东风街道"])
    district_id: UUID


class CommunityCreate(Request):
    name: Name = Field(examples=["幸福里社区"])
    street: Name | None = Field(default=None, examples=["东风街道"])
    street_id: UUID | None = added(description="所属街道；不给出时只计入全域的数字")
    party_organisation: PartyOrganisation | None = added(
        description="社区党组织：党委、党总支或党支部"
    )


class GridCreate(Request):
    name: Name = Field(examples=["第三网格"])
    community_id: UUID
    party_organisation: StrictBool = Field(description="是否有网格党组织")


class UnitCreate(Request):
    name: Name = Field(examples=["区教育局机关党委"])


class MemberCreate(Request):
    name: MemberName
    community_id: UUID
    party_member: StrictBool
    unit_id: UUID | None = None
    grid: Name | None = Field(
        default=None, examples=["第三网格"], description="网格名称（未登记网格时）"
    )
    phone: Phone | None = None
    registered_on: IsoDate | None = Field(
        default=None, description="登记日期（默认今天，上海时间）"
    )
    grid_id: UUID | None = added(description="所在网格（属于该社区）")


class MemberUpdate(Request):
    """The details to change; those not given stay as they are, and null
    clears a phone, a grid or a unit."""

    name: Annotated[
        MemberName | None,
        WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 100}),
    ] = None
    phone: Phone | None = None
    grid_id: UUID | None = None
    party_member: Annotated[StrictBool | None, WithJsonSchema({"type": "boolean"})] = (
        None
    )
    unit_id: UUID | None = None

    @field_validator("name", "party_member")
    @classmethod
    def not_null(cls, value: object) -> object:
        """A name or party membership may be changed, never cleared."""
        if value is None:
            raise ValueError("不能为 null")
        return value


class MemberMove(Request):
    community_id: UUID
    moved_on: IsoDate | None = on_date("迁入新社区的日期")


class MemberDeregister(Request):
    reason: Text = Field(examples=["迁出本市"])
    left_on: IsoDate | None = on_date("注销日期")


class MemberMerge(Request):
    duplicate_id: UUID = Field(description="重复的志愿者记录，合并后不再使用")
    reason: Text = Field(examples=["同一人重复登记"])


class DoubleReportCreate(Request):
    community_id: UUID
    reported_on: IsoDate | None = Field(
        default=None, examples=["2026-03-01"], description="报到日期（默认今天）"
    )


class DoubleReportEnd(Request):
    ended_on: IsoDate | None = on_date("结束报到的日期")


class TeamCreate(Request):
    name: Name = Field(examples=["红色先锋志愿服务队"])
    community_id: UUID
    founded_on: IsoDate | None = on_date("成立日期")


class TeamMemberAdd(Request):
    member_id: UUID
    joined_on: IsoDate | None = on_date("加入日期")


class TeamDissolve(Request):
    reason: Text = Field(examples=["队伍合并"])
    dissolved_on: IsoDate | None = on_date("解散日期")


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


class HoursClaimCreate(Request):
    activity_id: UUID
    hours: Number = Field(examples=["2.5"])
    note: Text | None = Field(default=None, examples=["忘记签到，带队的是张老师"])


class HoursClaimApprove(Request):
    hours: Number | None = Field(
        default=None, examples=["2"], description="批准的时长（默认为申报的时长）"
    )


Places = Annotated[list[UUID], Field(max_length=1000)]


class TokenCreate(Request):
    role: Literal["admin", "organizer", "member"]
    community_ids: Places = []
    team_ids: Places = []
    member_id: UUID | None = None
    label: Name | None = None
    district_ids: Places = added([])
    street_ids: Places = added([])


class ReportCreate(Request):
    scope: Literal["all", "district", "street", "community", "grid"]
    scope_id: UUID | None = Field(
        default=None, description="区县、街道、社区或网格的 id；scope 为 all 时不给出"
    )
    year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR, examples=[2026])]
    as_of: IsoDate | None = Field(
        default=None, description="截至日期（默认该年 12 月 31 日，或今年的今天）"
    )


class CertificateCreate(Request):
    period_from: IsoDate | None = Field(
        default=None,
        alias="from",
        description="起始日期（默认登记日期与今年 1 月 1 日中较晚的一天）",
    )
    period_to: IsoDate | None = Field(
        default=None, alias="to", description="截止日期（默认今天，上海时间）"
    )

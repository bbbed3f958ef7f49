"""Response bodies of what is counted: figures as of a date, points and
statements, history, and published reports."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import HoursText, PointsText, UtcText
from api.schemas.history import HistoryDetails

Scope = Literal["all", "district", "street", "community", "grid"]


class Points(BaseModel):
    member_id: UUID
    year: int
    as_of: date = Field(description="数字截至的日期")
    points: PointsText
    hours: HoursText
    activities: int
    lifetime_points: PointsText
    lifetime_hours: HoursText
    star: int


class StatementHistory(BaseModel):
    type: str = Field(
        examples=["AttendanceCorrected"],
        description="事件的类名：AttendanceRecorded、AttendanceCorrected、"
        "AttendanceRevoked、Cancelled，或积分规则重新计算的 AttendanceRerated",
    )
    hours: HoursText
    points: PointsText
    previous_hours: HoursText | None = None
    previous_points: PointsText | None = None
    recorded_by: str = Field(description="这一步的操作者")
    recorded_at: UtcText
    reason: str | None
    rule_version: int | None = Field(
        default=None, description="AttendanceRerated：重新计算所用的积分规则版本"
    )
    previous_rule_version: int | None = Field(
        default=None, description="AttendanceRerated：此前所用的积分规则版本"
    )


class StatementItem(BaseModel):
    activity_id: UUID
    title: str
    date: date
    hours: HoursText
    points: PointsText = Field(description="计入的积分（封顶之后）")
    full_points: PointsText = Field(description="封顶之前的积分")
    rule_version: int | None = Field(
        description="计算积分的积分规则版本；按活动自身规则计分时为 null"
    )
    status: Literal["recorded", "corrected", "revoked", "cancelled"]
    recorded_by: str = Field(description="登记者（不是更正者）")
    reason: str | None
    history: list[StatementHistory] = Field(
        default=[], description="登记、更正、撤销的经过，从早到晚"
    )


class Statement(BaseModel):
    """A page of a member's statement; ``points`` and ``hours`` are the year's
    totals as of the date, the same on every page."""

    member_id: UUID
    year: int
    as_of: date
    items: list[StatementItem]
    points: PointsText
    hours: HoursText
    next_cursor: str | None = Field(
        description="下一页的 cursor；最后一页为 null", examples=[None]
    )


class TeamFigures(BaseModel):
    id: UUID
    name: str
    community_id: UUID
    dissolved: bool
    founded_on: date
    dissolved_on: date | None
    year: int
    as_of: date
    members: int
    activities: int
    participations: int
    hours: HoursText
    points: PointsText


class Stats(BaseModel):
    """A scope's figures for a year, as of a date; districts, streets and the
    whole deployment add their communities and grids."""

    scope: Scope
    scope_id: UUID | None
    year: int
    as_of: date = Field(description="数字截至的日期")
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
    members_reported_participations: int = Field(
        description="双报到党员在该年截至当日的参与人次（无论在哪里参加）"
    )
    members_reported_avg_annual_points: PointsText = Field(
        description="双报到党员人均年积分（无论在哪里获得）"
    )
    communities: int | None = None
    grids: int | None = None
    grid_party_organisations: int | None = Field(
        default=None, description="有网格党组织的网格数"
    )


class PublishedStats(Stats):
    """A published report's figures as published: a report published before
    the double-reported members' own figures existed has them null."""

    members_reported_participations: int | None = Field(  # type: ignore[assignment]  # null only in older reports
        description="双报到党员参与人次；此项数字出现之前发布的报告为 null"
    )
    members_reported_avg_annual_points: PointsText | None = Field(  # type: ignore[assignment]  # null only in older reports
        description="双报到党员人均年积分；此项数字出现之前发布的报告为 null"
    )


class LeaderboardItem(BaseModel):
    member_id: UUID
    name: str
    points: PointsText
    hours: HoursText


class Leaderboard(BaseModel):
    community_id: UUID
    year: int
    as_of: date
    items: list[LeaderboardItem]


class HistoryItem(BaseModel):
    position: int = Field(description="事件日志位置")
    recorded_at: UtcText
    type: str = Field(examples=["AttendanceCorrected"], description="事件的类名")
    actor: str
    reason: str | None
    details: HistoryDetails


class HistoryPage(BaseModel):
    items: list[HistoryItem]
    next_cursor: str | None


class ReportHead(BaseModel):
    """What names a published report: its scope, year, date and position."""

    id: UUID
    scope: Scope
    scope_id: UUID | None
    scope_name: str | None = Field(
        default=None, description="区县、街道、社区或网格的名称；scope 为 all 时为 null"
    )
    year: int
    as_of: date
    position: int = Field(description="数字计算时读模型所在的事件日志位置")


class ReportPublished(ReportHead):
    published_at: UtcText
    figures: PublishedStats
    head_digest: str = Field(description="事件日志截至 position 的 SHA-256 链摘要")


class Report(ReportPublished):
    current: Stats = Field(description="同一范围、年份和截至日期，现在的数字")
    revised: bool = Field(description="发布后该年的数字是否已改变")


class ReportVerified(BaseModel):
    position: int
    matches: bool = Field(description="重放得到的数字与摘要都与发布的一致")
    figures: Stats = Field(description="重放事件日志到 position 得到的数字")
    head_digest: str = Field(description="重放得到的事件日志摘要")


class ReportSummary(ReportHead):
    published_at: str = Field(description="发布时间（UTC）")
    head_digest: str = Field(description="事件日志截至 position 的 SHA-256 链摘要")


class ReportPage(BaseModel):
    items: list[ReportSummary]
    next_cursor: str | None

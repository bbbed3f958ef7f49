"""Points rules (积分规则): a rule set as written and as published, and what a
draft would change (what-if)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import IsoDate, Name, Number, PointsText
from api.schemas.figures import Stats
from api.schemas.requests import Request


class CategoryIn(Request):
    code: str = Field(min_length=1, max_length=50, examples=["助老"])
    name: Name = Field(examples=["助老服务"])
    points_per_hour: Number = Field(examples=["3"])


class CapsIn(Request):
    hours_per_activity: Number | None = Field(
        default=None, description="每次活动最多计几小时", examples=["2"]
    )
    points_per_member_day: Number | None = Field(
        default=None, description="每人每天最多计几积分", examples=["5"]
    )
    points_per_member_year_by_category: dict[str, Number] | None = Field(
        default=None,
        description="每人每年每类最多计几积分，按类别代码",
        examples=[{"助老": "100"}],
    )


class RuleSetCreate(Request):
    name: Name = Field(examples=["海港区志愿服务积分管理办法（2026 年版）"])
    district_id: UUID | None = Field(
        default=None, description="区县的规则；不给出则是整个部署的规则（仅管理员）"
    )
    categories: list[CategoryIn] = Field(min_length=1, max_length=50)
    caps: CapsIn | None = None


class RuleSetPublish(Request):
    effective_from: IsoDate | None = Field(
        default=None, description="施行日期（默认今天；不早于今年 1 月 1 日）"
    )


class Category(BaseModel):
    code: str
    name: str
    points_per_hour: str


class RuleSetPublic(BaseModel):
    id: UUID
    name: str
    district_id: UUID | None
    status: Literal["draft", "published"]
    version: int | None = Field(description="发布时按区县（或部署）从 1 编号；草稿没有")
    effective_from: IsoDate | None
    categories: list[Category]
    caps: dict[str, object]
    drafted_by: str
    drafted_at: str
    published_at: str | None
    rerated: int | None = Field(description="发布时重新计分的参加记录条数")


class RuleSetDrafted(RuleSetPublic):
    position: int


class RuleSetPublished(BaseModel):
    id: UUID
    status: Literal["published"]
    version: int
    effective_from: IsoDate
    rerated: int
    position: int


class RuleSets(BaseModel):
    items: list[RuleSetPublic]
    next_cursor: str | None


class MemberChange(BaseModel):
    member_id: UUID
    name: str | None
    current_points: PointsText
    draft_points: PointsText


class CommunityPoints(BaseModel):
    community_id: UUID
    name: str | None
    current_points: PointsText
    draft_points: PointsText


class WhatIf(BaseModel):
    scope: Literal["all", "district", "street", "community"]
    scope_id: UUID | None
    year: int
    position: int = Field(description="测算所依据的事件日志位置")
    current: Stats
    draft: Stats
    members_changed: int = Field(
        description="在该范围的活动中服务过、年度积分会改变的志愿者人数"
    )
    largest_changes: list[MemberChange] = Field(description="变化最大的至多 20 人")
    by_community: list[CommunityPoints] = Field(
        description="各社区活动的积分：现行规则与草案"
    )

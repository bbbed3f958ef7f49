"""Response bodies of a team's members."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field


class TeamMember(BaseModel):
    member_id: UUID
    name: str | None
    joined_on: date = Field(description="加入日期")
    left_on: date | None = Field(description="退出日期，仍在队中为 null")


class TeamMemberPage(BaseModel):
    items: list[TeamMember]
    next_cursor: str | None

"""The answers of the file imports (花名册, 签到表)."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from api.schemas.responses import Written


class MembersImported(Written):
    community_id: UUID
    rows: int = Field(description="文件中的数据行数")
    created: int = Field(description="新登记的志愿者")
    unchanged: int = Field(description="手机号已登记、未作改变的行")

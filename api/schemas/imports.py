"""The answers of the file imports (花名册, 签到表)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import Field

from api.schemas.responses import AttendanceWritten, Written

Rows = Annotated[int, Field(description="文件中的数据行数（不计标题、空行和页脚）")]
HeaderRow = Annotated[
    int, Field(description="表头所在的行号（从 1 数起，与 Excel/WPS 显示的一致）")
]
IgnoredColumns = Annotated[
    list[str], Field(description="没有读取的列，按表头原样、按列的顺序")
]


class MembersImported(Written):
    community_id: UUID
    rows: Rows
    created: int = Field(description="新登记的志愿者")
    unchanged: int = Field(description="手机号已登记、未作改变的行")
    header_row: HeaderRow
    ignored_columns: IgnoredColumns


class AttendanceImported(AttendanceWritten):
    rows: Rows
    header_row: HeaderRow
    ignored_columns: IgnoredColumns

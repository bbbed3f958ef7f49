"""The 台账 file of a scope for a year: an XLSX workbook (参加记录, 志愿者,
活动, 数字) written in XlsxWriter's constant-memory mode to a temporary file,
or the attendance rows alone as CSV in UTF-8 with a BOM, so that Excel opens
it as UTF-8. Both read their rows a batch at a time."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

import xlsxwriter

from api.spreadsheet import InlineRows
from projections.amounts import hours_text, hundredths, points_text, tenths
from projections.ledger import ActivityLine, AttendanceLine, LedgerQueries, MemberLine

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
CHUNK = 64 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ATTENDANCE_STATUS = {
    "recorded": "有效",
    "corrected": "已更正",
    "revoked": "已撤销",
    "cancelled": "活动取消",
}
ACTIVITY_STATUS = {
    "scheduled": "开放登记",
    "closed": "已关闭",
    "cancelled": "已取消",
}
PARTY = {True: "中共党员", False: "群众"}

# Each sheet's headers with their column widths (in characters).
ATTENDANCE_COLUMNS = (
    ("日期", 12),
    ("活动", 28),
    ("服务队", 22),
    ("类别", 12),
    ("志愿者", 12),
    ("网格", 14),
    ("时长", 8),
    ("积分", 8),
    ("状态", 10),
    ("登记人", 40),
)
MEMBER_COLUMNS = (
    ("姓名", 12),
    ("手机号", 15),
    ("网格", 14),
    ("政治面貌", 10),
    ("登记日期", 12),
    ("年度积分", 10),
    ("年度时长", 10),
)
ACTIVITY_COLUMNS = (
    ("日期", 12),
    ("活动", 28),
    ("服务队", 22),
    ("类别", 12),
    ("状态", 10),
    ("人次", 8),
    ("时长", 10),
    ("积分", 10),
)
FIGURE_LABELS = {
    "teams": "志愿服务队",
    "volunteers": "服务队志愿者",
    "activities": "开展活动",
    "participations": "参与人次",
    "hours": "服务时长",
    "points": "积分",
    "members": "计入人均的志愿者",
    "avg_annual_points": "人均年积分",
    "units_reported": "双报到单位",
    "members_reported": "双报到党员",
    "members_reported_participations": "双报到党员参与人次",
    "members_reported_avg_annual_points": "双报到党员人均年积分",
    "communities": "社区数",
    "grids": "网格数",
    "grid_party_organisations": "网格党组织数",
}
POINT_FIGURES = ("points", "avg_annual_points", "members_reported_avg_annual_points")
SCOPE_LABELS = {"community": "社区", "street": "街道", "district": "区县"}


@dataclass(frozen=True)
class Ledger:
    """What one 台账 holds: a scope (its kind, id and name), the year and the
    date D it is true on, the scope's figures, and where its rows are read."""

    scope: str
    scope_id: str
    name: str
    year: int
    on: date
    figures: dict[str, Any]
    queries: LedgerQueries

    def attendances(self) -> Iterator[AttendanceLine]:
        return self.queries.attendance_rows(
            self.scope, self.scope_id, self.year, self.on
        )

    def members(self) -> Iterator[MemberLine]:
        return self.queries.member_rows(self.scope, self.scope_id, self.year, self.on)

    def activities(self) -> Iterator[ActivityLine]:
        return self.queries.activity_rows(self.scope, self.scope_id, self.year, self.on)

    def disposition(self, extension: str) -> str:
        """An attachment named after the scope and year: ``filename*`` in
        UTF-8 (RFC 5987) for the Chinese name, ``filename`` in ASCII for
        clients that read only that."""
        fallback = f"ledger-{self.scope}-{self.year}.{extension}"
        named = f"{self.name}{self.year}年志愿服务台账.{extension}"
        return (
            f'attachment; filename="{fallback}"; '
            f"filename*=UTF-8''{quote(named, safe='')}"
        )


def number(value: Decimal) -> float:
    return float(value)


class Workbook:
    """The XLSX 台账: one worksheet per part, header frozen, columns sized."""

    def __init__(self, target: IO[bytes]) -> None:
        self.book = xlsxwriter.Workbook(
            target, {"constant_memory": True, "in_memory": False}
        )
        self.header = self.book.add_format({"bold": True, "bg_color": "#F2F2F2"})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.hours = self.book.add_format({"num_format": "0.##"})
        self.points = self.book.add_format({"num_format": "0.0"})

    def sheet(self, name: str, columns: Sequence[tuple[str, int]]) -> InlineRows:
        sheet: InlineRows = self.book.add_worksheet(name, worksheet_class=InlineRows)
        for index, (title, width) in enumerate(columns):
            sheet.set_column(index, index, width)
            sheet.write_string(0, index, title, self.header)
        sheet.freeze_panes(1, 0)
        return sheet

    def write(self, ledger: Ledger) -> None:
        self.attendances(ledger.attendances())
        self.members(ledger.members())
        self.activities(ledger.activities())
        self.figures(ledger)
        self.book.close()

    def attendances(self, rows: Iterable[AttendanceLine]) -> None:
        sheet = self.sheet("参加记录", ATTENDANCE_COLUMNS)
        styles = (self.date, *[None] * 5, self.hours, self.points, None, None)
        sheet.set_line_styles(styles)
        for r, line in enumerate(rows, start=1):
            cells = (
                line.date,
                line.activity,
                line.team,
                line.category,
                line.member,
                line.grid,
                number(line.hours),
                number(line.points),
                ATTENDANCE_STATUS.get(line.status, line.status),
                line.recorded_by,
            )
            sheet.write_line(r, cells)

    def members(self, rows: Iterable[MemberLine]) -> None:
        sheet = self.sheet("志愿者", MEMBER_COLUMNS)
        styles = (*[None] * 4, self.date, self.points, self.hours)
        sheet.set_line_styles(styles)
        for r, line in enumerate(rows, start=1):
            cells = (
                line.name,
                line.phone,
                line.grid,
                PARTY[line.party_member],
                line.registered_on,
                number(line.points),
                number(line.hours),
            )
            sheet.write_line(r, cells)

    def activities(self, rows: Iterable[ActivityLine]) -> None:
        sheet = self.sheet("活动", ACTIVITY_COLUMNS)
        styles = (self.date, *[None] * 5, self.hours, self.points)
        sheet.set_line_styles(styles)
        for r, line in enumerate(rows, start=1):
            cells = (
                line.date,
                line.title,
                line.team,
                line.category,
                ACTIVITY_STATUS.get(line.status, line.status),
                line.attendances,
                number(line.hours),
                number(line.points),
            )
            sheet.write_line(r, cells)

    def figures(self, ledger: Ledger) -> None:
        sheet = self.sheet("数字", (("项目", 18), ("数值", 28)))
        sheet.write_string(1, 0, SCOPE_LABELS.get(ledger.scope, "范围"))
        sheet.write_string(1, 1, ledger.name)
        sheet.write_string(2, 0, "年份")
        sheet.write_number(2, 1, ledger.year)
        sheet.write_string(3, 0, "截至日期")
        sheet.write_datetime(3, 1, ledger.on, self.date)
        r = 4
        for key, label in FIGURE_LABELS.items():
            value = ledger.figures.get(key)
            if value is None:
                continue
            sheet.write_string(r, 0, label)
            if key == "hours":
                sheet.write_number(r, 1, number(Decimal(value)), self.hours)
            elif key in POINT_FIGURES:
                sheet.write_number(r, 1, number(Decimal(value)), self.points)
            else:
                sheet.write_number(r, 1, int(value))
            r += 1


def xlsx_file(ledger: Ledger) -> IO[bytes]:
    """The workbook in a temporary file (already unlinked where the system
    allows it, and gone once closed), positioned at its start."""
    with ExitStack() as on_error:
        target = on_error.enter_context(tempfile.TemporaryFile())
        Workbook(target).write(ledger)
        target.seek(0)
        on_error.pop_all()
    return target


def file_chunks(source: IO[bytes]) -> Iterator[bytes]:
    """A file's bytes in chunks; the file is closed (and so deleted) at the
    end, or when the client goes away and the stream is dropped."""
    try:
        while chunk := source.read(CHUNK):
            yield chunk
    finally:
        source.close()


def cell_text(text: str) -> str:
    """Text as a CSV cell Excel will not read as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_chunks(ledger: Ledger) -> Iterator[bytes]:
    """The attendance rows as CSV, UTF-8 with a BOM and CRLF line ends, row
    after row as they are read, handed on about every 64 KiB."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([title for title, _ in ATTENDANCE_COLUMNS])
    for line in ledger.attendances():
        writer.writerow(
            (
                line.date.isoformat(),
                cell_text(line.activity),
                cell_text(line.team),
                cell_text(line.category),
                cell_text(line.member),
                cell_text(line.grid),
                hours_text(hundredths(line.hours)),
                points_text(tenths(line.points)),
                ATTENDANCE_STATUS.get(line.status, line.status),
                cell_text(line.recorded_by),
            )
        )
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")

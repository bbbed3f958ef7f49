"""Whole rows written at once make the same sheet as XlsxWriter's own cell
writers, for plain rows and for rows that need escaping."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date

import xlsxwriter

from api.spreadsheet import Cell, InlineRows, plain

ROWS: list[Sequence[Cell]] = [
    (date(2026, 2, 10), "清扫楼道", "海滨志愿服务队", 2.5, 25.0, None),
    (date(2026, 12, 31), "", "admin:bootstrap", 1, 0, "有效"),
    (date(2026, 3, 1), "a & b <c>", 'say "hi"', 0.25, 2.5, "x|y"),
    (date(2026, 3, 2), " leading", "trailing ", 3, 30, "|"),
    (date(2026, 3, 3), "bell\x07", "_x0041_", 1, 10, "tab\tin"),
    (date(2026, 3, 4), "line\nbreak", "\ufffe", 1, 10, "　全角空格"),
]


def sheet_xml(whole_rows: bool) -> bytes:
    target = io.BytesIO()
    book = xlsxwriter.Workbook(target, {"constant_memory": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    points = book.add_format({"num_format": "0.0"})
    sheet: InlineRows = book.add_worksheet("表", worksheet_class=InlineRows)
    sheet.set_column(0, 0, 12)
    for col, title in enumerate(("日期", "活动", "登记人", "时长", "积分", "状态")):
        sheet.write_string(0, col, title)
    sheet.freeze_panes(1, 0)
    sheet.set_line_styles((day, None, None, None, points, None))
    for row, cells in enumerate(ROWS, start=1):
        if whole_rows:
            sheet.write_line(row, cells)
        else:
            sheet.write_cells(row, cells)
    book.close()
    with zipfile.ZipFile(io.BytesIO(target.getvalue())) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_whole_rows_make_the_sheet_xlsxwriter_makes_cell_by_cell() -> None:
    assert sheet_xml(whole_rows=True) == sheet_xml(whole_rows=False)


def test_only_rows_of_plain_text_are_written_at_once() -> None:
    assert plain(ROWS[0])
    assert plain(ROWS[1])
    assert not any(plain(cells) for cells in ROWS[2:])

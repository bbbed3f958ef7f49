"""Where the data sits in an organiser's sheet: the header row found below a
title, the columns ignored, blank rows and the footer skipped; and the guards
on the files themselves."""

from __future__ import annotations

import io
import struct
import time as clock
import zipfile
from datetime import date, datetime, time

import pytest

import api.sheets.formats as sheet_formats
import api.sheets.layout as sheet_layout
from api.services.rosters import ROSTER
from api.services.sign_in_sheets import SIGN_IN_SHEET
from api.sheets import (
    EmptyFile,
    InvalidHeaders,
    TooManyRows,
    UnsupportedFile,
    read_sheet,
)
from api.sheets.formats import OLE_MAGIC, cell_text, read_table
from api.sheets.layout import laid_out
from tests.organiser_files import Office, Template

TITLE = ["开发区某社区志愿者花名册（2026年）", "", "", ""]
DATED = ["", "", "", "填报日期：2026年3月1日"]
HEADER = ["序号", "姓名", "手机号", "备注"]


def rows_of(table: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    return laid_out(table, ROSTER).rows


def test_the_header_is_the_first_row_among_ten_that_holds_the_required_headers() -> (
    None
):
    table = [TITLE, DATED, ["姓名"], HEADER, ["1", "张三", "13700137001", ""]]
    found = laid_out(table, ROSTER)
    assert found.header_row == 4
    assert found.headers == {"姓名": "姓名", "手机号": "手机号"}
    assert found.rows == [(5, {"姓名": "张三", "手机号": "13700137001"})]


def test_headers_are_matched_without_their_spaces_and_named_as_written() -> None:
    table = [["姓\u3000名", " 手 机 号 "], ["张三", "1"]]
    found = laid_out(table, ROSTER)
    assert found.headers == {"姓名": "姓\u3000名", "手机号": "手 机 号"}
    assert found.rows == [(2, {"姓名": "张三", "手机号": "1"})]


def test_a_header_below_the_tenth_row_is_not_looked_for() -> None:
    table = [TITLE] + [[""]] * 9 + [HEADER, ["1", "张三", "1", ""]]
    with pytest.raises(InvalidHeaders) as refused:
        laid_out(table, ROSTER)
    assert refused.value.message.startswith("前 10 行中没有找到表头")
    assert [(c.row, c.column, c.code) for c in refused.value.cells] == [
        (1, "姓名", "missing_header"),
        (1, "手机号", "missing_header"),
    ]


def test_a_missing_header_is_named_on_the_row_holding_most_known_headers() -> None:
    table = [TITLE, ["序号", "姓名", "电话"], ["1", "张三", "1"]]
    with pytest.raises(InvalidHeaders) as refused:
        laid_out(table, ROSTER)
    assert [(c.row, c.column, c.code) for c in refused.value.cells] == [
        (2, "手机号", "missing_header")
    ]
    assert "第 2 行的表头不全" in refused.value.message


def test_a_sign_in_sheet_needs_its_hours_and_a_phone_or_a_volunteer_number() -> None:
    by_number = [["志愿者编号", "时长"], ["x", "2"]]
    assert laid_out(by_number, SIGN_IN_SHEET).header_row == 1
    with pytest.raises(InvalidHeaders) as refused:
        laid_out([["姓名", "时长"], ["王芳", "2"]], SIGN_IN_SHEET)
    [cell] = refused.value.cells
    assert (cell.column, cell.code) == ("手机号", "missing_header")
    assert "“手机号”或“志愿者编号”" in cell.message


def test_a_known_header_written_twice_is_refused_and_an_unknown_one_ignored() -> None:
    twice = [TITLE, ["姓名", "手机号", "姓 名"], ["张三", "1", "张三"]]
    with pytest.raises(InvalidHeaders) as refused:
        laid_out(twice, ROSTER)
    assert [(c.row, c.column, c.code) for c in refused.value.cells] == [
        (2, "姓 名", "duplicate_header")
    ]
    notes = [
        ["备注", "姓名", "备注", "手机号", "", "签到时间"],
        ["a", "张三", "b", "1"],
    ]
    found = laid_out(notes, ROSTER)
    assert found.ignored_columns == ["备注", "备注", "签到时间"]
    assert found.rows == [(2, {"姓名": "张三", "手机号": "1"})]


@pytest.mark.parametrize(
    "footer",
    [
        ["填表人：王芳", "", "审核人：李华", ""],
        ["填表人:", "王芳", "审核人:", "李华"],
        ["", "审核人 李华", "", ""],
        ["制表人：王芳", "", "", ""],
        ["制表日期：2026年3月1日", "", "", ""],
        ["合计", "", "3 人", ""],
        ["合 计：3 人", "", "", ""],
    ],
)
def test_a_footer_ends_the_data_and_is_skipped(footer: list[str]) -> None:
    table = [
        HEADER,
        ["1", "张三", "1", ""],
        footer,
        ["", "李四", "2", "在页脚之下"],
    ]
    assert [number for number, _ in rows_of(table)] == [2]


def test_rows_at_the_end_whose_only_text_is_in_the_first_cell_are_footer() -> None:
    table = [
        ["姓名", "手机号", "备注"],
        ["张三", "", ""],
        ["李四", "2", ""],
        ["以上人员均已登记", "", ""],
        ["", "", ""],
        ["社区居委会（盖章）", "", ""],
    ]
    rows = rows_of(table)
    assert [number for number, _ in rows] == [2, 3]
    assert rows[0][1] == {"姓名": "张三", "手机号": ""}


def test_blank_rows_and_rows_with_text_only_in_ignored_columns_are_skipped() -> None:
    table = [
        TITLE,
        [],
        HEADER,
        ["", " ", "", ""],
        ["1", "张三", "1", ""],
        ["2", "", "", "请假"],
        [],
        ["3", "李四", "2", ""],
        ["4"],
        ["5"],
    ]
    assert [number for number, _ in rows_of(table)] == [5, 8]


def test_a_sheet_without_data_rows_is_empty() -> None:
    with pytest.raises(EmptyFile):
        laid_out([[""], ["", ""]], ROSTER)
    with pytest.raises(EmptyFile) as refused:
        laid_out([TITLE, HEADER, ["1"], ["填表人：王芳"]], ROSTER)
    assert "第 2 行" in refused.value.message


def test_more_data_rows_than_one_import_takes_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sheet_layout, "MAX_ROWS", 2)
    table = [HEADER, *[["", "张三", str(i), ""] for i in range(3)]]
    with pytest.raises(TooManyRows):
        laid_out(table, ROSTER)
    assert len(laid_out(table[:3], ROSTER).rows) == 2


def test_a_gb18030_csv_with_a_title_row_is_read_below_it() -> None:
    text = "花名册（2026年）,,\n姓名,手机号,备注\n张三,13700137001,组长\n"
    sheet = read_sheet(text.encode("gb18030"), ROSTER)
    assert (sheet.header_row, sheet.ignored_columns) == (2, ["备注"])
    assert sheet.rows == [(3, {"姓名": "张三", "手机号": "13700137001"})]


def test_cells_read_as_the_text_they_show() -> None:
    assert cell_text(13700137001.0) == "13700137001"
    assert cell_text(2.5) == "2.5"
    assert cell_text(datetime(2026, 2, 1)) == "2026-02-01"
    assert cell_text(date(2026, 2, 1)) == "2026-02-01"
    assert cell_text(time(8, 30)) == "08:30:00"
    assert cell_text(None) == ""
    assert cell_text(True) == "TRUE"


def test_files_that_are_no_spreadsheet_or_too_large_an_xls_are_refused() -> None:
    with pytest.raises(UnsupportedFile, match="XLS"):
        read_table(OLE_MAGIC + bytes(2048))
    oversize = OLE_MAGIC + bytes(sheet_formats.MAX_XLS_BYTES)
    with pytest.raises(UnsupportedFile, match="MB"):
        read_table(oversize)
    with pytest.raises(UnsupportedFile, match="CSV"):
        read_table(b"\x89PNG\r\n\x1a\n\x00\x00")


def test_an_xls_with_more_rows_than_one_import_reads_is_refused(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = (("姓名", "手机号"), *((f"人{i}", 13000130000 + i) for i in range(30)))
    content = office.file(Template("thirty-rows", rows), "xls")
    assert len(read_table(content)) == 31
    monkeypatch.setattr(sheet_formats, "MAX_ROWS", 20)
    monkeypatch.setattr(sheet_formats, "MAX_OTHER_ROWS", 5)
    with pytest.raises(TooManyRows):
        read_table(content)


def looping(xls: bytes) -> bytes:
    """A small XLS (its workbook kept in the container's mini stream, as
    LibreOffice writes one) whose workbook's chain of sectors loops back to
    its start at the end, where it should stop."""
    data = bytearray(xls)
    size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    [directory] = struct.unpack_from("<i", data, 0x30)
    [mini_fat] = struct.unpack_from("<i", data, 0x3C)

    def at(sector: int) -> int:
        return (sector + 1) * size

    for entry in range(at(directory), at(directory) + size, 128):
        [length] = struct.unpack_from("<H", data, entry + 0x40)
        if data[entry : entry + length - 2].decode("utf-16-le") == "Workbook":
            start, stream_size = struct.unpack_from("<iI", data, entry + 0x74)
            break
    else:
        raise AssertionError("no Workbook stream in the first directory sector")
    assert stream_size < 4096, "the workbook is not in the mini stream"
    sector = start
    while (
        following := struct.unpack_from("<i", data, at(mini_fat) + 4 * sector)[0]
    ) >= 0:
        sector = following
    struct.pack_into("<i", data, at(mini_fat) + 4 * sector, start)
    return bytes(data)


def test_an_xls_whose_chain_of_sectors_loops_is_read_without_following_it(
    office: Office,
) -> None:
    rows = (("姓名", "手机号"), ("张三", 13700137001))
    content = office.file(Template("two-rows", rows), "xls")
    broken = looping(content)
    assert broken != content
    started = clock.monotonic()
    assert read_table(broken) == [["姓名", "手机号"], ["张三", "13700137001"]]
    assert clock.monotonic() - started < 2


def test_a_zip_asking_for_a_later_zip_version_is_refused_as_unsupported() -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    content = bytearray(packed.getvalue())
    directory = content.index(b"PK\x01\x02")
    # The central directory's "version needed to extract": 6.4, past zipfile's.
    content[directory + 6 : directory + 8] = struct.pack("<H", 64)
    with pytest.raises(UnsupportedFile):
        read_sheet(bytes(content), ROSTER)

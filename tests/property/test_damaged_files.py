"""An organiser's file damaged anywhere is read or refused, quickly: never
an error of another kind, never a reader caught in a loop. The files are
real ones that LibreOffice saved, with bytes overwritten and tails cut."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.services.rosters import ROSTER
from api.sheets import FileRefused, read_sheet
from tests.organiser_files import Office, Template

TEMPLATE = Template(
    "damaged",
    (
        ("开发区某社区志愿者花名册（2026年）",),
        ("序号", "姓名", "手机号", "登记日期", "备注"),
        (1, "张三", 13700137001, "2026-02-01", "组长"),
        (2, "李四", 13700137002),
        ("填表人：王芳",),
    ),
    ("A1:E1",),
)


@pytest.fixture(scope="module", params=["xls", "xlsx"])
def original(office: Office, request: pytest.FixtureRequest) -> bytes:
    return office.file(TEMPLATE, request.param)


damage = st.tuples(
    st.lists(st.tuples(st.integers(0, 2**31), st.integers(0, 255)), max_size=64),
    st.one_of(st.none(), st.floats(0, 1)),
)


@settings(max_examples=150, deadline=None)
@given(damage=damage)
def test_a_damaged_file_is_read_or_refused_quickly(
    original: bytes, damage: tuple[list[tuple[int, int]], float | None]
) -> None:
    overwritten, cut = damage
    content = bytearray(original)
    for at, value in overwritten:
        content[at % len(content)] = value
    if cut is not None:
        content = content[: max(8, int(len(content) * cut))]
    started = time.monotonic()
    try:
        sheet = read_sheet(bytes(content), ROSTER)
    except FileRefused:
        pass
    else:
        assert all(number > sheet.header_row for number, _ in sheet.rows)
    assert time.monotonic() - started < 5

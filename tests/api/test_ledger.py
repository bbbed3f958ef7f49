"""The 台账 export over HTTP (issue 11, item 3): a community's year as an XLSX
workbook opened with openpyxl. The CSV, the street's and district's ledgers,
who may export them and what is refused are in ``test_ledger_csv_and_access``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from api.auth import BOOTSTRAP_ADMIN
from tests.api.ledger_support import (
    ACTIVITY_HEADERS,
    ATTENDANCE_HEADERS,
    MEMBER_HEADERS,
    YEAR,
    Desk,
    build_desk,
    figures_of,
    rows,
)
from tests.api.support import Running
from tests.conftest import STORES

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "GET /v1/communities/{community_id}/ledger": (
        "test_the_workbook_has_four_sheets_with_chinese_headers_and_frozen_rows",
        "test_the_attendance_sheet_has_a_row_per_attendance_with_dates_and_numbers",
        "test_the_member_sheet_lists_members_registered_on_the_date",
        "test_the_activity_sheet_and_the_figures_sheet_agree_with_the_stats",
        "test_the_csv_opens_as_excel_would_with_the_attendance_rows",
        "test_the_file_is_an_attachment_named_after_the_place_and_year",
        "test_a_ledger_outside_the_tokens_scope_is_forbidden",
        "test_the_ledger_of_an_unknown_place_is_not_found",
        "test_a_ledger_in_another_format_is_a_validation_error",
    ),
    "GET /v1/streets/{street_id}/ledger": (
        "test_a_street_or_district_ledger_holds_its_communities_rows",
        "test_a_ledger_outside_the_tokens_scope_is_forbidden",
        "test_the_ledger_of_an_unknown_place_is_not_found",
    ),
    "GET /v1/districts/{district_id}/ledger": (
        "test_a_street_or_district_ledger_holds_its_communities_rows",
        "test_a_ledger_outside_the_tokens_scope_is_forbidden",
        "test_the_ledger_of_an_unknown_place_is_not_found",
        "test_a_ledger_in_another_format_is_a_validation_error",
    ),
}


@pytest.fixture
def desk(running: Running) -> Desk:
    return build_desk(running)


def test_the_workbook_has_four_sheets_with_chinese_headers_and_frozen_rows(
    desk: Desk,
) -> None:
    book = desk.workbook()
    assert book.sheetnames == ["参加记录", "志愿者", "活动", "数字"]
    assert rows(book["参加记录"])[0] == ATTENDANCE_HEADERS
    assert rows(book["志愿者"])[0] == MEMBER_HEADERS
    assert rows(book["活动"])[0] == ACTIVITY_HEADERS
    assert rows(book["数字"])[0] == ["项目", "数值"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width > 8
        assert sheet.column_dimensions["B"].width > 8


def test_the_attendance_sheet_has_a_row_per_attendance_with_dates_and_numbers(
    desk: Desk,
) -> None:
    sheet = desk.workbook()["参加记录"]
    body = rows(sheet)[1:]
    team = "海滨志愿服务队"
    # By date and activity; within an activity by member id, so the two
    # members of one activity may come in either order.
    assert sorted(body, key=lambda row: (row[0], row[4])) == [
        [
            datetime(2026, 2, 10),
            "清扫楼道",
            team,
            "环境保护",
            *SUN,
            1,
            10,
            "已更正",
            ADMIN_ACTOR,
        ],
        [
            datetime(2026, 2, 10),
            "清扫楼道",
            team,
            "环境保护",
            *ZHAO,
            2,
            20,
            "有效",
            ADMIN_ACTOR,
        ],
        [
            datetime(2026, 2, 20),
            "敬老院探访",
            team,
            "关爱老人",
            *SUN,
            2,
            0,
            "已撤销",
            ADMIN_ACTOR,
        ],
        [
            datetime(2026, 2, 20),
            "敬老院探访",
            team,
            "关爱老人",
            *ZHAO,
            3,
            30,
            "有效",
            ADMIN_ACTOR,
        ],
        [
            datetime(2026, 2, 25),
            "义诊进社区",
            team,
            "医疗卫生",
            *ZHAO,
            1,
            0,
            "活动取消",
            ADMIN_ACTOR,
        ],
    ]
    assert [row[0] for row in body] == sorted(row[0] for row in body)
    for cells in sheet.iter_rows(min_row=2):
        assert cells[0].is_date
        assert (cells[6].data_type, cells[7].data_type) == ("n", "n")


ADMIN_ACTOR = BOOTSTRAP_ADMIN
ZHAO = ("赵强", "第一网格")
SUN = ("孙丽", None)


def test_the_member_sheet_lists_members_registered_on_the_date(desk: Desk) -> None:
    sheet = desk.workbook()["志愿者"]
    by_name = {row[0]: row for row in rows(sheet)[1:]}
    assert by_name == {
        "赵强": [
            "赵强",
            "13700137000",
            "第一网格",
            "中共党员",
            datetime(2026, 1, 5),
            50,
            5,
        ],
        "孙丽": ["孙丽", "13600136000", None, "群众", datetime(2026, 1, 5), 10, 1],
    }
    for cells in sheet.iter_rows(min_row=2):
        assert cells[1].data_type == "s"
        assert cells[4].is_date
        assert (cells[5].data_type, cells[6].data_type) == ("n", "n")


def test_the_activity_sheet_and_the_figures_sheet_agree_with_the_stats(
    desk: Desk,
) -> None:
    book = desk.workbook()
    assert rows(book["活动"])[1:] == [
        [
            datetime(2026, 2, 10),
            "清扫楼道",
            "海滨志愿服务队",
            "环境保护",
            "开放登记",
            2,
            3,
            30,
        ],
        [
            datetime(2026, 2, 20),
            "敬老院探访",
            "海滨志愿服务队",
            "关爱老人",
            "开放登记",
            1,
            3,
            30,
        ],
        [
            datetime(2026, 2, 25),
            "义诊进社区",
            "海滨志愿服务队",
            "医疗卫生",
            "已取消",
            0,
            0,
            0,
        ],
    ]
    stats = desk.get(f"/v1/communities/{desk.community}/stats").json()
    figures = figures_of(book)
    assert figures["社区"] == "海滨社区"
    assert figures["年份"] == YEAR
    assert figures["截至日期"] == datetime.fromisoformat(stats["as_of"])
    assert figures["志愿服务队"] == stats["teams"]
    assert figures["开展活动"] == stats["activities"]
    assert figures["参与人次"] == stats["participations"]
    assert Decimal(str(figures["服务时长"])) == Decimal(stats["hours"])
    assert Decimal(str(figures["积分"])) == Decimal(stats["points"])
    assert Decimal(str(figures["人均年积分"])) == Decimal(stats["avg_annual_points"])
    assert figures["计入人均的志愿者"] == stats["members"] == 2
    assert figures["双报到党员参与人次"] == stats["members_reported_participations"]
    assert Decimal(str(figures["双报到党员人均年积分"])) == Decimal(
        stats["members_reported_avg_annual_points"]
    )

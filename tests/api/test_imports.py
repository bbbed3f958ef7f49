"""Roster (花名册) imports over HTTP, with real files written by the tests:
GB18030, UTF-8 with BOM and plain UTF-8 CSV, and XLSX with numeric phone cells
and date cells. Refused files, the roster's rules, sign-in sheets and the
command line are in the ``test_imports_*`` modules."""

from __future__ import annotations

from datetime import datetime

import pytest

from api.system import System
from tests.api.imports_support import (
    ROSTER,
    by_name,
    grid,
    members_of,
    roster_url,
    upload,
    xlsx,
)
from tests.api.support import Running, Scene, problem, written

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite", "postgres"], indirect=True
)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/communities/{community_id}/members/import": (
        "test_a_gb18030_roster_registers_its_members_and_again_records_nothing",
        "test_a_utf8_roster_with_a_bom_and_one_without_read_alike",
        "test_an_xlsx_roster_with_numeric_phones_and_a_date_cell",
        "test_a_wrong_row_among_good_ones_records_nothing_and_every_one_is_named",
        "test_files_that_are_empty_or_not_csv_or_xlsx_are_refused",
        "test_missing_and_twice_written_headers_are_refused",
        "test_a_zip_bomb_dressed_as_xlsx_is_refused_quickly",
        "test_an_xlsx_claiming_a_million_rows_is_refused_quickly",
        "test_a_file_over_the_body_limit_is_413",
        "test_dry_run_checks_and_records_nothing",
        "test_an_import_retried_with_its_idempotency_key_is_answered_again",
        "test_organizers_import_only_into_communities_they_cover",
        "test_a_changed_phone_is_matched_by_its_new_number_only",
        "test_phones_are_matched_when_personal_data_is_sealed",
    ),
    "POST /v1/activities/{activity_id}/attendance/import": (
        "test_a_sign_in_sheet_records_attendance_by_phone_and_by_member_id",
        "test_a_sign_in_sheet_with_wrong_rows_records_nothing",
        "test_a_sign_in_sheet_over_500_rows_is_one_transaction",
    ),
}


# Rosters.


def test_a_gb18030_roster_registers_its_members_and_again_records_nothing(
    scene: Scene, system: System, running: Running
) -> None:
    grid_id = grid(system, scene)
    text = (
        ROSTER + "张三,13700137001,第一网格,中共党员,区教育局机关党委,2026-02-01\n"
        "李四,13700137002,,群众,,\n"
        "赵六,13700137003,第一网格,中共预备党员,,2026-01-15\n"
    )
    content = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    answer = written(upload(scene.client, roster_url(scene), content), 200)
    assert answer | {"position": 0} == {
        "community_id": scene.community,
        "rows": 3,
        "created": 3,
        "unchanged": 0,
        "position": 0,
        "header_row": 1,
        "ignored_columns": [],
    }
    members = by_name(system, scene)
    assert (
        members["张三"].items()
        >= {
            "phone": "13700137001",
            "grid_id": str(grid_id),
            "grid": "第一网格",
            "party_member": True,
            "unit_id": scene.unit,
            "registered_on": "2026-02-01",
        }.items()
    )
    assert members["李四"]["party_member"] is False
    assert members["李四"]["registered_on"] == "2026-03-01"
    assert members["赵六"]["party_member"] is True

    position = running.position()
    again = upload(scene.client, roster_url(scene), content)
    assert again.status_code == 200, again.text
    assert again.json() | {"position": 0} == {
        "community_id": scene.community,
        "rows": 3,
        "created": 0,
        "unchanged": 3,
        "position": 0,
        "header_row": 1,
        "ignored_columns": [],
    }
    assert running.position() == position
    assert len(members_of(system, scene)) == 5


def test_a_utf8_roster_with_a_bom_and_one_without_read_alike(
    scene: Scene, system: System
) -> None:
    with_bom = (ROSTER + "钱七,13600136001,,,,\n").encode("utf-8-sig")
    assert with_bom.startswith(b"\xef\xbb\xbf")
    plain = " 姓名 , 手机号 \r\n孙八,136-0013-6002\r\n".encode()
    assert (
        written(upload(scene.client, roster_url(scene), with_bom), 200)["created"] == 1
    )
    assert written(upload(scene.client, roster_url(scene), plain), 200)["created"] == 1
    members = by_name(system, scene)
    assert members["钱七"]["phone"] == "13600136001"
    assert members["孙八"]["phone"] == "136-0013-6002"
    # The same phone spelled otherwise is the same member.
    again = (ROSTER + "孙八,13600136002,,,,\n").encode("utf-8-sig")
    answer = upload(scene.client, roster_url(scene), again).json()
    assert (answer["created"], answer["unchanged"]) == (0, 1)


def test_an_xlsx_roster_with_numeric_phones_and_a_date_cell(
    scene: Scene, system: System
) -> None:
    grid(system, scene)
    content = xlsx(
        [
            ["姓名", "手机号", "网格", "政治面貌", "登记日期"],
            ["周九", 13500135001, "第一网格", "中共党员", datetime(2026, 2, 20)],
            ["吴十", 13500135002.0, None, "共青团员", None],
            [None, None, None, None, None],
            ["郑一", "13500135003", None, None, "2026-01-02"],
        ]
    )
    answer = written(upload(scene.client, roster_url(scene), content, "r.xlsx"), 200)
    assert (answer["rows"], answer["created"]) == (3, 3)
    members = by_name(system, scene)
    assert members["周九"]["phone"] == "13500135001"
    assert members["周九"]["registered_on"] == "2026-02-20"
    assert members["周九"]["party_member"] is True
    assert members["吴十"]["phone"] == "13500135002"
    assert members["吴十"]["party_member"] is False
    assert members["郑一"]["registered_on"] == "2026-01-02"


def test_a_wrong_row_among_good_ones_records_nothing_and_every_one_is_named(
    scene: Scene, system: System, running: Running
) -> None:
    grid(system, scene)
    content = xlsx(
        [
            ["姓名", " 手机号 ", "网格", "单位", "登记日期"],
            ["好一", 13400134001, "第一网格", None, None],
            ["好二", 13400134002, None, None, None],
            ["重复", 13400134001, None, None, None],
            ["坏网格", 13400134004, "第九网格", None, None],
            ["坏单位", 13400134005, None, "不存在的单位", None],
            ["未来", 13400134006, None, None, "2027-01-01"],
            ["坏日期", 13400134007, None, None, "2026/01/01"],
            [None, 13400134008, None, None, None],
            ["没电话", None, None, None, None],
            ["坏电话", "电话号码", None, None, None],
        ]
    )
    position = running.position()
    body = problem(
        upload(scene.client, roster_url(scene), content, "r.xlsx"), 422, "invalid_rows"
    )
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (4, "手机号", "duplicate_phone"),
        (5, "网格", "unknown_grid"),
        (6, "单位", "unknown_unit"),
        (7, "登记日期", "future_date"),
        (8, "登记日期", "validation_error"),
        (9, "姓名", "validation_error"),
        (10, "手机号", "validation_error"),
        (11, "手机号", "validation_error"),
    ]
    assert all(e["message"] for e in body["errors"])
    assert running.position() == position
    assert "好一" not in by_name(system, scene)

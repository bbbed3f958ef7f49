"""Rosters and sign-in sheets as organisers really have them, over HTTP:
made from templates with a merged title and a date above the header, columns
the import does not use, blank rows and a footer, saved by LibreOffice as
Excel 97–2003 ``.xls`` and as ``.xlsx``; and CSV files with a title row."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from uuid import UUID

import pytest

from api.system import System
from tests.api.imports_support import (
    by_name,
    grid,
    members_of,
    roster_url,
    sheet_url,
    upload,
)
from tests.api.support import Running, Scene, problem, written
from tests.organiser_files import Office, Template

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite", "postgres"], indirect=True
)

TITLE = "开发区幸福里社区志愿者花名册（2026年）"
HEADER = (
    "序号",
    "姓名",
    "手机号",
    "网格",
    "政治面貌",
    "单位",
    "登记日期",
    "签名",
    "备注",
)
ROSTER = Template(
    "roster",
    (
        (TITLE,),
        (None,) * 8 + ("填报日期：2026年3月1日",),
        HEADER,
        (1, "周一", 13500135101, "第一网格", "中共党员", None, date(2026, 2, 20)),
        (2, "周二", 13500135102, None, "群众", None, None, "周二", "新加入"),
        (),
        (3, "周三", "135 0013 5103", "第一网格", "中共预备党员", None, "2026-01-15"),
        (4,),
        (),
        ("填表人：王芳", None, None, None, "审核人： 李华"),
        ("注：本表一式两份，社区留存一份。",),
    ),
    ("A1:I1", "A11:I11"),
)
WRONG_ROWS = Template(
    "wrong-rows",
    (
        (TITLE,),
        ("填报日期：2026年3月1日",),
        (),
        HEADER,
        (1, "吴一", 13500135201, "第一网格"),
        (2, "吴二", 13500135202, "第九网格"),
        (),
        (3, "吴三", None, None, None, None, None, "吴三"),
        (4, "吴四", 13500135204, None, None, None, "2026年1月"),
        ("填表人：", "王芳", "审核人：", "李华"),
    ),
    ("A1:I1",),
)
TWICE = Template(
    "twice",
    ((TITLE,), ("序号", "姓名", "手机号", "备注", "手机号"), (1, "郑一", 1, None, 1)),
    ("A1:E1",),
)
MISSING = Template(
    "missing",
    ((TITLE,), ("序号", "姓名", "联系电话", "备注"), (1, "郑一", 13500135301)),
    ("A1:D1",),
)
SIGN_IN_SHEET = Template(
    "sign-in-sheet",
    (
        ("幸福里社区“政策宣讲”活动签到表",),
        ("活动日期：2026年3月1日",),
        ("姓名", "手机号", "签到时间", "时长", "签名"),
        ("王芳", 13800138000, time(8, 30), 2.5, "王芳"),
        (),
        ("李娜", 13900139000, time(8, 45), 1.25),
        ("以上人员均已签到",),
        ("合计：2 人", None, None, 3.75),
        ("制表：王芳",),
    ),
    ("A1:E1", "A7:E7"),
)
TEMPLATES = (ROSTER, WRONG_ROWS, TWICE, MISSING, SIGN_IN_SHEET)


@pytest.fixture(scope="session")
def made(office: Office) -> dict[tuple[str, str], bytes]:
    """Every template above, as LibreOffice saves it in each format."""
    files: dict[tuple[str, str], bytes] = {}
    for suffix in ("xls", "xlsx"):
        for template, content in zip(
            TEMPLATES, office.files(TEMPLATES, suffix), strict=True
        ):
            files[template.name, suffix] = content
    return files


@pytest.mark.parametrize("suffix", ["xls", "xlsx"])
def test_a_roster_below_a_title_registers_its_members_and_again_records_nothing(
    scene: Scene,
    system: System,
    running: Running,
    made: dict[tuple[str, str], bytes],
    suffix: str,
) -> None:
    grid_id = grid(system, scene)
    content = made["roster", suffix]
    if suffix == "xls":
        assert content.startswith(b"\xd0\xcf\x11\xe0")
    url = roster_url(scene)
    before = running.position()
    checked = written(
        upload(scene.client, url, content, f"花名册.{suffix}", dry_run=1), 200
    )
    assert running.position() == before
    answer = written(upload(scene.client, url, content, f"花名册.{suffix}"), 200)
    expected = {
        "community_id": scene.community,
        "rows": 3,
        "created": 3,
        "unchanged": 0,
        "header_row": 3,
        "ignored_columns": ["序号", "签名", "备注"],
    }
    assert checked | {"position": 0} == expected | {"position": 0}
    assert answer | {"position": 0} == expected | {"position": 0}
    members = by_name(system, scene)
    assert (
        members["周一"].items()
        >= {
            "phone": "13500135101",
            "grid_id": str(grid_id),
            "party_member": True,
            "registered_on": "2026-02-20",
        }.items()
    )
    assert members["周二"]["phone"] == "13500135102"
    assert members["周三"]["registered_on"] == "2026-01-15"
    assert len(members_of(system, scene)) == 5

    position = running.position()
    again = written(upload(scene.client, url, content, f"花名册.{suffix}"), 200)
    assert (again["created"], again["unchanged"], again["header_row"]) == (0, 3, 3)
    assert running.position() == position
    assert len(members_of(system, scene)) == 5


def test_wrong_rows_below_a_title_are_named_by_the_spreadsheets_own_numbers(
    scene: Scene, system: System, running: Running, made: dict[tuple[str, str], bytes]
) -> None:
    grid(system, scene)
    before = running.position()
    response = upload(scene.client, roster_url(scene), made["wrong-rows", "xls"])
    body = problem(response, 422, "invalid_rows")
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (6, "网格", "unknown_grid"),
        (8, "手机号", "validation_error"),
        (9, "登记日期", "validation_error"),
    ]
    assert running.position() == before
    assert "吴一" not in by_name(system, scene)


def test_a_known_header_written_twice_is_refused_naming_it(
    scene: Scene, running: Running, made: dict[tuple[str, str], bytes]
) -> None:
    response = upload(scene.client, roster_url(scene), made["twice", "xls"])
    body = problem(response, 422, "invalid_headers")
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (2, "手机号", "duplicate_header")
    ]
    assert "手机号" in body["detail"]
    assert running.position() == scene.position


def test_a_missing_required_header_is_refused_on_the_likeliest_header_row(
    scene: Scene, running: Running, made: dict[tuple[str, str], bytes]
) -> None:
    response = upload(scene.client, roster_url(scene), made["missing", "xlsx"])
    body = problem(response, 422, "invalid_headers")
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (2, "手机号", "missing_header")
    ]
    assert running.position() == scene.position


def test_a_sign_in_sheet_below_a_title_records_attendance_without_its_footer(
    scene: Scene, system: System, running: Running, made: dict[tuple[str, str], bytes]
) -> None:
    content = made["sign-in-sheet", "xls"]
    answer = written(upload(scene.client, sheet_url(scene), content, "签到表.xls"), 200)
    assert answer | {"position": 0} == {
        "activity_id": scene.started,
        "recorded": 1,
        "unchanged": 0,
        "corrected": 1,
        "rows": 2,
        "header_row": 3,
        "ignored_columns": ["签到时间", "签名"],
        "position": 0,
    }
    attendances = system.app.activity(UUID(scene.started)).attendances
    assert {str(m): a.hours for m, a in attendances.items()} == {
        scene.member: Decimal("2.5"),
        scene.other_member: Decimal("1.25"),
    }
    position = running.position()
    again = upload(scene.client, sheet_url(scene), made["sign-in-sheet", "xlsx"])
    assert written(again, 200)["unchanged"] == 2
    assert running.position() == position


def test_csv_rosters_with_a_title_row_in_gb18030_and_in_utf8_with_a_bom(
    scene: Scene, system: System, running: Running
) -> None:
    rows = (
        f"{TITLE},,,,\n"
        "序号,姓名,手机号,登记日期,备注\n"
        "1,钱一,13600136101,2026-02-01,\n"
        ",,,,\n"
        "2,钱二,13600136102,,组长\n"
        "填表人：王芳,,审核人：李华,,\n"
    )
    gb18030 = rows.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        gb18030.decode("utf-8")
    answer = written(upload(scene.client, roster_url(scene), gb18030), 200)
    assert (answer["rows"], answer["created"], answer["header_row"]) == (2, 2, 2)
    assert answer["ignored_columns"] == ["序号", "备注"]
    with_bom = rows.replace("钱", "孙").replace("136001361", "136001362")
    content = with_bom.encode("utf-8-sig")
    answer = written(upload(scene.client, roster_url(scene), content), 200)
    assert (answer["rows"], answer["created"], answer["header_row"]) == (2, 2, 2)
    members = by_name(system, scene)
    assert members["钱一"]["registered_on"] == "2026-02-01"
    assert members["孙二"]["phone"] == "13600136202"
    position = running.position()
    assert (
        written(upload(scene.client, roster_url(scene), content), 200)["unchanged"] == 2
    )
    assert running.position() == position


def test_a_broken_xls_is_refused_with_a_readable_message(
    scene: Scene, running: Running, made: dict[tuple[str, str], bytes]
) -> None:
    content = made["roster", "xls"]
    for broken in (content[: len(content) // 2], content[:600], content[:8]):
        response = upload(scene.client, roster_url(scene), broken, "花名册.xls")
        body = problem(response, 422, "unsupported_file")
        assert "XLS" in body["detail"]
    assert running.position() == scene.position

"""Roster (花名册) and sign-in sheet (签到表) imports over HTTP and from the
command line, with real files written by the tests: GB18030, UTF-8 with BOM
and plain UTF-8 CSV, and XLSX with numeric phone cells and date cells."""

from __future__ import annotations

import base64
import hashlib
import io
import time
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from openpyxl import Workbook
from typer.testing import CliRunner

from api.auth import BOOTSTRAP_ADMIN
from api.cli import cli
from api.system import System
from projections.sql import Sql
from tests.api.support import (
    Running,
    Scene,
    build_scene,
    problem,
    running_api,
    written,
)
from tests.conftest import Clock

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
        "test_unknown_and_missing_headers_are_refused",
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

ROSTER = "姓名,手机号,网格,政治面貌,单位,登记日期\n"


def upload(
    client: TestClient,
    url: str,
    content: bytes,
    name: str = "roster.csv",
    role_token: str = "vp_test_bootstrap_admin",
    **params: Any,
) -> Response:
    response: Response = client.post(
        url,
        files={"file": (name, content, "application/octet-stream")},
        params=params,
        headers={"Authorization": f"Bearer {role_token}"},
    )
    return response


def roster_url(scene: Scene) -> str:
    return f"/v1/communities/{scene.community}/members/import"


def sheet_url(scene: Scene) -> str:
    return f"/v1/activities/{scene.started}/attendance/import"


def grid(system: System, scene: Scene, name: str = "第一网格") -> UUID:
    community = UUID(scene.community)
    return system.app.register_grid(name, community, True, BOOTSTRAP_ADMIN).id


def members_of(system: System, scene: Scene) -> list[dict[str, Any]]:
    system.catch_up_to_now()
    page = system.queries.community_members(scene.community, 500, None)
    items: list[dict[str, Any]] = page["items"]
    return items


def by_name(system: System, scene: Scene) -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in members_of(system, scene)}


def xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def test_files_that_are_empty_or_not_csv_or_xlsx_are_refused(
    scene: Scene, running: Running
) -> None:
    position = running.position()
    url = roster_url(scene)
    problem(upload(scene.client, url, b""), 422, "empty_file")
    problem(upload(scene.client, url, b"\xef\xbb\xbf \n"), 422, "empty_file")
    problem(upload(scene.client, url, ROSTER.encode()), 422, "empty_file")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    problem(upload(scene.client, url, png, "a.png"), 422, "unsupported_file")
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)
    problem(upload(scene.client, url, xls, "a.xls"), 422, "unsupported_file")
    not_xlsx = io.BytesIO()
    with zipfile.ZipFile(not_xlsx, "w") as archive:
        archive.writestr("readme.txt", "hello")
    problem(upload(scene.client, url, not_xlsx.getvalue()), 422, "unsupported_file")
    problem(upload(scene.client, url, b"PK\x03\x04broken"), 422, "unsupported_file")
    no_file = scene.client.post(
        url, headers={"Authorization": "Bearer vp_test_bootstrap_admin"}
    )
    problem(no_file, 422, "validation_error")
    assert running.position() == position


def test_unknown_and_missing_headers_are_refused(
    scene: Scene, running: Running
) -> None:
    position = running.position()
    url = roster_url(scene)
    body = problem(
        upload(scene.client, url, "姓名,电话,备注\n张三,1,x\n".encode()),
        422,
        "invalid_headers",
    )
    assert {(e["column"], e["code"]) for e in body["errors"]} == {
        ("电话", "unknown_header"),
        ("备注", "unknown_header"),
        ("手机号", "missing_header"),
    }
    problem(
        upload(scene.client, url, "手机号,手机号\n1,1\n".encode()),
        422,
        "invalid_headers",
    )
    sheet = problem(
        upload(scene.client, sheet_url(scene), "姓名,时长\n王芳,2\n".encode()),
        422,
        "invalid_headers",
    )
    assert {e["column"] for e in sheet["errors"]} == {"手机号"}
    assert running.position() == position


def test_a_zip_bomb_dressed_as_xlsx_is_refused_quickly(
    scene: Scene, running: Running
) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            zeros = bytes(1024 * 1024)
            for _ in range(200):
                entry.write(zeros)
    content = bomb.getvalue()
    assert len(content) < 1024 * 1024
    started = time.monotonic()
    response = upload(scene.client, roster_url(scene), content, "bomb.xlsx")
    assert time.monotonic() - started < 2
    problem(response, 422, "unsupported_file")
    small_but_inflated = io.BytesIO()
    with zipfile.ZipFile(small_but_inflated, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", bytes(5 * 1024 * 1024))
    problem(
        upload(scene.client, roster_url(scene), small_but_inflated.getvalue()),
        422,
        "unsupported_file",
    )
    assert running.position() == scene.position


def test_an_xlsx_claiming_a_million_rows_is_refused_quickly(
    scene: Scene, running: Running
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["姓名", "手机号"])
    sheet.cell(row=1_000_000, column=16_000, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    started = time.monotonic()
    response = upload(scene.client, roster_url(scene), buffer.getvalue(), "r.xlsx")
    assert time.monotonic() - started < 10
    problem(response, 422, "too_many_rows")
    assert running.position() == scene.position


def test_a_file_over_the_body_limit_is_413(scene: Scene, running: Running) -> None:
    rows = "".join(f"人{i},1{i:010d},,,,\n" for i in range(60_000))
    content = (ROSTER + rows).encode()
    assert len(content) > 1024 * 1024
    problem(upload(scene.client, roster_url(scene), content), 413, "payload_too_large")
    assert running.position() == scene.position


def test_dry_run_checks_and_records_nothing(
    scene: Scene, system: System, running: Running
) -> None:
    content = (ROSTER + "冯二,13300133001,,,,\n").encode()
    checked = upload(scene.client, roster_url(scene), content, dry_run="true")
    assert checked.status_code == 200, checked.text
    assert checked.json() | {"position": 0} == {
        "community_id": scene.community,
        "rows": 1,
        "created": 1,
        "unchanged": 0,
        "position": 0,
    }
    assert running.position() == scene.position
    wrong = (ROSTER + "陈三,13300133002,无此网格,,,\n").encode()
    problem(
        upload(scene.client, roster_url(scene), wrong, dry_run="true"),
        422,
        "invalid_rows",
    )
    sheet = f"志愿者编号,时长\n{scene.other_member},2\n".encode()
    answer = upload(scene.client, sheet_url(scene), sheet, dry_run="true")
    assert answer.status_code == 200, answer.text
    assert answer.json()["recorded"] == 1
    assert running.position() == scene.position
    assert "冯二" not in by_name(system, scene)


def test_an_import_retried_with_its_idempotency_key_is_answered_again(
    scene: Scene, running: Running
) -> None:
    content = (ROSTER + "卫五,13300133005,,,,\n").encode()
    headers = {
        "Authorization": "Bearer vp_test_bootstrap_admin",
        "Idempotency-Key": "roster-1",
    }
    files = {"file": ("r.csv", content)}
    first = scene.client.post(roster_url(scene), files=files, headers=headers)
    answer = written(first, 200)
    assert answer["created"] == 1
    position = running.position()
    again = scene.client.post(roster_url(scene), files=files, headers=headers)
    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == answer
    assert running.position() == position
    other = {"file": ("r.csv", (ROSTER + "卫六,13300133006,,,,\n").encode())}
    reused = scene.client.post(roster_url(scene), files=other, headers=headers)
    problem(reused, 422, "idempotency_key_reused")


def test_organizers_import_only_into_communities_they_cover(
    scene: Scene, system: System
) -> None:
    content = (ROSTER + "褚四,13200132001,,,,\n").encode()
    outside = upload(
        scene.client, roster_url(scene), content, role_token="vp_test_organizer_out"
    )
    problem(outside, 403, "forbidden")
    member = upload(
        scene.client, roster_url(scene), content, role_token="vp_test_member_self"
    )
    problem(member, 403, "forbidden")
    inside = upload(
        scene.client, roster_url(scene), content, role_token="vp_test_organizer_in"
    )
    assert written(inside, 200)["created"] == 1
    unknown = f"/v1/communities/{UUID(int=7)}/members/import"
    problem(upload(scene.client, unknown, content), 404, "not_found")


def test_a_changed_phone_is_matched_by_its_new_number_only(
    scene: Scene, system: System
) -> None:
    member = UUID(scene.member)
    system.app.change_member(member, BOOTSTRAP_ADMIN, phone="138 1111 2222")
    content = (ROSTER + "王芳,13811112222,,,,\n王芳,13800138000,,,,\n").encode()
    answer = written(upload(scene.client, roster_url(scene), content), 200)
    assert (answer["created"], answer["unchanged"]) == (1, 1)
    system.catch_up_to_now()
    found = system.queries.members_by_phone(["13811112222", "13800138000"])
    assert found["13811112222"] == scene.member
    assert found["13800138000"] != scene.member


PHONE_KEYS = Sql("SELECT phone_key FROM {t}vp_member_phone")


def test_phones_are_matched_when_personal_data_is_sealed(
    database_url: str, clock: Clock
) -> None:
    key = base64.b64encode(bytes(range(32))).decode()
    with running_api(database_url, clock, cipher_key=key) as api:
        scene = build_scene(api)
        content = (ROSTER + "王芳,138-0013-8000,,,,\n韩梅,13700001111,,,,\n").encode()
        answer = written(upload(scene.client, roster_url(scene), content), 200)
        assert (answer["created"], answer["unchanged"]) == (1, 1)
        api.system.catch_up_to_now()
        keys = {r["phone_key"] for r in api.system.projector.view.all(PHONE_KEYS, ())}
        plain = hashlib.sha256(b"13800138000").hexdigest()
        assert len(keys) == 3
        assert plain not in keys
        assert not any("1380013" in k for k in keys)
        sheet = "手机号,姓名,时长\n13700001111,韩梅,2\n".encode()
        recorded = upload(scene.client, sheet_url(scene), sheet)
        assert written(recorded, 200)["recorded"] == 1


# Sign-in sheets.


def test_a_sign_in_sheet_records_attendance_by_phone_and_by_member_id(
    scene: Scene, system: System, running: Running
) -> None:
    content = (
        "手机号,志愿者编号,姓名,时长\n"
        f"13800138000,,王芳,2.5\n"
        f",{scene.other_member},李娜,1.25\n"
    ).encode("gb18030")
    answer = written(upload(scene.client, sheet_url(scene), content), 200)
    assert answer | {"position": 0} == {
        "activity_id": scene.started,
        "recorded": 1,
        "unchanged": 0,
        "corrected": 1,
        "position": 0,
    }
    position = running.position()
    again = upload(scene.client, sheet_url(scene), content)
    assert again.json()["unchanged"] == 2
    assert running.position() == position
    numeric = xlsx([["手机号", "时长"], [13900139000, 1.25], [13800138000, 2.5]])
    answer = upload(scene.client, sheet_url(scene), numeric, "s.xlsx").json()
    assert answer["unchanged"] == 2
    attendances = system.app.activity(UUID(scene.started)).attendances
    assert {str(m): a.hours for m, a in attendances.items()} == {
        scene.member: Decimal("2.5"),
        scene.other_member: Decimal("1.25"),
    }


# The command line.


def test_the_cli_imports_a_roster_with_readable_errors(
    scene: Scene, system: System, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database_url = system.settings.database_url
    if database_url.startswith("memory"):
        pytest.skip("the command line opens the database itself")
    monkeypatch.setenv("VPOINTS_DATABASE_URL", database_url)
    good = tmp_path / "roster.csv"
    good.write_bytes((ROSTER + "蒋五,13000130001,,中共党员,,\n").encode("gb18030"))
    runner = CliRunner()
    args = ["import", "members", str(good), "--community-id", scene.community]
    checked = runner.invoke(cli, [*args, "--dry-run"])
    assert checked.exit_code == 0, checked.output
    assert "created: 1" in checked.output
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "created: 1" in result.output
    again = runner.invoke(cli, args)
    assert "created: 0, unchanged: 1" in again.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes((ROSTER + "甲,13000130002,无网格,,,\n乙,,,,,\n").encode())
    refused = runner.invoke(
        cli, ["import", "members", str(bad), "--community-id", scene.community]
    )
    assert refused.exit_code == 1
    lines = [line for line in refused.output.splitlines() if line.startswith("第")]
    assert len(lines) == 2
    assert lines[0].startswith("第 2 行")
    assert "网格" in lines[0]
    assert "unknown_grid" in lines[0]
    assert lines[1].startswith("第 3 行")
    assert "手机号" in lines[1]

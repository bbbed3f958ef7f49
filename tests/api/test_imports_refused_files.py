"""Roster files an import refuses over HTTP: empty, neither CSV, XLSX nor
XLS, with a header missing or written twice, hostile, or over the body limit."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from tests.api.imports_support import ROSTER, roster_url, sheet_url, upload
from tests.api.support import Running, Scene, problem

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite", "postgres"], indirect=True
)


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


def test_missing_and_twice_written_headers_are_refused(
    scene: Scene, running: Running
) -> None:
    position = running.position()
    url = roster_url(scene)
    body = problem(
        upload(scene.client, url, "姓名,电话,备注\n张三,1,x\n".encode()),
        422,
        "invalid_headers",
    )
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (1, "手机号", "missing_header")
    ]
    twice = problem(
        upload(scene.client, url, "姓名,手机号,手机号\n张三,1,1\n".encode()),
        422,
        "invalid_headers",
    )
    assert [(e["row"], e["column"], e["code"]) for e in twice["errors"]] == [
        (1, "手机号", "duplicate_header")
    ]
    assert "手机号" in twice["detail"]
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

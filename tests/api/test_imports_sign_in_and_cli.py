"""Sign-in sheets (签到表) over HTTP, and a roster imported from the command
line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from api.cli import cli
from api.system import System
from tests.api.imports_support import ROSTER, sheet_url, upload, xlsx
from tests.api.support import Running, Scene, written

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite", "postgres"], indirect=True
)


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
        "rows": 2,
        "header_row": 1,
        "ignored_columns": [],
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
    title = "幸福里社区志愿者花名册,,,,,,\n"
    rows = ROSTER.replace("\n", ",备注\n") + "蒋五,13000130001,,中共党员,,,组长\n"
    good.write_bytes((title + rows).encode("gb18030"))
    runner = CliRunner()
    args = ["import", "members", str(good), "--community-id", scene.community]
    checked = runner.invoke(cli, [*args, "--dry-run"])
    assert checked.exit_code == 0, checked.output
    assert "created: 1" in checked.output
    assert "header row: 2, ignored columns: 备注" in checked.output
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "created: 1" in result.output
    again = runner.invoke(cli, args)
    assert "created: 0, unchanged: 1" in again.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes((ROSTER + "甲,13000130002,无网格,,,\n乙,,,群众,,\n").encode())
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

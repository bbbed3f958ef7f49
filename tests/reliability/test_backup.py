"""``vpoints backup FILE`` while writers run (DESIGN part three, reliability
round three): the copy holds the log, its chain and the read models at one
position, verifies, and gives the original's figures at that position."""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import cli
from api.settings import Settings
from api.system import System
from infrastructure.storage import open_application, parse_database_url
from projections.replay import replayed_stats
from tests.reliability.conftest import ADMIN, AUTH, Server, build_district
from tests.scaleout.processes import vpoints

HOURS = ("1", "2", "3", "1.5")


def until(done: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "the writers stopped acknowledging"
        time.sleep(0.01)


def run_vpoints(args: list[str], url: str, log: Path) -> tuple[int, str]:
    """Runs a ``vpoints`` command to its end: its exit code and its output."""
    process = vpoints(args, url, ADMIN, log)
    code = process.wait(timeout=120)
    return code, log.read_text(errors="replace")


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_backup_taken_while_writers_run_verifies_and_has_the_figures_of_its_position(
    server: Server, tmp_path: Path
) -> None:
    with server.client() as client:
        district = build_district(client, members=12)
    # (position, member, hours) of every acknowledged write.
    acknowledged: list[tuple[int, str, str]] = []
    lock = threading.Lock()
    stop_writing = threading.Event()

    def write(worker: int) -> None:
        mine = district.members[worker::4]
        with httpx.Client(base_url=server.base, headers=AUTH, timeout=30) as c:
            for hours in itertools.cycle(HOURS):
                for member in mine:
                    if stop_writing.is_set():
                        return
                    answer = c.post(
                        f"/v1/activities/{district.activity}/attendance",
                        json={"records": [{"member_id": member, "hours": hours}]},
                    )
                    assert answer.status_code == 200, answer.text
                    with lock:
                        acknowledged.append((answer.json()["position"], member, hours))

    writers = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for writer in writers:
        writer.start()
    try:
        until(lambda: len(acknowledged) >= 20)
        copy = tmp_path / "copy.db"
        code, said = run_vpoints(["backup", str(copy)], server.url, tmp_path / "b.log")
        assert code == 0, said
        taken = len(acknowledged)
        until(lambda: len(acknowledged) >= taken + 20)
    finally:
        stop_writing.set()
        for writer in writers:
            writer.join()

    with closing(sqlite3.connect(copy)) as connection:
        (position,) = connection.execute(
            "SELECT MAX(rowid) FROM stored_events"
        ).fetchone()
    assert f"at position {position} " in said
    before = [a for a in acknowledged if a[0] <= position]
    after = [a for a in acknowledged if a[0] > position]
    print(f"acknowledged: {len(before)} in the copy, {len(after)} after it")
    assert len(before) >= 20
    assert len(after) >= 20

    verified = CliRunner().invoke(
        cli, ["audit", "verify"], env={"VPOINTS_DATABASE_URL": f"sqlite:///{copy}"}
    )
    assert verified.exit_code == 0, verified.output
    assert f"head at position {position}:" in verified.output

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    original = open_application(parse_database_url(server.url))
    try:
        expected = replayed_stats(
            original, position, "community", district.community, today.year, today
        )
    finally:
        original.close()
    # The copy opened as `vpoints serve` opens it, its read models caught up.
    restored = System(Settings(database_url=f"sqlite:///{copy}"), run_projector=False)
    try:
        restored.projector.catch_up()
        assert restored.projector.position == position
        figures = restored.queries.stats(
            "community", district.community, today.year, today
        )
        rows = restored.queries.activity_attendances(district.activity, 500, None)
    finally:
        restored.close()
    assert figures == expected
    last_before = {member: Decimal(hours) for _, member, hours in sorted(before)}
    assert {
        str(r["member_id"]): Decimal(str(r["hours"])) for r in rows["items"]
    } == last_before


@pytest.mark.parametrize(
    "url", ["postgresql://postgres@127.0.0.1:5432/test", "memory://"]
)
def test_a_backup_of_a_deployment_other_than_sqlite_points_to_its_own_tools(
    url: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli, ["backup", str(tmp_path / "x.db")], env={"VPOINTS_DATABASE_URL": url}
    )
    assert result.exit_code == 2
    assert "backup copies SQLite deployments" in result.output
    if url.startswith("postgresql"):
        assert "pg_dump" in result.output
    assert not (tmp_path / "x.db").exists()


def test_a_backup_does_not_overwrite_a_file_unless_forced(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'vpoints.db'}"
    app = open_application(parse_database_url(url))
    app.register_community("备份社区", None, "test")
    app.close()
    env = {"VPOINTS_DATABASE_URL": url}
    existing = tmp_path / "copy.db"
    existing.write_bytes(b"kept")
    refused = CliRunner().invoke(cli, ["backup", str(existing)], env=env)
    assert (refused.exit_code, existing.read_bytes()) == (2, b"kept")
    assert "--force" in refused.output
    forced = CliRunner().invoke(cli, ["backup", "--force", str(existing)], env=env)
    assert forced.exit_code == 0, forced.output
    assert "at position 1 " in forced.output
    with closing(sqlite3.connect(existing)) as connection:
        count = connection.execute("SELECT COUNT(*) FROM stored_events").fetchone()
    assert count == (1,)
    assert [p.name for p in tmp_path.glob("*copy*")] == ["copy.db"]

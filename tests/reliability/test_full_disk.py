"""A full disk: the database lives on a tmpfs of a few megabytes (SQLite's
file, or the tablespace of a PostgreSQL server of the test's own), a filler
file takes what is left of it, and the server answers writes 507 while reads
keep answering from the read models and the projection stalls; once the filler
is deleted, writes and the projection resume without a restart, and every
acknowledged attendance is counted once."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql

from projections.view import TABLES
from tests.conftest import POSTGRES_URL_SETTING
from tests.reliability.conftest import Server, build_district, ok
from tests.scaleout.replication import (
    DATABASE,
    OS_USER,
    missing_reason,
    single_server,
)

pytestmark = pytest.mark.slow

DISK_SIZE = "4m"
CHUNK = 64 * 1024
# What the filler leaves free: room for a few events but not, after them, for
# the projection's page of read models as well, so that the projection
# stalls on events that were acknowledged.
LEFT_FREE = 96 * 1024
HELD_WRITES = 30


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A tmpfs of a few megabytes, unmounted however the test ends; outside
    pytest's own directories, which a PostgreSQL server cannot reach."""
    mount_point = Path(tempfile.mkdtemp(prefix="vpoints-disk-"))
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", mount_point],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        mount_point.rmdir()
        pytest.skip(f"cannot mount a tmpfs for a small disk here: {error}")
    if mounted.returncode != 0:
        mount_point.rmdir()
        reason = mounted.stderr.strip() or f"mount exited {mounted.returncode}"
        pytest.skip(f"cannot mount a tmpfs for a small disk here: {reason}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", mount_point], check=False)
        mount_point.rmdir()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(
    request: pytest.FixtureRequest, small_disk: Path, tmp_path: Path
) -> Iterator[Server]:
    """``vpoints serve`` whose database is on the small disk: SQLite's file,
    or the tablespace of a PostgreSQL server of the test's own (its WAL and
    catalogue stay on the large disk, as a separate data volume would)."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{small_disk / 'vpoints.db'}"
        else:
            url = stack.enter_context(postgres_on(small_disk))
        running = Server(url, tmp_path / "server.log")
        running.start()
        stack.callback(running.stop)
        yield running


@contextmanager
def postgres_on(disk: Path) -> Iterator[str]:
    """The URL of a database of a PostgreSQL server of its own whose tables
    are made on ``disk`` (its default tablespace)."""
    if not os.environ.get(POSTGRES_URL_SETTING):
        pytest.skip(f"{POSTGRES_URL_SETTING} is not set; PostgreSQL tests skipped")
    reason = missing_reason()
    if reason is not None:
        pytest.skip(f"no PostgreSQL server of the test's own: {reason}")
    if os.geteuid() == 0:
        shutil.chown(disk, OS_USER, OS_USER)
    with single_server() as postgres:
        with postgres.connect("postgres") as connection:
            connection.execute(f"CREATE TABLESPACE small LOCATION '{disk}'")
            connection.execute(
                f"ALTER DATABASE {DATABASE} SET default_tablespace = small"
            )
        yield postgres.url()


def fill(disk: Path, leave: int) -> Path:
    """A file that takes all the disk's free space, less ``leave`` bytes."""
    filler = disk / "filler"
    space = os.statvfs(disk)
    size = max(0, space.f_bavail * space.f_frsize - leave)
    with filler.open("wb") as file:
        for start in range(0, size, CHUNK):
            file.write(b"\0" * min(CHUNK, size - start))
    return filler


@contextmanager
def projection_held(url: str) -> Iterator[None]:
    """Holds the projection back, leaving writes free: a lock on every read
    model's table of the PostgreSQL database the URL names."""
    with psycopg.connect(url) as connection:
        present = {
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        }
        tables = [sql.Identifier(name) for name in TABLES if name in present]
        connection.execute(
            sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
                sql.SQL(", ").join(tables)
            )
        )
        yield
        connection.rollback()


@dataclass
class Tally:
    """Every answer the test had, by status."""

    statuses: list[int] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)

    def record(self, client: httpx.Client, activity: str, member: str) -> int:
        answer = client.post(
            f"/v1/activities/{activity}/attendance",
            json={"records": [{"member_id": member, "hours": "2"}]},
        )
        self.statuses.append(answer.status_code)
        if answer.status_code == 200:
            self.acknowledged.append(member)
        elif answer.status_code == 507:
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert int(answer.headers["Retry-After"]) > 0
            assert answer.json()["code"] == "insufficient_storage"
        else:
            raise AssertionError(f"{answer.status_code}: {answer.text}")
        return answer.status_code

    def read(self, client: httpx.Client, path: str) -> httpx.Response:
        answer = client.get(path)
        self.statuses.append(answer.status_code)
        return answer


def wait_for_health(
    client: httpx.Client, status: str, seconds: float
) -> dict[str, Any]:
    """``/healthz`` once it shows ``status`` (and, for "ok", the read models
    at the log's end), or as it stands after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        health: dict[str, Any] = client.get("/healthz").json()
        there = health["status"] == status and (
            status != "ok" or health["projected"] == health["position"]
        )
        if there or time.monotonic() > deadline:
            return health
        time.sleep(0.1)


def test_a_full_disk_refuses_writes_with_507_and_takes_them_again_once_freed(
    server: Server, small_disk: Path, request: pytest.FixtureRequest
) -> None:
    tally = Tally()
    with server.client() as client:
        district = build_district(client, members=60)
        members = iter(district.members)
        for member in [next(members) for _ in range(5)]:
            assert tally.record(client, district.activity, member) == 200

        # The read models hold the district and these attendances before the
        # disk fills: the reads below are of them.
        assert wait_for_health(client, "ok", 10)["status"] == "ok"
        store = request.node.callspec.params["server"]
        if store == "sqlite":
            filler = fill(small_disk, LEFT_FREE)
        else:
            # PostgreSQL finds room in its tables' pages for the projection's
            # rows longer than for the events: the projection is held back
            # while attendances are acknowledged and the disk fills, so that
            # it meets the full disk when let go.
            with projection_held(server.url):
                for member in [next(members) for _ in range(HELD_WRITES)]:
                    assert tally.record(client, district.activity, member) == 200
                filler = fill(small_disk, 0)
        refused: list[str] = []
        for member in members:
            if tally.record(client, district.activity, member) == 507:
                refused.append(member)
                break
        assert refused, "the disk never filled"
        acknowledged_while_filling = len(tally.acknowledged)

        stalled = wait_for_health(client, "stalled", 10)
        assert stalled["status"] == "stalled", stalled
        # SQLite's "database or disk is full", PostgreSQL's "No space left".
        assert re.search("full|No space", stalled["error"]), stalled
        assert stalled["projected"] < stalled["position"]
        # Reads answer from the read models as they stand.
        activity = tally.read(client, f"/v1/activities/{district.activity}")
        assert activity.status_code == 200, activity.text
        first = tally.acknowledged[0]
        statement = tally.read(client, f"/v1/members/{first}/statement")
        assert statement.status_code == 200, statement.text
        assert tally.record(client, district.activity, refused[0]) == 507

        filler.unlink()
        for member in [*refused, *members]:
            assert tally.record(client, district.activity, member) == 200
        health = wait_for_health(client, "ok", 15)
        assert health["status"] == "ok", health
        assert health["projected"] == health["position"]

        position = health["position"]
        for member in tally.acknowledged:
            items = ok(
                client.get(
                    f"/v1/members/{member}/statement",
                    params={"min_position": position},
                )
            )["items"]
            assert len(items) == 1, (member, items)  # type: ignore[arg-type]
        counted = ok(client.get(f"/v1/activities/{district.activity}"))
        figures = ok(client.get(f"/v1/communities/{district.community}/stats"))

    refusals = tally.statuses.count(507)
    print(
        f"full disk ({store}): {len(tally.statuses)} requests, "
        f"{len(tally.acknowledged)} acknowledged "
        f"({acknowledged_while_filling} before the disk filled), "
        f"{counted['attendances']} counted, {refusals} answered 507"
    )
    assert len(set(tally.acknowledged)) == len(tally.acknowledged)
    assert counted["attendances"] == len(tally.acknowledged)
    assert figures["participations"] == len(tally.acknowledged)
    assert not [s for s in tally.statuses if s >= 500 and s != 507]
    assert refusals >= 2

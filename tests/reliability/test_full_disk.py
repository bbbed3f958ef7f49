"""A full disk under a SQLite deployment: the database lives on a tmpfs of a
few megabytes, a filler file takes what is left of it, and the server answers
writes 507 while reads keep answering from the read models; once the filler is
deleted, writes and the projection resume without a restart, and every
acknowledged attendance is counted once."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.reliability.conftest import Server, build_district, ok

pytestmark = pytest.mark.slow

DISK_SIZE = "4m"
CHUNK = 64 * 1024
# What the filler leaves free: room for a few events but not, after them, for
# the projection's page of read models as well, so that the projection
# stalls on events that were acknowledged.
LEFT_FREE = 96 * 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of a few megabytes, unmounted however the test ends."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", mount_point],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        pytest.skip(f"cannot mount a tmpfs for a small disk here: {error}")
    if mounted.returncode != 0:
        reason = mounted.stderr.strip() or f"mount exited {mounted.returncode}"
        pytest.skip(f"cannot mount a tmpfs for a small disk here: {reason}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", mount_point], check=False)


@pytest.fixture
def server(small_disk: Path, tmp_path: Path) -> Iterator[Server]:
    running = Server(f"sqlite:///{small_disk / 'vpoints.db'}", tmp_path / "server.log")
    running.start()
    try:
        yield running
    finally:
        running.stop()


def fill(disk: Path, leave: int) -> Path:
    """A file that takes all the disk's free space, less ``leave`` bytes."""
    filler = disk / "filler"
    space = os.statvfs(disk)
    size = max(0, space.f_bavail * space.f_frsize - leave)
    with filler.open("wb") as file:
        for start in range(0, size, CHUNK):
            file.write(b"\0" * min(CHUNK, size - start))
    return filler


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
    server: Server, small_disk: Path
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
        filler = fill(small_disk, LEFT_FREE)
        refused: list[str] = []
        for member in members:
            if tally.record(client, district.activity, member) == 507:
                refused.append(member)
                break
        assert refused, "the disk never filled"
        acknowledged_while_filling = len(tally.acknowledged)

        stalled = wait_for_health(client, "stalled", 10)
        assert stalled["status"] == "stalled", stalled
        assert "full" in stalled["error"], stalled
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
        f"full disk (sqlite): {len(tally.statuses)} requests, "
        f"{len(tally.acknowledged)} acknowledged "
        f"({acknowledged_while_filling} before the disk filled), "
        f"{counted['attendances']} counted, {refusals} answered 507"
    )
    assert len(set(tally.acknowledged)) == len(tally.acknowledged)
    assert counted["attendances"] == len(tally.acknowledged)
    assert figures["participations"] == len(tally.acknowledged)
    assert not [s for s in tally.statuses if s >= 500 and s != 507]
    assert refusals >= 2

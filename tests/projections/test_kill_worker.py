"""A projection worker killed mid-way (SIGKILL) resumes where its last committed
page left off, and every figure then equals the recomputation from the events:
nothing is lost and nothing is counted twice."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

from infrastructure.storage import open_application, parse_database_url
from projections.queries import Queries
from projections.view import View
from tests.conftest import Clock
from tests.projections.bulk import write_log
from tests.projections.oracle import Oracle, stored_events
from tests.projections.oracle_agreement import assert_agrees

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# SQLite projects ~3,000 events/s here, PostgreSQL (one round trip per
# statement) fewer: each log takes several seconds to project.
LOG_SIZES = {"sqlite": 30_000, "postgres": 6_000}
WORKER_STORES = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))


def vpoints() -> str:
    installed = Path(sys.executable).parent / "vpoints"
    found = str(installed) if installed.exists() else shutil.which("vpoints")
    assert found, "the vpoints console script is not installed"
    return found


def start_worker(database_url: str, logs: IO[str]) -> subprocess.Popen[str]:
    """``vpoints project``, running this source tree (not an installed copy)."""
    env = os.environ | {
        "VPOINTS_DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [vpoints(), "project"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=logs,
        text=True,
    )


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.02)


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for worker in started:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        if worker.stdout is not None:
            worker.stdout.close()


@pytest.mark.parametrize("database_url", WORKER_STORES, indirect=True)
def test_a_worker_killed_mid_way_resumes_and_counts_every_event_once(
    request: pytest.FixtureRequest,
    database_url: str,
    tmp_path: Path,
    workers: list[subprocess.Popen[str]],
    clock: Clock,
) -> None:
    store = request.node.callspec.params["database_url"]
    app = open_application(parse_database_url(database_url), clock=clock)
    logs = (tmp_path / "worker.log").open("a+")
    try:
        log = write_log(app, LOG_SIZES[store])
        end = app.position()
        assert end >= LOG_SIZES[store]
        view = View.for_application(app)

        first = start_worker(database_url, logs)
        workers.append(first)
        wait_until(lambda: view.position() >= end // 3, "a third is projected")
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL
        killed_at = view.position()
        assert end // 3 <= killed_at < end, (killed_at, end)

        # More events arrive while no worker runs.
        write_log(app, 300, members=20, seed=2)
        end = app.position()

        second = start_worker(database_url, logs)
        workers.append(second)
        wait_until(lambda: view.position() == end, "everything is projected")
        second.send_signal(signal.SIGTERM)
        output, _ = second.communicate(timeout=20)
        assert second.returncode == 0, (tmp_path / "worker.log").read_text()
        assert f"projecting from position {killed_at}" in output
        assert f"stopped at position {end}" in output

        oracle = Oracle(stored_events(app))
        assert oracle.events == end
        assert oracle.entries >= log.entries
        assert_agrees(Queries(view), oracle, app.today())
    finally:
        logs.close()
        app.close()

"""PostgreSQL unreachable, then back, under a write load: the server reaches
the database through a proxy that the test cuts (every connection dropped, new
ones refused) and restores, leaving the database itself running for everyone
else."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.reliability.conftest import (
    AUTH,
    Server,
    build_district,
    ok,
    served_through_proxy,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """``vpoints serve`` on PostgreSQL, through a proxy the test can cut."""
    with served_through_proxy(tmp_path) as running:
        yield running


def test_a_database_outage_answers_503_and_loses_no_acknowledged_write(
    server: Server,
) -> None:
    with server.client() as client:
        district = build_district(client, members=200)
    acknowledged: list[str] = []
    statuses: list[int] = []
    problems: list[httpx.Response] = []
    done = threading.Event()

    def write() -> None:
        with httpx.Client(base_url=server.base, headers=AUTH, timeout=30) as c:
            for member in district.members:
                if done.is_set():
                    return
                answer = c.post(
                    f"/v1/activities/{district.activity}/attendance",
                    json={"records": [{"member_id": member, "hours": "1"}]},
                )
                statuses.append(answer.status_code)
                if answer.status_code == 200:
                    acknowledged.append(member)
                else:
                    problems.append(answer)
                time.sleep(0.02)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        time.sleep(0.5)
        server.proxy.cut()
        time.sleep(10)
    finally:
        server.proxy.start()
    for _ in range(100):
        try:
            if (
                httpx.post(
                    f"{server.base}/v1/communities",
                    json={"name": "恢复检查"},
                    headers=AUTH,
                    timeout=10,
                ).status_code
                == 201
            ):
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    done.set()
    writer.join()

    assert 500 not in statuses
    assert problems, "the outage was not noticed by any request"
    for problem in problems:
        assert problem.status_code == 503, problem.text
        assert problem.headers["content-type"].startswith("application/problem+json")
        assert problem.headers["Retry-After"]
        assert problem.json()["code"] == "database_unavailable"
    with server.client() as client:
        position = ok(client.get("/healthz"))["position"]
        for member in acknowledged:
            statement = ok(
                client.get(
                    f"/v1/members/{member}/statement", params={"min_position": position}
                )
            )
            assert len(statement["items"]) == 1  # type: ignore[arg-type]

"""A full connection pool while PostgreSQL answers is 503 ``server_busy``; a
database that cannot be reached is 503 ``database_unavailable``, even with a
pool that is just as full. The server has a pool of two connections and a
one-second wait for one; the test holds a lock on every table of its schema,
so that the requests that got a connection wait, and those that did not time
out waiting for the pool. Then it cuts the proxy in front of the database."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import sql

from infrastructure.storage import parse_database_url
from tests.reliability.conftest import (
    AUTH,
    Server,
    build_district,
    served_through_proxy,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TINY_POOL = "&pool_size=2&max_overflow=0&connect_timeout=1"
CLIENTS = 8


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with served_through_proxy(tmp_path, TINY_POOL) as running:
        yield running


class Answers:
    """Every answer of a round of concurrent reads."""

    def __init__(self) -> None:
        self.responses: list[httpx.Response] = []
        self.refused = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start_reading(self, server: Server, paths: list[str]) -> None:
        """Sends a read of each path at once, each from a client of its own."""

        def read(path: str) -> None:
            with httpx.Client(base_url=server.base, headers=AUTH, timeout=60) as c:
                answer = c.get(path)
            with self._lock:
                self.responses.append(answer)
            if answer.status_code >= 400:
                self.refused.set()

        self._threads = [threading.Thread(target=read, args=(p,)) for p in paths]
        for thread in self._threads:
            thread.start()

    def wait(self) -> None:
        for thread in self._threads:
            thread.join()

    def read_concurrently(self, server: Server, paths: list[str]) -> None:
        self.start_reading(server, paths)
        self.wait()

    def codes(self) -> list[str]:
        return [r.json()["code"] for r in self.responses if r.status_code >= 400]

    def check_problems(self) -> None:
        for answer in self.responses:
            if answer.status_code == 200:
                continue
            assert answer.status_code == 503, answer.text
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert int(answer.headers["Retry-After"]) > 0


def lock_every_table(url: str) -> psycopg.Connection:
    """A connection whose open transaction holds every table of the schema
    the URL names, so that the server's queries wait for it."""
    env = parse_database_url(url).env
    connection = psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=int(env["POSTGRES_PORT"]),
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"] or None,
    )
    schema = env["POSTGRES_SCHEMA"]
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)
        )
    ]
    connection.execute(
        sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
            sql.SQL(", ").join(sql.Identifier(schema, t) for t in tables)
        )
    )
    return connection


def test_a_full_pool_is_server_busy_and_an_unreachable_database_is_unavailable(
    server: Server,
) -> None:
    with server.client() as client:
        district = build_district(client, members=4)
    paths = [
        f"/v1/activities/{district.activity}",
        f"/v1/communities/{district.community}/stats",
        f"/v1/members/{district.members[0]}/statement",
        f"/v1/teams/{district.team}",
    ] * (CLIENTS // 4)

    busy = Answers()
    locker = lock_every_table(server.url)
    try:
        busy.start_reading(server, paths)
        # The reads that got a connection wait for the lock; once one that
        # did not has been answered, the lock is let go and they finish.
        assert busy.refused.wait(30), "no read was refused while the pool was full"
    finally:
        locker.close()
        busy.wait()
    busy.check_problems()
    assert "server_busy" in busy.codes()
    assert set(busy.codes()) == {"server_busy"}, busy.codes()

    unreachable = Answers()
    server.proxy.cut()
    try:
        time.sleep(0.5)
        unreachable.read_concurrently(server, paths)
    finally:
        server.proxy.start()
    unreachable.check_problems()
    assert "database_unavailable" in unreachable.codes()
    assert set(unreachable.codes()) == {"database_unavailable"}, unreachable.codes()

    recovered = Answers()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        recovered = Answers()
        recovered.read_concurrently(server, paths)
        if not recovered.codes():
            break
        time.sleep(0.5)
    assert not recovered.codes(), recovered.codes()

    rounds = [busy, unreachable, recovered]
    statuses = [r.status_code for a in rounds for r in a.responses]
    print(
        f"busy pool (postgres): {len(statuses)} requests, "
        f"{busy.codes().count('server_busy')} server_busy while the pool was "
        f"full, {unreachable.codes().count('database_unavailable')} "
        "database_unavailable while the proxy was cut, "
        f"{statuses.count(500)} answered 500"
    )
    assert 500 not in statuses

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
READERS = 8
WRITERS = 4


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with served_through_proxy(tmp_path, TINY_POOL) as running:
        yield running


class Answers:
    """Every answer of a round of concurrent requests: reads of paths, and
    attendances of members recorded on an activity."""

    def __init__(self, activity: str) -> None:
        self.activity = activity
        self.responses: list[httpx.Response] = []
        self.acknowledged: list[str] = []
        self.refused_writes: list[str] = []
        self.refused = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self, server: Server, paths: list[str], members: list[str]) -> None:
        """Sends each read and each write at once, each from a client of its own."""

        def send(path: str | None, member: str | None) -> None:
            with httpx.Client(base_url=server.base, headers=AUTH, timeout=60) as c:
                if member is None:
                    answer = c.get(str(path))
                else:
                    answer = c.post(
                        f"/v1/activities/{self.activity}/attendance",
                        json={"records": [{"member_id": member, "hours": "1"}]},
                    )
            with self._lock:
                self.responses.append(answer)
                if member is not None:
                    written = answer.status_code == 200
                    (self.acknowledged if written else self.refused_writes).append(
                        member
                    )
            if answer.status_code >= 400:
                self.refused.set()

        requests = [(p, None) for p in paths] + [(None, m) for m in members]
        self._threads = [threading.Thread(target=send, args=r) for r in requests]
        for thread in self._threads:
            thread.start()

    def wait(self) -> None:
        for thread in self._threads:
            thread.join()

    def send_concurrently(
        self, server: Server, paths: list[str], members: list[str]
    ) -> None:
        self.start(server, paths, members)
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
        district = build_district(client, members=2 * WRITERS)
    paths = [
        f"/v1/activities/{district.activity}",
        f"/v1/communities/{district.community}/stats",
        f"/v1/members/{district.members[0]}/statement",
        f"/v1/teams/{district.team}",
    ] * (READERS // 4)
    writers = [district.members[n * WRITERS : (n + 1) * WRITERS] for n in range(3)]

    busy = Answers(district.activity)
    locker = lock_every_table(server.url)
    try:
        busy.start(server, paths, writers[0])
        # The requests that got a connection wait for the lock; once one that
        # did not has been answered, the lock is let go and they finish.
        assert busy.refused.wait(30), "nothing was refused while the pool was full"
    finally:
        locker.close()
        busy.wait()
    busy.check_problems()
    assert "server_busy" in busy.codes()
    assert set(busy.codes()) == {"server_busy"}, busy.codes()

    unreachable = Answers(district.activity)
    server.proxy.cut()
    try:
        time.sleep(0.5)
        # Reads only: writes in an outage are tests/reliability/test_outage.py's.
        unreachable.send_concurrently(server, paths, [])
    finally:
        server.proxy.start()
    unreachable.check_problems()
    assert "database_unavailable" in unreachable.codes()
    assert set(unreachable.codes()) == {"database_unavailable"}, unreachable.codes()

    with server.client() as client:
        deadline = time.monotonic() + 20
        while client.get("/healthz").status_code != 200:
            assert time.monotonic() < deadline, "the server did not reconnect"
            time.sleep(0.2)
        recovered = Answers(district.activity)
        recovered.send_concurrently(server, paths, writers[1] + busy.refused_writes)
        assert not recovered.codes(), recovered.codes()

        rounds = [busy, unreachable, recovered]
        acknowledged = [m for a in rounds for m in a.acknowledged]
        position = client.get("/healthz").json()["position"]
        activity = client.get(
            f"/v1/activities/{district.activity}", params={"min_position": position}
        ).json()

    statuses = [r.status_code for a in rounds for r in a.responses]
    print(
        f"busy pool (postgres): {len(statuses)} requests, "
        f"{busy.codes().count('server_busy')} server_busy while the pool was "
        f"full, {unreachable.codes().count('database_unavailable')} "
        "database_unavailable while the proxy was cut, "
        f"{len(acknowledged)} writes acknowledged, "
        f"{activity['attendances']} counted, "
        f"{len([s for s in statuses if s >= 500 and s != 503])} other 5xx"
    )
    assert len(set(acknowledged)) == len(acknowledged) == 2 * WRITERS
    assert activity["attendances"] == len(acknowledged)
    assert not [s for s in statuses if s >= 500 and s != 503]

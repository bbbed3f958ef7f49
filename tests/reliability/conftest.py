"""A real ``vpoints serve`` process and a small district in it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests.conftest import drop_postgres_schema, postgres_test_url
from tests.reliability.proxy import proxied
from tests.scaleout.processes import free_port, stop, vpoints, wait_until_serving

ADMIN = "reliability-admin-token"
AUTH = {"Authorization": f"Bearer {ADMIN}"}


@dataclass
class Server:
    url: str
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    proxy: Any = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *args: str) -> None:
        self.process = vpoints(
            ["serve", "--port", str(self.port), *args], self.url, ADMIN, self.log
        )
        wait_until_serving(self.port, self.process, self.log)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers=AUTH, timeout=60)


@dataclass
class District:
    community: str
    team: str
    members: list[str]
    activity: str


def database(store: str, tmp_path: Path) -> Iterator[str]:
    if store == "sqlite":
        yield f"sqlite:///{tmp_path / 'vpoints.db'}"
    else:
        url = postgres_test_url()
        yield url
        drop_postgres_schema(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    for url in database(request.param, tmp_path):
        running = Server(url, tmp_path / "server.log")
        running.start()
        try:
            yield running
        finally:
            running.stop()


@contextmanager
def served_through_proxy(tmp_path: Path, settings: str = "") -> Iterator[Server]:
    """``vpoints serve`` on PostgreSQL, through a proxy the test can cut (every
    connection dropped, new ones refused) and restore, leaving the database
    itself running for everyone else; ``settings`` are added to the URL's
    query (``&pool_size=2``)."""
    url = postgres_test_url()
    parts = urlsplit(url)
    assert parts.hostname is not None
    try:
        with proxied(parts.hostname, parts.port or 5432) as proxy:
            user = parts.netloc.rpartition("@")[0]
            netloc = f"{user}@" * bool(user) + f"127.0.0.1:{proxy.port}"
            through = parts._replace(netloc=netloc, query=parts.query + settings)
            running = Server(urlunsplit(through), tmp_path / "server.log")
            running.proxy = proxy
            running.start()
            try:
                yield running
            finally:
                running.stop()
    finally:
        drop_postgres_schema(url)


def ok(response: httpx.Response) -> dict[str, object]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, object] = response.json()
    return body


def build_district(client: httpx.Client, members: int = 40) -> District:
    community = str(ok(client.post("/v1/communities", json={"name": "可靠社区"}))["id"])
    team_body = {"name": "可靠队", "community_id": community}
    team = str(ok(client.post("/v1/teams", json=team_body))["id"])
    member_ids = [
        str(
            ok(
                client.post(
                    "/v1/members",
                    json={
                        "name": f"志愿者{i}",
                        "community_id": community,
                        "party_member": True,
                        "phone": f"1390000{i:04d}",
                    },
                )
            )["id"]
        )
        for i in range(members)
    ]
    start = datetime.now(UTC) - timedelta(hours=1)
    activity = str(
        ok(
            client.post(
                "/v1/activities",
                json={
                    "title": "可靠性演练",
                    "team_id": team,
                    "category": "治安巡逻",
                    "starts_at": start.isoformat(),
                    "ends_at": (start + timedelta(hours=4)).isoformat(),
                },
            )
        )["id"]
    )
    return District(community, team, member_ids, activity)

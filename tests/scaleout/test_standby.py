"""Reads through a PostgreSQL streaming standby (VPOINTS_READ_DATABASE_URL).

Each test runs ``vpoints serve`` against a primary and a real streaming
standby of it, both started here with PostgreSQL's own binaries (the shared
server allows no replication connections and is not used): writes go to the
primary, the projector writes the read models there, PostgreSQL replicates
them, and the API reads them on the standby."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import POSTGRES_URL_SETTING
from tests.scaleout.processes import free_port, stop, vpoints, wait_until_serving
from tests.scaleout.replication import (
    Replication,
    Server,
    missing_reason,
    primary_and_standby,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ADMIN = "standby-admin-token"
AUTH = {"Authorization": f"Bearer {ADMIN}"}
READS_EACH = 10


@pytest.fixture(scope="module")
def pair() -> Iterator[Replication]:
    if not os.environ.get(POSTGRES_URL_SETTING):
        pytest.skip(f"{POSTGRES_URL_SETTING} is not set; PostgreSQL tests skipped")
    reason = missing_reason()
    if reason is not None:
        pytest.skip(f"no standby can be made here: {reason}")
    with primary_and_standby() as replication:
        yield replication


@contextmanager
def serving(pair: Replication, log: Path, wait_seconds: str = "10") -> Iterator[str]:
    """``vpoints serve`` (projections in-process) on the primary, reading on
    the standby; stopped, its connections closed, when done."""
    port = free_port()
    settings = {
        "VPOINTS_READ_DATABASE_URL": pair.standby.url(),
        "VPOINTS_READ_WAIT_SECONDS": wait_seconds,
    }
    server = vpoints(
        ["serve", "--port", str(port)], pair.primary.url(), ADMIN, log, settings
    )
    try:
        yield wait_until_serving(port, server, log)
    finally:
        stop(server)


def post(client: httpx.Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body, headers=AUTH)
    assert response.status_code in (200, 201), response.text
    answer: dict[str, Any] = response.json()
    return answer


def get(client: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params, headers=AUTH)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def a_member_and_an_activity(client: httpx.Client) -> tuple[str, str, str]:
    """A community, a member of it in a team, and an activity that started
    an hour ago; their ids."""
    community = post(client, "/v1/communities", {"name": "备库社区"})["id"]
    team = post(client, "/v1/teams", {"name": "备库服务队", "community_id": community})
    member = post(
        client,
        "/v1/members",
        {"name": "赵敏", "community_id": community, "party_member": True},
    )["id"]
    start = datetime.now(UTC) - timedelta(hours=1)
    activity = post(
        client,
        "/v1/activities",
        {
            "title": "备库上的活动",
            "team_id": team["id"],
            "category": "环境整治",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=6)).isoformat(),
        },
    )["id"]
    return community, member, activity


def attend(client: httpx.Client, activity: str, member: str, hours: str) -> int:
    """Records (or corrects) a member's hours; the answer's position."""
    answer = post(
        client,
        f"/v1/activities/{activity}/attendance",
        {"records": [{"member_id": member, "hours": hours}], "reason": "更正"},
    )
    return int(answer["position"])


def test_a_read_with_the_position_of_a_write_reflects_it_through_the_standby(
    pair: Replication, tmp_path: Path
) -> None:
    with (
        serving(pair, tmp_path / "api.log") as base,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        _, member, activity = a_member_and_an_activity(client)
        for hours in ("1", "2.5", "4", "0.5", "3"):
            position = attend(client, activity, member, hours)
            points = get(client, f"/v1/members/{member}/points", min_position=position)
            statement = get(
                client, f"/v1/members/{member}/statement", min_position=position
            )
            assert Decimal(points["hours"]) == Decimal(hours)
            assert [Decimal(i["hours"]) for i in statement["items"]] == [Decimal(hours)]
            health = get(client, "/healthz")
            assert health["read_from"] == "standby"
            assert health["projected"] >= position
            assert tracked(pair.standby) >= position


def test_a_read_waits_for_the_standby_not_the_primary(
    pair: Replication, tmp_path: Path
) -> None:
    with (
        serving(pair, tmp_path / "api.log", wait_seconds="1") as base,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        _, member, activity = a_member_and_an_activity(client)
        before = attend(client, activity, member, "2")
        get(client, f"/v1/members/{member}/points", min_position=before)
        with pair.standby.connect() as standby:
            standby.execute("SELECT pg_wal_replay_pause()")
            try:
                after = attend(client, activity, member, "5")
                late = client.get(
                    f"/v1/members/{member}/points",
                    params={"min_position": after},
                    headers=AUTH,
                )
                stale = get(client, f"/v1/members/{member}/points")
                health = get(client, "/healthz")
            finally:
                standby.execute("SELECT pg_wal_replay_resume()")
        assert late.status_code == 503, late.text
        assert late.json()["code"] == "not_caught_up"
        assert Decimal(stale["hours"]) == Decimal(2)
        assert health["projected"] < after <= health["projected_on_primary"]
        points = get(client, f"/v1/members/{member}/points", min_position=after)
        assert Decimal(points["hours"]) == Decimal(5)


def test_the_primary_serves_none_of_the_reads_the_standby_serves_them_all(
    pair: Replication, tmp_path: Path
) -> None:
    """The counter is each server's own count of scans (``seq_scan`` plus
    ``idx_scan`` in ``pg_stat_user_tables``, which a hot standby keeps for
    the queries it runs) summed over every read model's table. The
    database-wide ``pg_stat_database`` counters are not used: the primary's
    grow whatever the reads do, from the projector's polling of the event
    table and from the event log's reads that check a path's aggregate exists.
    A server's backends report their counts when they exit, so each run of
    requests is taken by a ``vpoints serve`` of its own, stopped before the
    counters are read."""
    log = tmp_path / "api.log"
    with serving(pair, log) as base, httpx.Client(base_url=base, timeout=30) as client:
        community, member, activity = a_member_and_an_activity(client)
        position = attend(client, activity, member, "3")
        get(client, f"/v1/members/{member}/points", min_position=position)
    primary_before, standby_before = pair.settled_scans()
    reads = (
        f"/v1/members/{member}/points",
        f"/v1/members/{member}/statement",
        f"/v1/communities/{community}/stats",
        "/v1/stats",
    )
    with serving(pair, log) as base, httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(READS_EACH):
            for path in reads:
                get(client, path, min_position=position)
    primary_after, standby_after = pair.settled_scans()
    assert primary_after == primary_before
    assert standby_after - standby_before >= READS_EACH * len(reads)


def tracked(server: Server) -> int:
    with server.connect() as connection:
        row = connection.execute(
            "SELECT max(notification_id) FROM vpoints_tracking"
        ).fetchone()
    return int(row[0] or 0)

"""Two stateless API processes and a projection worker on one PostgreSQL."""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.conftest import drop_postgres_schema, postgres_test_url
from tests.reliability.redemption import at_once, codes, read
from tests.scaleout.processes import free_port, stop, vpoints, wait_until_serving

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ADMIN = "scale-out-admin-token"
AUTH = {"Authorization": f"Bearer {ADMIN}"}
MEMBERS = 120
ACTIVITIES = 6


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[tuple[str, list[str], Path]]:
    url = postgres_test_url()
    log = tmp_path / "processes.log"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        bases = []
        for _ in range(2):
            port = free_port()
            server = vpoints(
                ["serve", "--no-projector", "--port", str(port)], url, ADMIN, log
            )
            processes.append(server)
            bases.append(wait_until_serving(port, server, log))
        processes.append(vpoints(["project"], url, ADMIN, log))
        yield url, bases, log
    finally:
        for process in processes:
            stop(process)
        drop_postgres_schema(url)


def post(client: httpx.Client, path: str, body: dict[str, object]) -> dict[str, object]:
    response = client.post(path, json=body, headers=AUTH)
    assert response.status_code in (200, 201), response.text
    answer: dict[str, object] = response.json()
    return answer


def test_writes_through_two_api_processes_are_counted_once_and_read_through_either(
    deployment: tuple[str, list[str], Path],
) -> None:
    url, bases, log = deployment
    clients = [httpx.Client(base_url=base, timeout=30) for base in bases]
    first, second = clients
    community = str(post(first, "/v1/communities", {"name": "扩容社区"})["id"])
    team = str(
        post(second, "/v1/teams", {"name": "扩容服务队", "community_id": community})[
            "id"
        ]
    )
    members = [
        str(
            post(
                clients[i % 2],
                "/v1/members",
                {"name": f"志愿者{i}", "community_id": community, "party_member": True},
            )["id"]
        )
        for i in range(MEMBERS)
    ]
    start = datetime.now(UTC) - timedelta(hours=1)
    activities = [
        str(
            post(
                clients[i % 2],
                "/v1/activities",
                {
                    "title": f"活动{i}",
                    "team_id": team,
                    "category": "环境整治",
                    "starts_at": start.isoformat(),
                    "ends_at": (start + timedelta(hours=3)).isoformat(),
                },
            )["id"]
        )
        for i in range(ACTIVITIES)
    ]

    def record(job: int) -> int:
        client = clients[job % 2]
        activity = activities[job % ACTIVITIES]
        batch = members[(job // ACTIVITIES) * 10 : (job // ACTIVITIES) * 10 + 10]
        answer = post(
            client,
            f"/v1/activities/{activity}/attendance",
            {"records": [{"member_id": m, "hours": "1.5"} for m in batch]},
        )
        assert answer["recorded"] == len(batch)
        return int(str(answer["position"]))

    jobs = ACTIVITIES * (MEMBERS // 10)
    with ThreadPoolExecutor(max_workers=8) as pool:
        positions = list(pool.map(record, range(jobs)))
    participations = jobs * 10
    expected_points = f"{participations * 15}.0"

    for client in clients:
        stats = client.get(
            "/v1/stats", params={"min_position": max(positions)}, headers=AUTH
        )
        assert stats.status_code == 200, stats.text
        assert stats.json()["participations"] == participations
        assert stats.json()["points"] == expected_points

    mistaken_worker = vpoints(["project"], url, ADMIN, log)
    try:
        extra = post(
            first,
            f"/v1/activities/{activities[0]}/attendance",
            {"records": [{"member_id": members[0], "hours": "3"}]},
        )
        assert extra["corrected"] == 1
        for client in clients:
            stats = client.get(
                "/v1/stats", params={"min_position": extra["position"]}, headers=AUTH
            ).json()
            assert stats["participations"] == participations
            assert stats["points"] == f"{participations * 15 + 15}.0"
        assert mistaken_worker.poll() is None, log.read_text(errors="replace")
    finally:
        stop(mistaken_worker)
    for client in clients:
        client.close()


def test_concurrent_redemptions_through_two_api_processes_never_overspend(
    deployment: tuple[str, list[str], Path],
) -> None:
    _, bases, _ = deployment
    with httpx.Client(base_url=bases[0], timeout=30) as client:
        community = str(post(client, "/v1/communities", {"name": "兑换社区"})["id"])
        team = str(
            post(client, "/v1/teams", {"name": "兑换队", "community_id": community})[
                "id"
            ]
        )
        member = str(
            post(
                client,
                "/v1/members",
                {"name": "张伟", "community_id": community, "party_member": True},
            )["id"]
        )
        start = datetime.now(UTC) - timedelta(hours=1)
        activity = post(
            client,
            "/v1/activities",
            {
                "title": "兑换前的活动",
                "team_id": team,
                "category": "环境整治",
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=5)).isoformat(),
            },
        )["id"]
        post(
            client,
            f"/v1/activities/{activity}/attendance",
            {"records": [{"member_id": member, "hours": "4"}]},
        )
        reward = str(
            post(
                client,
                f"/v1/communities/{community}/rewards",
                {"name": "大米", "points": "3", "stock": 100},
            )["id"]
        )
    path = f"/v1/members/{member}/redemptions"
    responses = at_once(bases, [(path, {"reward_id": reward}, {})] * 32, AUTH)
    # 40.0 points buy 13 at 3.0, through whichever process a request reached.
    assert Counter(codes(responses)) == {"201": 13, "409 insufficient_points": 19}
    position = max(r.json()["position"] for r in responses if r.status_code == 201)
    for base in bases:
        account = read(base, f"/v1/members/{member}/account", position, AUTH)
        assert (account["balance"], account["spent"]) == ("1.0", "39.0")

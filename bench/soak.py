"""A soak under mixed load, as an operator would try it: ``vpoints serve`` on
SQLite or PostgreSQL, 8 clients for ``--minutes`` mixing batched attendance
(50 a request), single attendance, points reads and statement reads (a page).
Every ``--every`` minutes: the server's RSS and its private part (``RssAnon``),
the requests done, and the p50/p99 of the reads in that interval, of all and
of each kind. At the end every acknowledged attendance must be
counted once (the participations of the figures).

    python bench/soak.py --database sqlite --minutes 30 --every 5 --cache-mb 128
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from http_bench import ADMIN, serve

CLIENTS = 8
MEMBERS = 3000
# Enough activities that a 30-minute soak never runs out of new attendances
# (members × activities of them); the result says how many were taken.
ACTIVITIES = 4000
HEADERS = {"Authorization": f"Bearer {ADMIN}"}


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """The process's resident memory (``VmRSS``), or a part of it: private
    memory (``RssAnon``), files mapped (``RssFile``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def populate(base: str) -> tuple[str, list[str], list[str]]:
    with httpx.Client(base_url=base, headers=HEADERS, timeout=60) as client:
        community = client.post("/v1/communities", json={"name": "长跑社区"}).json()
        team = client.post(
            "/v1/teams", json={"name": "长跑队", "community_id": community["id"]}
        ).json()["id"]
        members = [
            client.post(
                "/v1/members",
                json={
                    "name": f"志愿者{i}",
                    "community_id": community["id"],
                    "party_member": True,
                },
            ).json()["id"]
            for i in range(MEMBERS)
        ]
        start = datetime.now(UTC) - timedelta(hours=1)
        activities = [
            client.post(
                "/v1/activities",
                json={
                    "title": f"活动{i}",
                    "team_id": team,
                    "category": "环境整治",
                    "starts_at": start.isoformat(),
                    "ends_at": (start + timedelta(hours=4)).isoformat(),
                },
            ).json()["id"]
            for i in range(ACTIVITIES)
        ]
    return community["id"], members, activities


class Load:
    """The clients' shared state: which attendances are still to write, what
    was acknowledged, and the reads' latencies of the current interval."""

    def __init__(self, members: list[str], activities: list[str]) -> None:
        self.members, self.activities = members, activities
        self.lock = threading.Lock()
        self.next = 0
        self.acknowledged = 0
        self.failed = 0
        self.failures: Counter[str] = Counter()
        self.requests = 0
        self.latencies: list[float] = []
        self.points_latencies: list[float] = []
        self.statement_latencies: list[float] = []
        self.stop = threading.Event()

    def take(self, count: int) -> list[tuple[str, str]]:
        """The next ``count`` (activity, member) pairs never written before."""
        with self.lock:
            first, self.next = self.next, self.next + count
        pairs = []
        for k in range(first, first + count):
            activity = self.activities[(k // len(self.members)) % len(self.activities)]
            pairs.append((activity, self.members[k % len(self.members)]))
        return pairs

    def client(self, base: str, seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, headers=HEADERS, timeout=60) as http:
            while not self.stop.is_set():
                try:
                    self.request(http, rng)
                except httpx.HTTPError as error:
                    with self.lock:
                        self.requests += 1
                        self.fail(type(error).__name__)

    def request(self, http: httpx.Client, rng: random.Random) -> None:
        kind = rng.random()
        began = time.perf_counter()
        if kind < 0.15:
            self.write(http, self.take(50))
        elif kind < 0.45:
            self.write(http, self.take(1))
        else:
            member = rng.choice(self.members)
            what = "points" if kind < 0.75 else "statement"
            answer = http.get(f"/v1/members/{member}/{what}")
            with self.lock:
                self.requests += 1
                if answer.status_code != 200:
                    self.fail(f"GET {what} {answer.status_code} {code_of(answer)}")
                took = time.perf_counter() - began
                self.latencies.append(took)
                if what == "points":
                    self.points_latencies.append(took)
                else:
                    self.statement_latencies.append(took)

    def fail(self, what: str) -> None:
        """Counts a failed request by what it was (under the lock)."""
        self.failed += 1
        self.failures[what] += 1

    def write(self, http: httpx.Client, pairs: list[tuple[str, str]]) -> None:
        by_activity: dict[str, list[str]] = {}
        for activity, member in pairs:
            by_activity.setdefault(activity, []).append(member)
        for activity, members in by_activity.items():
            body = {"records": [{"member_id": m, "hours": "1"} for m in members]}
            answer = http.post(f"/v1/activities/{activity}/attendance", json=body)
            with self.lock:
                self.requests += 1
                if answer.status_code == 200:
                    self.acknowledged += answer.json()["recorded"]
                else:
                    self.fail(f"POST attendance {answer.status_code} {code_of(answer)}")


def code_of(answer: httpx.Response) -> str:
    """The problem document's code, if the answer is one."""
    try:
        return str(answer.json().get("code"))
    except ValueError:
        return "-"


def percentile(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--every", type=float, default=5)
    parser.add_argument("--cache-mb", type=int, default=128)
    parser.add_argument("--port", type=int, default=8761)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="vpoints-soak-"))
    if args.database == "sqlite":
        url = f"sqlite:///{folder / 'soak.db'}"
    else:
        url = f"{args.postgres}?schema=soak_{uuid.uuid4().hex[:8]}"
    os.environ["VPOINTS_CACHE_MB"] = str(args.cache_mb)
    base = f"http://127.0.0.1:{args.port}"
    server = serve(url, args.port)
    rows: list[dict[str, Any]] = []
    try:
        community, members, activities = populate(base)
        load = Load(members, activities)
        threads = [
            threading.Thread(target=load.client, args=(base, n), daemon=True)
            for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        began = time.monotonic()
        end = began + args.minutes * 60
        while time.monotonic() < end:
            time.sleep(min(args.every * 60, end - time.monotonic()))
            with load.lock:
                latencies, load.latencies = load.latencies, []
                points, load.points_latencies = load.points_latencies, []
                statements = load.statement_latencies
                load.statement_latencies = []
                done = (load.requests, load.acknowledged, load.failed)
            rows.append(
                {
                    "minute": round((time.monotonic() - began) / 60, 1),
                    "rss_mb": round(rss_mb(server.pid)),
                    "rss_anon_mb": round(rss_mb(server.pid, "RssAnon")),
                    "requests": done[0],
                    "attendances_acknowledged": done[1],
                    "failed": done[2],
                    "read_p50_ms": round(percentile(latencies, 50), 1),
                    "read_p99_ms": round(percentile(latencies, 99), 1),
                    "points_p99_ms": round(percentile(points, 99), 1),
                    "statement_p99_ms": round(percentile(statements, 99), 1),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
        load.stop.set()
        for thread in threads:
            thread.join(timeout=120)
        with httpx.Client(base_url=base, headers=HEADERS, timeout=120) as client:
            position = client.get("/healthz").json()["position"]
            year = datetime.now(UTC).year
            stats = client.get(
                f"/v1/communities/{community}/stats",
                params={"min_position": position, "year": year},
            ).json()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    print(
        json.dumps(
            {
                "database": args.database,
                "cache_mb": args.cache_mb,
                "acknowledged": load.acknowledged,
                "counted": stats.get("participations"),
                "failed_requests": load.failed,
                "attendances_taken": load.next,
                "attendances_available": len(members) * len(activities),
                "failures": dict(load.failures),
            }
        )
    )


if __name__ == "__main__":
    main()

"""Contention without failures (DESIGN, reliability round three): sixteen
clients write single attendances to one activity, as fast as they are
answered, for ``VPOINTS_CONTENTION_SECONDS`` (5 by default; the design's
minute is 60), on a real server on SQLite and on PostgreSQL. No answer is a
5xx, and every acknowledged attendance is counted once.

Each client writes its own members, a new one each time while it has any,
then corrects the hours of those it wrote: every write changes something."""

from __future__ import annotations

import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.reliability.conftest import AUTH, Server, build_district, ok

CLIENTS = 16
SECONDS = float(os.environ.get("VPOINTS_CONTENTION_SECONDS", "5"))
# More members than a client writes in the time on these machines, so that
# most writes are new attendances.
MEMBERS_PER_CLIENT_SECOND = 10
HOURS = ["1", "1.5", "2", "2.5", "3", "3.5", "4"]


def read(client: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    """A read with ``min_position``, asked again while the read models catch
    up with a large import or a minute's writes (a few seconds each time)."""
    for _ in range(30):
        response = client.get(path, params=params)
        if response.status_code != 503:
            break
    answer: dict[str, Any] = ok(response)
    return answer


def register(client: httpx.Client, community: str, count: int) -> list[str]:
    """Registers ``count`` members from one roster; their ids."""
    roster = "姓名,手机号\n" + "".join(f"争用{i},139{i:08d}\n" for i in range(count))
    imported = client.post(
        f"/v1/communities/{community}/members/import",
        files={"file": ("roster.csv", roster.encode(), "text/csv")},
    )
    position = ok(imported)["position"]
    members: list[str] = []
    cursor = None
    while True:
        params = {"limit": 500, "min_position": position} | (
            {"cursor": cursor} if cursor else {}
        )
        page = read(client, f"/v1/communities/{community}/members", **params)
        members += [str(m["id"]) for m in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return members


class Writer:
    """One client: writes its members' attendances one request at a time
    until the end, remembering what was acknowledged."""

    def __init__(self, base: str, activity: str, members: list[str]) -> None:
        self.base = base
        self.path = f"/v1/activities/{activity}/attendance"
        self.members = members
        self.statuses: Counter[int] = Counter()
        self.hours: dict[str, str] = {}
        self.recorded = 0
        self.corrected = 0
        self.last_position = 0

    def __call__(self, ends: float) -> None:
        with httpx.Client(base_url=self.base, headers=AUTH, timeout=60) as client:
            written = 0
            while time.monotonic() < ends:
                member = self.members[written % len(self.members)]
                hours = HOURS[(written // len(self.members)) % len(HOURS)]
                record = {"member_id": member, "hours": hours}
                body = {"records": [record], "reason": "签退时间登记错误"}
                answer = client.post(self.path, json=body)
                self.statuses[answer.status_code] += 1
                written += 1
                if answer.status_code == 200:
                    done = answer.json()
                    self.recorded += done["recorded"]
                    self.corrected += done["corrected"]
                    self.hours[member] = hours
                    self.last_position = max(self.last_position, done["position"])


def test_sixteen_clients_writing_one_activity_get_no_5xx_and_all_count(
    server: Server, pytestconfig: pytest.Config
) -> None:
    per_client = round(MEMBERS_PER_CLIENT_SECOND * SECONDS)
    with server.client() as client:
        district = build_district(client, members=0)
        members = register(client, district.community, CLIENTS * per_client)
    assert len(members) == CLIENTS * per_client
    writers = [
        Writer(server.base, district.activity, members[n::CLIENTS])
        for n in range(CLIENTS)
    ]
    ends = time.monotonic() + SECONDS
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(lambda writer: writer(ends), writers))

    statuses = sum((w.statuses for w in writers), Counter[int]())
    hours = {m: h for w in writers for m, h in w.hours.items()}
    position = max(w.last_position for w in writers)
    with server.client() as client:
        activity = read(
            client, f"/v1/activities/{district.activity}", min_position=position
        )
        stats = read(
            client,
            f"/v1/communities/{district.community}/stats",
            min_position=position,
        )
    counts = {
        "store": server.url.split(":", 1)[0],
        "seconds": SECONDS,
        "requests": statuses.total(),
        "5xx": sum(n for status, n in statuses.items() if status >= 500),
        "statuses": dict(statuses),
        "acknowledged": statuses[200],
        "recorded": sum(w.recorded for w in writers),
        "corrected": sum(w.corrected for w in writers),
        "counted": activity["attendances"],
    }
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"contention: {counts}")
    assert counts["5xx"] == 0, statuses
    assert counts["acknowledged"] == counts["recorded"] + counts["corrected"]
    assert activity["attendances"] == len(hours) == counts["recorded"]
    assert stats["participations"] == len(hours)
    points = sum((Decimal(h) * 10 for h in hours.values()), Decimal(0))
    assert Decimal(str(stats["points"])) == points

"""Redemptions per second over HTTP with wrk: one member redeeming from 16
connections at once (every redemption of that member is decided one after
another on its account), and many members at once.

Starts ``vpoints serve`` on a fresh database, gives each member 10,000 points
through one attendance, offers a reward at 0.1 point with a stock that never
runs out, then drives ``POST /v1/members/{id}/redemptions`` with wrk (Debian
package ``wrk``). Every answer must be 201; the bench then reads the accounts
and checks that each member's balance is 10,000 less what wrk saw succeed.

    python bench/redemption_bench.py --database sqlite     # or: --database postgres
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from http_bench import ADMIN, lua_list, serve, wrk

MANY = 1000
PRICE = "0.1"

LUA_REDEEM = """
local members = {%(members)s}
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
function request()
  counter = counter + 1
  local m = members[((counter * 2 + id) %% #members) + 1]
  local body = '{"reward_id":"%(reward)s","quantity":1}'
  return wrk.format(nil, "/v1/members/" .. m .. "/redemptions", nil, body)
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%%d seconds=%%f errors=%%d\\n",
    summary.requests, summary.duration / 1e6, errors))
  io.write(string.format("LATENCY p50=%%f p99=%%f\\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def populate(base: str, members: int) -> tuple[list[str], str]:
    headers = {"Authorization": f"Bearer {ADMIN}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        community = client.post("/v1/communities", json={"name": "兑换压测社区"})
        community_id = community.json()["id"]
        team = client.post(
            "/v1/teams", json={"name": "兑换压测队", "community_id": community_id}
        ).json()["id"]
        ids = [
            client.post(
                "/v1/members",
                json={
                    "name": f"志愿者{i}",
                    "community_id": community_id,
                    "party_member": True,
                },
            ).json()["id"]
            for i in range(members)
        ]
        start = datetime.now(UTC) - timedelta(hours=1)
        activity = client.post(
            "/v1/activities",
            json={
                "title": "积分来源",
                "team_id": team,
                "category": "环境整治",
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=4)).isoformat(),
                "fixed_points": "10000",
            },
        ).json()["id"]
        for at in range(0, members, 500):
            records = [{"member_id": m, "hours": "1"} for m in ids[at : at + 500]]
            answer = client.post(
                f"/v1/activities/{activity}/attendance", json={"records": records}
            )
            assert answer.status_code == 200, answer.text
        reward = client.post(
            f"/v1/communities/{community_id}/rewards",
            json={"name": "一张纸巾", "points": PRICE, "stock": 1_000_000},
        ).json()["id"]
    return ids, reward


def spent_in_total(base: str, members: list[str]) -> Decimal:
    headers = {"Authorization": f"Bearer {ADMIN}"}
    total = Decimal(0)
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        position = client.get("/healthz").json()["position"]
        for member in members:
            account = client.get(
                f"/v1/members/{member}/account", params={"min_position": position}
            ).json()
            assert Decimal(account["balance"]) >= 0, account
            total += Decimal(account["spent"])
    return total


def run(base: str, members: list[str], reward: str, seconds: int) -> dict[str, float]:
    script = LUA_REDEEM % {
        "members": lua_list(members),
        "token": ADMIN,
        "reward": reward,
    }
    return wrk(base, script, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8741)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="vpoints-redeem-"))
    if args.database == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
    else:
        url = f"{args.postgres}?schema=bench_{uuid.uuid4().hex[:8]}"
    base = f"http://127.0.0.1:{args.port}"
    results: dict[str, object] = {"database": args.database}
    server = serve(url, args.port)
    try:
        members, reward = populate(base, MANY)
        one = run(base, members[:1], reward, args.seconds)
        many = run(base, members[1:], reward, args.seconds)
        spent = spent_in_total(base, members)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    succeeded = one["requests"] + many["requests"] - one["errors"] - many["errors"]
    results |= {
        "one_member_redemptions_per_s": round(one["rate"]),
        "one_member_errors": one["errors"],
        "many_members_redemptions_per_s": round(many["rate"]),
        "many_members_errors": many["errors"],
        "redemptions_counted": int(spent / Decimal(PRICE)),
        "redemptions_acknowledged": int(succeeded),
    }
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

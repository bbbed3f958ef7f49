"""HTTP benchmarks with wrk: attendance writes (batched, single, and single each
with an Idempotency-Key of its own), points reads, and the same requests against
baselines served the same way: for the reads, the ceiling is a bare ``async def``
route (bench/bare_async_app.py), and a bare ``def`` route (bench/bare_app.py, run
in the thread pool) is a second, labelled figure; plain CRUD (bench/bare_app.py)
for the batched writes.

Starts ``vpoints serve`` on a fresh database, creates members and activities through
the API, then drives it with wrk (Debian package ``wrk``) from Lua scripts made here.

    python bench/http_bench.py --database sqlite            # or: --database postgres
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ADMIN = "bench-admin-token"
MEMBERS = 2000
ACTIVITIES = 200
BATCH = 50


def serve(url: str, port: int, app: str | None = None) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "VPOINTS_DATABASE_URL": url,
        "VPOINTS_ADMIN_TOKEN": ADMIN,
        "VPOINTS_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    bindir = Path(sys.executable).parent
    if app is None:
        command = [str(bindir / "vpoints"), "serve", "--port", str(port)]
    else:
        command = [
            str(bindir / "uvicorn"),
            app,
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            if (
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code
                < 500
            ):
                return process
        except httpx.HTTPError:
            pass
        if app and _port_open(port):
            return process
        time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def populate(base: str) -> tuple[list[str], list[str]]:
    headers = {"Authorization": f"Bearer {ADMIN}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        community = client.post("/v1/communities", json={"name": "压测社区"}).json()[
            "id"
        ]
        team = client.post(
            "/v1/teams", json={"name": "压测服务队", "community_id": community}
        ).json()["id"]
        members = [
            client.post(
                "/v1/members",
                json={
                    "name": f"志愿者{i}",
                    "community_id": community,
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
    return members, activities


# How a wrk script reports: one line that ``wrk`` below reads. Its ``%%`` are
# for the ``%`` formatting each script is given.
LUA_SUMMARY = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%%d seconds=%%f errors=%%d\\n",
    summary.requests, summary.duration / 1e6, errors))
end
"""

LUA_WRITE = (
    """
local members = {%(members)s}
local activities = {%(activities)s}
local batch = %(batch)d
local offset = %(offset)d
local keyed = %(keyed)s
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  nthreads = %(threads)d
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
function request()
  local k = counter * nthreads + id
  counter = counter + 1
  local a = activities[(k %% #activities) + 1]
  local records = {}
  if batch == 1 then
    local m = members[((math.floor(k / #activities) + offset) %% #members) + 1]
    records[1] = '{"member_id":"' .. m .. '","hours":"2"}'
  else
    local blocks = math.floor(#members / batch)
    local b = math.floor(k / #activities) %% blocks
    for i = 1, batch do
      records[i] = '{"member_id":"' .. members[b * batch + i] .. '","hours":"2"}'
    end
  end
  local body = '{"records":[' .. table.concat(records, ",") .. ']}'
  local headers = nil
  if keyed then
    headers = {}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    headers["Idempotency-Key"] = "bench-" .. id .. "-" .. counter
  end
  return wrk.format(nil, "/v1/activities/" .. a .. "/attendance", headers, body)
end
"""
    + LUA_SUMMARY
)

LUA_READ = (
    """
local members = {%(members)s}
local counter = 0
wrk.headers["Authorization"] = "Bearer %(token)s"
function request()
  counter = counter + 1
  local m = members[(counter %% #members) + 1]
  return wrk.format("GET", "/v1/members/" .. m .. "/points?year=%(year)d")
end
"""
    + LUA_SUMMARY
)


def wrk(
    base: str, script: str, seconds: int, threads: int = 2, connections: int = 16
) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    output = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "-s",
            f.name,
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"RESULT requests=(\d+) seconds=([\d.]+) errors=(\d+)", output)
    assert match, output
    requests, duration, errors = int(match[1]), float(match[2]), int(match[3])
    return {"requests": requests, "rate": requests / duration, "errors": errors}


def caught_up(base: str, timeout: float = 300) -> float:
    """Waits until the read models reflect every write, so that the next
    figure is measured without the catch-up of the last one's writes beside
    it; the seconds it took."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        health = httpx.get(f"{base}/healthz", timeout=10).json()
        if health["projected"] >= health["position"]:
            return round(time.monotonic() - began, 1)
        time.sleep(0.2)
    raise SystemExit("the read models did not catch up")


def lua_list(values: list[str]) -> str:
    return ",".join(f'"{v}"' for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="vpoints-bench-"))
    if args.database == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
    else:
        url = f"{args.postgres}?schema=bench_{uuid.uuid4().hex[:8]}"
    base = f"http://127.0.0.1:{args.port}"
    results: dict[str, object] = {"database": args.database}
    server = serve(url, args.port)
    try:
        members, activities = populate(base)
        common = {
            "members": lua_list(members),
            "activities": lua_list(activities),
            "token": ADMIN,
            "threads": 2,
            "offset": 0,
            "keyed": "false",
        }
        # Batches to the first half of the activities, single records to the
        # other half: each request records attendances not recorded before.
        batched_activities = lua_list(activities[: ACTIVITIES // 2])
        batched = wrk(
            base,
            LUA_WRITE % (common | {"batch": BATCH, "activities": batched_activities}),
            args.seconds,
        )
        results["attendance_batched_per_s"] = round(batched["rate"] * BATCH)
        results["batched_requests_per_s"] = round(batched["rate"])
        results["batched_errors"] = batched["errors"]
        results["catch_up_before_single_s"] = caught_up(base)
        single_activities = activities[ACTIVITIES // 2 :]
        single = wrk(
            base,
            LUA_WRITE
            % (common | {"batch": 1, "activities": lua_list(single_activities)}),
            args.seconds,
        )
        results["attendance_single_requests_per_s"] = round(single["rate"])
        results["single_errors"] = single["errors"]
        results["catch_up_before_keyed_s"] = caught_up(base)
        # The same, each with an Idempotency-Key of its own, to members the
        # single writes did not reach.
        keyed = wrk(
            base,
            LUA_WRITE
            % (
                common
                | {
                    "batch": 1,
                    "activities": lua_list(single_activities),
                    "offset": MEMBERS // 2,
                    "keyed": "true",
                }
            ),
            args.seconds,
        )
        results["attendance_single_keyed_requests_per_s"] = round(keyed["rate"])
        results["single_keyed_errors"] = keyed["errors"]
        results["catch_up_before_reads_s"] = caught_up(base)
        year = datetime.now(UTC).year
        reads = wrk(
            base,
            LUA_READ % {"members": lua_list(members), "token": ADMIN, "year": year},
            args.seconds,
        )
        results["points_reads_per_s"] = round(reads["rate"])
        results["points_read_errors"] = reads["errors"]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    bare_server = serve(url, args.port + 1, app="bench.bare_app:app")
    bare_base = f"http://127.0.0.1:{args.port + 1}"
    try:
        bare = wrk(
            bare_base,
            LUA_READ % {"members": lua_list(members), "token": ADMIN, "year": 2026},
            args.seconds,
        )
        crud = wrk(bare_base, LUA_WRITE % (common | {"batch": BATCH}), args.seconds)
    finally:
        bare_server.send_signal(signal.SIGINT)
        bare_server.wait(timeout=30)
    async_server = serve(url, args.port + 2, app="bench.bare_async_app:app")
    try:
        bare_async = wrk(
            f"http://127.0.0.1:{args.port + 2}",
            LUA_READ % {"members": lua_list(members), "token": ADMIN, "year": 2026},
            args.seconds,
        )
    finally:
        async_server.send_signal(signal.SIGINT)
        async_server.wait(timeout=30)
    # The ceiling is the async route: a plain def route runs in the thread pool.
    results["bare_async_route_per_s"] = round(bare_async["rate"])
    results["points_over_async_bare"] = round(reads["rate"] / bare_async["rate"], 2)
    results["bare_def_route_per_s"] = round(bare["rate"])
    results["points_over_def_bare"] = round(reads["rate"] / bare["rate"], 2)
    results["crud_attendance_batched_per_s"] = round(crud["rate"] * BATCH)
    results["crud_errors"] = crud["errors"]
    results["event_sourced_over_crud"] = round(batched["rate"] / crud["rate"], 2)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

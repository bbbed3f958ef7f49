"""The province bench's read phase: ``vpoints serve --no-projector`` read by
wrk over many ids of each read path."""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from province_phases import connect, schema_of, vacuum_analyze
from province_writer import BEIJING_TIME, figures_year, say
from psycopg import sql

# ``vpoints serve`` runs from the project's root.
ROOT = Path(__file__).resolve().parents[1]
ADMIN = "province-bench-admin-token"

READS = ("points", "statement", "community", "street", "district", "leaderboard")
MEMBERS_READ = 10_000


def read_paths(url: str, year: int, rng: random.Random) -> dict[str, list[str]]:
    schema = sql.Identifier(schema_of(url))

    def ids(table: str, column: str, limit: int | None = None) -> list[str]:
        query = sql.SQL("SELECT {} FROM {}.{} ORDER BY 1").format(
            sql.Identifier(column), schema, sql.Identifier(table)
        )
        with connect(url) as db:
            found = [str(row[0]) for row in db.execute(query).fetchall()]
        rng.shuffle(found)
        return found[:limit]

    members = ids("vp_member", "member_id", MEMBERS_READ)
    communities = ids("vp_community", "community_id")
    streets = ids("vp_street", "street_id")
    districts = ids("vp_district", "district_id")
    query = f"?year={year}"
    return {
        "points": [f"/v1/members/{m}/points{query}" for m in members],
        "statement": [f"/v1/members/{m}/statement{query}" for m in members],
        "community": [f"/v1/communities/{c}/stats{query}" for c in communities],
        "street": [f"/v1/streets/{s}/stats{query}" for s in streets],
        "district": [f"/v1/districts/{d}/stats{query}" for d in districts],
        "leaderboard": [f"/v1/communities/{c}/leaderboard{query}" for c in communities],
    }


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "VPOINTS_DATABASE_URL": url,
        "VPOINTS_ADMIN_TOKEN": ADMIN,
        "VPOINTS_LOG_LEVEL": "WARNING",
    }
    vpoints = Path(sys.executable).parent / "vpoints"
    command = [str(vpoints), "serve", "--no-projector", "--port", str(port)]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    headers = {"Authorization": f"Bearer {ADMIN}"}
    for _ in range(600):
        if server.poll() is not None:
            break
        try:
            answer = httpx.get(
                f"http://127.0.0.1:{port}/v1/districts", headers=headers, timeout=5
            )
        except httpx.HTTPError:
            time.sleep(0.1)
            continue
        if answer.is_success and server.poll() is None:
            return server
        raise SystemExit(f"port {port} answers {answer.status_code}: not our server")
    server.kill()
    raise SystemExit("the server did not start")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def high_water_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


LUA = """
wrk.headers["Authorization"] = "Bearer %(token)s"
local paths = {%(paths)s}
local threads = {}
function setup(thread)
  thread:set("k", #threads * 7919)
  table.insert(threads, thread)
end
function init(args)
  non2xx = 0
end
function request()
  k = k + 1
  return wrk.format("GET", paths[(k %% #paths) + 1])
end
function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local socket = summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%%d seconds=%%f non2xx=%%d socket=%%d "
    .. "p50=%%d p90=%%d p99=%%d max=%%d\\n",
    summary.requests, summary.duration / 1e6, bad, socket, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max))
end
"""
RESULT = re.compile(
    r"RESULT requests=(\d+) seconds=([\d.]+) non2xx=(\d+) socket=(\d+) "
    r"p50=(\d+) p90=(\d+) p99=(\d+) max=(\d+)"
)


def wrk(base: str, paths: list[str], seconds: int, connections: int) -> dict[str, Any]:
    script = LUA % {"token": ADMIN, "paths": ",".join(f'"{p}"' for p in paths)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    threads = min(2, connections)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
    try:
        done = subprocess.run(
            [*command, "--timeout", "30s", "-s", f.name, base],
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(f.name)
    found = RESULT.search(done.stdout)
    if found is None:
        raise SystemExit(f"wrk gave no result:\n{done.stdout}{done.stderr}")
    requests, duration = int(found[1]), float(found[2])
    return {
        "requests": requests,
        "rate": round(requests / duration, 1),
        "non2xx": int(found[3]),
        "socket_errors": int(found[4]),
        "p50_ms": int(found[5]) / 1000,
        "p90_ms": int(found[6]) / 1000,
        "p99_ms": int(found[7]) / 1000,
        "max_ms": int(found[8]) / 1000,
    }


def sample(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """A few fields of one answer, to show the read is not empty."""
    if name == "points":
        return {k: body[k] for k in ("points", "hours", "activities")}
    if name in ("statement", "leaderboard"):
        return {"items": len(body["items"])}
    keys = ("teams", "volunteers", "members", "activities", "participations")
    return {k: body[k] for k in keys if k in body} | {
        k: body[k] for k in ("communities", "grids") if k in body
    }


def read_phase(url: str, args: argparse.Namespace) -> dict[str, Any]:
    maintenance = vacuum_analyze(url)
    year = figures_year(datetime.now(BEIJING_TIME).date())[0]
    paths = read_paths(url, year, random.Random(args.seed))
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(url, port)
    reads: dict[str, Any] = {}
    try:
        headers = {"Authorization": f"Bearer {ADMIN}"}
        for name in READS:
            answer = httpx.get(base + paths[name][0], headers=headers, timeout=60)
            answer.raise_for_status()
            say(f"read: {name} over {len(paths[name]):,} ids")
            if args.warmup:
                wrk(base, paths[name], args.warmup, 16)
            load = os.getloadavg()[0]
            loaded = wrk(base, paths[name], args.seconds, 16)
            reads[name] = loaded | {
                "ids": len(paths[name]),
                "load_average": round(load, 2),
                "sample": sample(name, answer.json()),
            }
            if args.solo_seconds:
                solo = wrk(base, paths[name], args.solo_seconds, 1)
                reads[name] |= {
                    "solo_p50_ms": solo["p50_ms"],
                    "solo_p99_ms": solo["p99_ms"],
                    "solo_non2xx": solo["non2xx"],
                }
        server_peak = high_water_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    return {
        "year": year,
        "vacuum_analyze": maintenance,
        "server_peak_rss_mb": round(server_peak, 1),
        "reads": reads,
    }

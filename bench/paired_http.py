"""Two releases side by side: both served at once, each on its own SQLite file,
and the same load sent to one, then the other, round after round (the order
swapped every round), so that the VM's drift from minute to minute falls on
both alike. Each round writes batches of attendance to activities not used
before, waits for both read models to catch up, then reads members' points.

    python bench/paired_http.py --before /tmp/before --after . --rounds 10

Each tree needs its own virtual environment in ``.venv`` (``vpoints`` in it).
Uses the load of bench/http_bench.py (wrk, 2 threads, 16 connections)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import http_bench as load
import httpx

SECONDS = 5
PER_ROUND = 50


def serve(tree: Path, url: str, port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "VPOINTS_DATABASE_URL": url,
        "VPOINTS_ADMIN_TOKEN": load.ADMIN,
        "VPOINTS_LOG_LEVEL": "WARNING",
    }
    command = [str(tree / ".venv/bin/vpoints"), "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=tree, stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{tree}: vpoints serve did not start on port {port}")


def one_round(
    base: str, members: list[str], activities: list[str], year: int
) -> dict[str, int]:
    common = {
        "members": load.lua_list(members),
        "activities": load.lua_list(activities),
        "token": load.ADMIN,
        "threads": 2,
        "batch": load.BATCH,
    }
    written = load.wrk(base, load.LUA_WRITE % common, SECONDS)
    load.caught_up(base)
    read = {"members": load.lua_list(members), "token": load.ADMIN, "year": year}
    reads = load.wrk(base, load.LUA_READ % read, SECONDS)
    if written["errors"] or reads["errors"]:
        raise SystemExit(f"{base}: failed requests {written} {reads}")
    return {
        "attendance_batched_per_s": round(written["rate"] * load.BATCH),
        "points_reads_per_s": round(reads["rate"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=Path("."))
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8741)
    args = parser.parse_args()
    load.ACTIVITIES = args.rounds * PER_ROUND
    workdir = Path(tempfile.mkdtemp(prefix="vpoints-paired-"))
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    ports = {name: args.port + i for i, name in enumerate(trees)}
    servers = {
        name: serve(tree, f"sqlite:///{workdir / name}.db", ports[name])
        for name, tree in trees.items()
    }
    year = time.gmtime().tm_year
    rounds: dict[str, list[dict[str, int]]] = {name: [] for name in trees}
    try:
        populated = {}
        for name, port in ports.items():
            base = f"http://127.0.0.1:{port}"
            populated[name] = load.populate(base)
            load.caught_up(base)
        for r in range(args.rounds):
            order = list(trees) if r % 2 == 0 else list(reversed(trees))
            for name in order:
                members, activities = populated[name]
                fresh = activities[r * PER_ROUND : (r + 1) * PER_ROUND]
                base = f"http://127.0.0.1:{ports[name]}"
                rounds[name].append(one_round(base, members, fresh, year))
            print(r, {name: done[-1] for name, done in rounds.items()}, flush=True)
    finally:
        for server in servers.values():
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
    summary: dict[str, object] = {"rounds": args.rounds}
    for figure in ("attendance_batched_per_s", "points_reads_per_s"):
        means = {
            name: statistics.mean(done[figure] for done in rounds[name])
            for name in trees
        }
        summary[figure] = {name: round(mean) for name, mean in means.items()}
        summary[figure + "_after_over_before"] = round(
            means["after"] / means["before"], 3
        )
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()

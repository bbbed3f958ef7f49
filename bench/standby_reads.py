"""Reads through a PostgreSQL streaming standby, and reads on the primary.

Starts a primary and a streaming standby of it with PostgreSQL's own binaries
(tests/scaleout/replication.py: a temporary directory, free ports, ``fsync``
off, as the postgres user when run by root). ``vpoints serve`` writes 2,000
members, 200 activities and 10,000 attendances through the API and is
stopped; then two run side by side on the primary: **primary**, which reads
there and projects in-process, and **standby**, which reads on the standby
(``VPOINTS_READ_DATABASE_URL``, ``--no-projector``). For ``--rounds`` rounds,
wrk (2 threads, 16 connections, ``--seconds`` each) reads a member's points,
then a community's figures, from each in turn. Both servers, both API
processes and wrk share the machine's cores, so the figures are reported, not
targeted.

Then, with both stopped: the scans each server ran on the read models' tables
during the reads (``pg_stat_user_tables``) and its ``pg_stat_database``
deltas. Last, read-your-writes: ``--writes`` times, one new attendance, then
the member's points with the write's ``min_position``, through each process;
the read's latency is mostly the wait for the standby to replay the
projection's page, which the primary flushes within ``wal_writer_delay``
(``--primary-setting "wal_writer_delay = 10ms"`` to try another).

    python bench/standby_reads.py [--seconds 10] [--rounds 2] [--writes 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from http_bench import (  # noqa: E402
    ADMIN,
    LUA_READ,
    LUA_SUMMARY,
    lua_list,
    populate,
    wrk,
)

from tests.scaleout.processes import (  # noqa: E402
    free_port,
    stop,
    vpoints,
    wait_until_serving,
)
from tests.scaleout.replication import Replication, primary_and_standby  # noqa: E402

AUTH = {"Authorization": f"Bearer {ADMIN}"}
BATCH = 50
THROUGH = ("primary", "standby")
LUA_PATH = (
    """
wrk.headers["Authorization"] = "Bearer %(token)s"
function request()
  return wrk.format("GET", "%(path)s")
end
"""
    + LUA_SUMMARY
)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def serve(
    pair: Replication, log: Path, *, standby: bool, project: bool = True
) -> tuple[Any, str]:
    """``vpoints serve`` on the primary, reading there or on the standby."""
    port = free_port()
    args = ["serve", "--port", str(port)]
    if not project:
        args.append("--no-projector")
    settings = {}
    if standby:
        settings["VPOINTS_READ_DATABASE_URL"] = pair.standby.url()
    process = vpoints(args, pair.primary.url(), ADMIN, log, settings)
    return process, wait_until_serving(port, process, log)


def write_attendances(base: str, members: list[str], activities: list[str]) -> int:
    """A batch of members for each activity; the last write's position."""
    position = 0
    with httpx.Client(base_url=base, headers=AUTH, timeout=60) as client:
        for i, activity in enumerate(activities):
            start = (i * BATCH) % len(members)
            records = [{"member_id": m, "hours": "2"} for m in members[start:][:BATCH]]
            response = client.post(
                f"/v1/activities/{activity}/attendance", json={"records": records}
            )
            response.raise_for_status()
            position = response.json()["position"]
    return position


def caught_up(base: str, position: int) -> None:
    deadline = time.monotonic() + 300
    while httpx.get(f"{base}/healthz", timeout=10).json()["projected"] < position:
        if time.monotonic() > deadline:
            raise SystemExit(f"{base} did not reach position {position}")
        time.sleep(0.2)


def community_of(base: str, member: str) -> str:
    answer = httpx.get(f"{base}/v1/members/{member}", headers=AUTH, timeout=10)
    answer.raise_for_status()
    return str(answer.json()["community_id"])


def new_activity(base: str, members: list[str], title: str) -> str:
    with httpx.Client(base_url=base, headers=AUTH, timeout=30) as client:
        member = client.get(f"/v1/members/{members[0]}").json()
        team = client.post(
            "/v1/teams", json={"name": title, "community_id": member["community_id"]}
        ).json()["id"]
        start = datetime.now(UTC) - timedelta(hours=1)
        body = {
            "title": title,
            "team_id": team,
            "category": "环境整治",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=4)).isoformat(),
        }
        response = client.post("/v1/activities", json=body)
        response.raise_for_status()
        return str(response.json()["id"])


def one_run(
    pair: Replication, log: Path, standby: bool, script: str, seconds: int
) -> dict[str, Any]:
    """wrk against a ``vpoints serve`` of its own (nothing to project: no
    projector), stopped after it; the rate and what each server counted in
    the meantime, its backends having reported as they exited."""
    scans_before = pair.settled_scans()
    counters_before = [s.database_counters() for s in (pair.primary, pair.standby)]
    process, base = serve(pair, log, standby=standby, project=False)
    try:
        measured = wrk(base, script, seconds)
    finally:
        stop(process)
    scans_after = pair.settled_scans()
    counters_after = [s.database_counters() for s in (pair.primary, pair.standby)]
    if measured["errors"]:
        raise SystemExit(f"{measured['errors']} failed requests")
    primary, standby_ = (
        {k: after[k] - before[k] for k in after}
        for before, after in zip(counters_before, counters_after, strict=True)
    )
    return {
        "rate": round(measured["rate"]),
        "requests": int(measured["requests"]),
        "primary": {"read_model_scans": scans_after[0] - scans_before[0]} | primary,
        "standby": {"read_model_scans": scans_after[1] - scans_before[1]} | standby_,
    }


def read_your_writes(base: str, activity: str, members: list[str]) -> dict[str, Any]:
    """One attendance, then the member's points at its position, each in turn;
    the reads' latencies in milliseconds."""
    latencies = []
    with httpx.Client(base_url=base, headers=AUTH, timeout=30) as client:
        for member in members:
            written = client.post(
                f"/v1/activities/{activity}/attendance",
                json={"records": [{"member_id": member, "hours": "1"}]},
            )
            written.raise_for_status()
            began = time.perf_counter()
            read = client.get(
                f"/v1/members/{member}/points",
                params={"min_position": written.json()["position"]},
            )
            latencies.append((time.perf_counter() - began) * 1000)
            read.raise_for_status()
    ordered = sorted(latencies)
    return {
        "reads": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--writes", type=int, default=50)
    parser.add_argument("--primary-setting", action="append", default=[])
    args = parser.parse_args()
    settings = "".join(f"{line}\n" for line in args.primary_setting)
    results: dict[str, Any] = {"primary_settings": args.primary_setting}
    with (
        tempfile.TemporaryDirectory(prefix="vpoints-standby-bench-") as logs,
        primary_and_standby(settings) as pair,
    ):
        log = Path(logs) / "api.log"
        say("writing members, activities and attendances")
        writer, base = serve(pair, log, standby=False)
        try:
            members, activities = populate(base)
            position = write_attendances(base, members, activities)
            caught_up(base, position)
            community = community_of(base, members[0])
        finally:
            stop(writer)
        pair.wait_until_streaming()
        scripts = {
            "points": LUA_READ
            % {
                "members": lua_list(members),
                "token": ADMIN,
                "year": datetime.now(UTC).year,
            },
            "community figures": LUA_PATH
            % {"token": ADMIN, "path": f"/v1/communities/{community}/stats"},
        }
        runs: list[dict[str, Any]] = []
        for round_ in range(args.rounds):
            for read, script in scripts.items():
                for name in THROUGH:
                    say(f"round {round_ + 1}: {read} through the {name}")
                    runs.append(
                        {"read": read, "through": name}
                        | one_run(pair, log, name == "standby", script, args.seconds)
                    )
        results["runs"] = runs
        results["reads_per_s"] = {
            read: {
                name: [
                    r["rate"]
                    for r in runs
                    if r["read"] == read and r["through"] == name
                ]
                for name in THROUGH
            }
            for read in scripts
        }
        say("read-your-writes")
        chosen = members[: args.writes]
        results["read_your_writes"] = {}
        for name in THROUGH:
            process, base = serve(pair, log, standby=name == "standby")
            try:
                activity = new_activity(base, members, f"读己所写{name}")
                results["read_your_writes"][name] = read_your_writes(
                    base, activity, chosen
                )
            finally:
                stop(process)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

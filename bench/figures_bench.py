"""Figure reads over HTTP, code tree against code tree, in one run.

For each tree (``--tree NAME=DIR``, its own virtual environment in ``DIR/.venv``),
in alternating rounds: a fresh SQLite file, that tree's ``vpoints demo`` loaded into
it, that tree's ``vpoints serve`` on it (uvicorn as in bench/http_bench.py), and, once
/healthz shows the projection caught up, wrk (2 threads, 16 connections) on
``GET /v1/stats``, ``GET /v1/communities/{id}/stats`` and, where the tree has it,
``GET /v1/districts/{id}/stats``. Each round also serves bench/bare_async_app.py
(bare ``async def`` routes on the same paths) the same way, for the ceiling. The
order of the trees and the bare app is reversed every second round.

``--demo NAME=DIR`` loads tree NAME's database with DIR's ``vpoints demo`` instead
of its own, then drops every table but the event log, so that tree's server
projects that log from the start: the same events read by other code.

    python bench/figures_bench.py --tree before=/tmp/vp-before --tree after=. \\
        --tree after-on-before-demo=. --demo after-on-before-demo=/tmp/vp-before \\
        --rounds 2 --seconds 10
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from statistics import mean
from zoneinfo import ZoneInfo

import httpx

ADMIN = "bench-admin-token"
BARE = "bare (async def)"
PROJECT = Path(__file__).resolve().parent.parent
PATHS = {
    "stats": "/v1/stats",
    "community": "/v1/communities/{id}/stats",
    "district": "/v1/districts/{id}/stats",
}
DISTRICT = "秦皇岛经济技术开发区"
BARE_IDS = {
    "community": "00000000-0000-0000-0000-000000000001",
    "district": "00000000-0000-0000-0000-000000000002",
}

LUA = """
wrk.headers["Authorization"] = "Bearer %(token)s"
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  non2xx = 0
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
  io.write(string.format("RESULT requests=%%d seconds=%%f non2xx=%%d socket=%%d\\n",
    summary.requests, summary.duration / 1e6, bad, socket))
end
"""


@dataclass(frozen=True)
class Tree:
    name: str
    root: Path

    @property
    def bindir(self) -> Path:
        return self.root / ".venv" / "bin"


@dataclass(frozen=True)
class Measurement:
    rate: float
    requests: int
    non2xx: int
    socket_errors: int


def parse_tree(text: str) -> Tree:
    name, sep, directory = text.partition("=")
    root = Path(directory).resolve()
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=DIR, got {text!r}")
    if not (root / ".venv" / "bin" / "vpoints").exists():
        raise argparse.ArgumentTypeError(f"{root}/.venv/bin/vpoints not found")
    return Tree(name, root)


def tree_env(url: str) -> dict[str, str]:
    """The environment of a tree's commands: none of this shell's VPOINTS_ settings
    and no PYTHONPATH, so each tree runs only the code installed in its own venv."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("VPOINTS_") and key not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    return env | {
        "VPOINTS_DATABASE_URL": url,
        "VPOINTS_ADMIN_TOKEN": ADMIN,
        "VPOINTS_LOG_LEVEL": "WARNING",
    }


def check_code(tree: Tree, env: Mapping[str, str]) -> Path:
    shown = subprocess.run(
        [str(tree.bindir / "python"), "-c", "import api; print(api.__file__)"],
        env=env,
        cwd=tree.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    location = Path(shown).resolve()
    if not location.is_relative_to(tree.root):
        raise SystemExit(f"{tree.name}: imports {location}, outside {tree.root}")
    return location


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def start(
    command: list[str], env: Mapping[str, str], cwd: Path, port: int
) -> subprocess.Popen[bytes]:
    if port_open(port):
        raise SystemExit(f"port {port} is already in use")
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
        if port_open(port):
            return process
        time.sleep(0.1)
    stop(process)
    raise SystemExit(f"{' '.join(command)} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_caught_up(base: str, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        health = httpx.get(f"{base}/healthz", timeout=5).json()
        if health["position"] > 0 and health["projected"] >= health["position"]:
            return int(health["position"])
        time.sleep(0.2)
    raise SystemExit(f"{base}: the projection did not catch up in {timeout} s")


def load_demo(tree: Tree, env: Mapping[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run(
        [str(tree.bindir / "vpoints"), "demo"],
        env=env,
        cwd=tree.root,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{tree.name}: vpoints demo failed:\n{done.stderr}")
    return time.monotonic() - started


def keep_only_the_log(database: Path) -> None:
    with sqlite3.connect(database) as c:
        tables = [
            str(row[0])
            for row in c.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'table' AND name != 'stored_events'"
            )
        ]
        for table in tables:
            c.execute(f'DROP TABLE "{table}"')


def first_community(database: Path) -> tuple[str, str]:
    """The demo community first by name, so every tree reads the same one."""
    with sqlite3.connect(database) as c:
        row = c.execute(
            "SELECT community_id, name FROM vp_community ORDER BY name, community_id"
        ).fetchone()
    if row is None:
        raise SystemExit(f"{database}: no community in vp_community")
    return str(row[0]), str(row[1])


def chosen_district(client: httpx.Client, name: str) -> tuple[str, str] | None:
    """The demo district of that name, else the first by name; None where the tree
    has no districts."""
    answer = client.get("/v1/districts", params={"limit": 500})
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    items = sorted(
        answer.json()["items"], key=lambda d: (d["name"] != name, d["name"], d["id"])
    )
    return (str(items[0]["id"]), str(items[0]["name"])) if items else None


def check_read(client: httpx.Client, path: str) -> dict[str, object]:
    answer = client.get(path)
    if answer.status_code != 200:
        raise SystemExit(f"GET {path}: {answer.status_code} {answer.text[:300]}")
    figures: dict[str, object] = answer.json()
    return figures


def wrk(url: str, seconds: int) -> Measurement:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % {"token": ADMIN})
    try:
        output = subprocess.run(
            ["wrk", "-t", "2", "-c", "16", "-d", f"{seconds}s", "-s", f.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(f.name)
    found = re.search(
        r"RESULT requests=(\d+) seconds=([\d.]+) non2xx=(\d+) socket=(\d+)", output
    )
    if found is None:
        raise SystemExit(f"wrk gave no result:\n{output}")
    requests, duration = int(found[1]), float(found[2])
    return Measurement(requests / duration, requests, int(found[3]), int(found[4]))


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def sample(figures: dict[str, object]) -> str:
    return " ".join(
        f"{key} {figures.get(key)}"
        for key in ("teams", "volunteers", "participations", "avg_annual_points")
    )


@dataclass(frozen=True)
class Setting:
    """One tree's part of a round: the code served, whose demo it reads, where."""

    tree: Tree
    demo: Tree
    district: str
    workdir: Path
    seconds: int
    year: int


def measure_tree(setting: Setting, label: str, port: int) -> dict[str, Measurement]:
    tree, year = setting.tree, setting.year
    database = setting.workdir / f"{label}.db"
    env = tree_env(f"sqlite:///{database}")
    code = check_code(tree, env)
    loaded = load_demo(setting.demo, env)
    community, community_name = first_community(database)
    if setting.demo.root != tree.root:
        keep_only_the_log(database)
    base = f"http://127.0.0.1:{port}"
    server = start(
        [str(tree.bindir / "vpoints"), "serve", "--port", str(port)],
        env,
        tree.root,
        port,
    )
    results: dict[str, Measurement] = {}
    try:
        position = wait_caught_up(base)
        headers = {"Authorization": f"Bearer {ADMIN}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            district = chosen_district(client, setting.district)
            ids = {"community": community} | (
                {"district": district[0]} if district else {}
            )
            paths = {
                endpoint: path.format(id=ids.get(endpoint, "")) + f"?year={year}"
                for endpoint, path in PATHS.items()
                if endpoint == "stats" or endpoint in ids
            }
            samples = {endpoint: check_read(client, p) for endpoint, p in paths.items()}
        say(
            f"{label}: code {code.parent}, demo of {setting.demo.root} "
            f"({loaded:.1f} s), position {position}; community {community_name} "
            f"{community}"
            + (f", district {district[1]} {district[0]}" if district else "")
        )
        for endpoint, path in paths.items():
            results[endpoint] = wrk(base + path, seconds=setting.seconds)
            say(
                f"  {endpoint}: {results[endpoint].rate:,.0f} requests/s; "
                + sample(samples[endpoint])
            )
    finally:
        stop(server)
    return results


def measure_bare(port: int, seconds: int, year: int) -> dict[str, Measurement]:
    env = dict(os.environ) | {"PYTHONPATH": str(PROJECT)}
    bindir = Path(sys.executable).parent
    server = start(
        [
            str(bindir / "uvicorn"),
            "bench.bare_async_app:app",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env,
        PROJECT,
        port,
    )
    base = f"http://127.0.0.1:{port}"
    results: dict[str, Measurement] = {}
    try:
        say(f"{BARE}: {sys.executable}")
        for endpoint, path in PATHS.items():
            url = base + path.format(id=BARE_IDS.get(endpoint, "")) + f"?year={year}"
            results[endpoint] = wrk(url, seconds)
            say(f"  {endpoint}: {results[endpoint].rate:,.0f} requests/s")
    finally:
        stop(server)
    return results


def ratio(value: float, against: float | None) -> str:
    return f"{value / against:.2f}" if against else "—"


def table(
    runs: dict[str, list[dict[str, Measurement]]], baseline: str, rounds: int
) -> str:
    heads = [f"round {r + 1}" for r in range(rounds)]
    lines = [
        "| tree | endpoint | "
        + " | ".join(heads)
        + f" | mean | ÷ {baseline} | ÷ bare | non-2xx | socket errors |",
        "| --- | --- | " + " | ".join("---:" for _ in heads) + " |" + " ---: |" * 5,
    ]
    means = {
        (name, endpoint): mean(run[endpoint].rate for run in per_round)
        for name, per_round in runs.items()
        for endpoint in PATHS
        if all(endpoint in run for run in per_round)
    }
    for name, per_round in runs.items():
        for endpoint, path in PATHS.items():
            if (name, endpoint) not in means:
                continue
            average = means[name, endpoint]
            rates = [f"{run[endpoint].rate:,.0f}" for run in per_round]
            bad = sum(run[endpoint].non2xx for run in per_round)
            broken = sum(run[endpoint].socket_errors for run in per_round)
            against = None if name == BARE else means.get((baseline, endpoint))
            ceiling = None if name == BARE else means.get((BARE, endpoint))
            lines.append(
                f"| {name} | `GET {path}` | "
                + " | ".join(rates)
                + f" | {average:,.0f} | {ratio(average, against)} | "
                f"{ratio(average, ceiling)} | {bad} | {broken} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--tree",
        type=parse_tree,
        action="append",
        required=True,
        metavar="NAME=DIR",
        help="a code tree with its own .venv; the first is the baseline",
    )
    parser.add_argument(
        "--demo",
        type=parse_tree,
        action="append",
        default=[],
        metavar="NAME=DIR",
        help="load tree NAME's database with DIR's vpoints demo",
    )
    parser.add_argument(
        "--district", default=DISTRICT, help="the district read, where there are any"
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8761)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    trees: list[Tree] = args.tree
    if len({t.name for t in trees}) != len(trees) or BARE in {t.name for t in trees}:
        raise SystemExit("tree names must be distinct")
    demos = {d.name: d for d in args.demo}
    if not demos.keys() <= {t.name for t in trees}:
        raise SystemExit("--demo names a tree not given with --tree")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    workdir = Path(tempfile.mkdtemp(prefix="vpoints-figures-", dir="/tmp"))
    settings = {
        t.name: Setting(
            t, demos.get(t.name, t), args.district, workdir, args.seconds, year
        )
        for t in trees
    }
    runs: dict[str, list[dict[str, Measurement]]] = {t.name: [] for t in trees}
    runs[BARE] = []
    started = time.monotonic()
    try:
        for number in range(args.rounds):
            order: list[Tree | None] = [*trees, None]
            if number % 2:
                order.reverse()
            say(
                f"round {number + 1}: "
                + ", ".join(t.name if t else BARE for t in order)
            )
            for index, tree in enumerate(order):
                port = args.port + index
                if tree is None:
                    runs[BARE].append(measure_bare(port, args.seconds, year))
                else:
                    label = f"{tree.name}-{number + 1}"
                    runs[tree.name].append(
                        measure_tree(settings[tree.name], label, port)
                    )
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    command = " ".join(["python", "bench/figures_bench.py", *sys.argv[1:]])
    print(
        f"{command}\n\nyear {year}, wrk 2 threads 16 connections, "
        f"{args.seconds} s per measurement, requests/s; "
        f"{time.monotonic() - started:.0f} s in all\n"
    )
    for setting in settings.values():
        print(
            f"- {setting.tree.name}: the code of {setting.tree.root}, "
            f"the demo of {setting.demo.root}"
        )
    print(f"- {BARE}: bench/bare_async_app.py\n")
    print(table(runs, trees[0].name, args.rounds))


if __name__ == "__main__":
    main()

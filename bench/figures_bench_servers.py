"""What the figures bench runs for a code tree: its environment, its demo
loaded into a fresh SQLite file, its server started and caught up, and wrk
read against it."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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

"""Starts and stops ``vpoints`` processes for tests that need real ones."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def vpoints(
    args: Sequence[str],
    database_url: str,
    admin_token: str,
    log: Path,
    settings: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "VPOINTS_DATABASE_URL": database_url,
        "VPOINTS_ADMIN_TOKEN": admin_token,
        "VPOINTS_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        **(settings or {}),
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "api.cli", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )


def wait_until_serving(port: int, process: subprocess.Popen[bytes], log: Path) -> str:
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not start: {log.read_text(errors='replace')}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

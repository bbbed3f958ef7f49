"""One round's part of the figures bench: a tree's figures read over HTTP,
and the bare async app's on the same paths, for the ceiling."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
from figures_bench_servers import (
    ADMIN,
    BARE,
    BARE_IDS,
    PATHS,
    PROJECT,
    Measurement,
    Tree,
    check_code,
    check_read,
    chosen_district,
    first_community,
    keep_only_the_log,
    load_demo,
    sample,
    say,
    start,
    stop,
    tree_env,
    wait_caught_up,
    wrk,
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

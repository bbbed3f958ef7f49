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
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from statistics import mean
from zoneinfo import ZoneInfo

from figures_bench_rounds import Setting, measure_bare, measure_tree
from figures_bench_servers import BARE, DISTRICT, PATHS, Measurement, Tree, say


def parse_tree(text: str) -> Tree:
    name, sep, directory = text.partition("=")
    root = Path(directory).resolve()
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=DIR, got {text!r}")
    if not (root / ".venv" / "bin" / "vpoints").exists():
        raise argparse.ArgumentTypeError(f"{root}/.venv/bin/vpoints not found")
    return Tree(name, root)


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

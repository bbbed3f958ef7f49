"""A district's figures against a one-community district's, on SQLite, one
client: does a figure cost what its answer costs, or what its scope holds?

Writes, with the domain's aggregates (bench/province_writer.py), a big district
(20 communities, 8,000 members) and a small one (1 community, 400 members),
each with ten attendances a member over the year; projects them; then reads
each scope's figures (the whole year's, and as of a date in the middle of
it) in turn, through the read side's own queries, and prints the median and
p99 of each, and the big district's ÷ the small one's.

    python bench/scope_figures.py [--reads 2000]

Run from another tree (``cd OTHER && OTHER/.venv/bin/python
/path/to/bench/scope_figures.py``), it measures that tree's read side.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from province_writer import Plan, Province, figures_year, say

from infrastructure.storage import open_application, parse_database_url
from projections.queries import Queries
from projections.runner import Projector

BIG = Plan(1, 4, 20, 8_000, 400, 4_000, 80_000)
SMALL = Plan(1, 1, 1, 400, 20, 200, 4_000)


def timed(read: Any, reads: int) -> tuple[float, float]:
    """The median and p99 of ``reads`` calls, in microseconds."""
    seconds = []
    for _ in range(reads):
        started = time.perf_counter()
        read()
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    return statistics.median(seconds) * 1e6, seconds[int(len(seconds) * 0.99)] * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vpoints-scopes-") as folder:
        url = f"sqlite:///{Path(folder) / 'vpoints.db'}"
        app = open_application(parse_database_url(url))
        try:
            started = time.monotonic()
            Province(app, BIG, random.Random(1)).write()
            Province(app, SMALL, random.Random(2)).write()
            took = time.monotonic() - started
            say(f"written: {app.position():,} events in {took:.0f} s")
            started = time.monotonic()
            projector = Projector(app)
            projector.catch_up()
            say(f"projected in {time.monotonic() - started:.0f} s")
            measure(Queries(projector.view), app.today(), args.reads)
        finally:
            app.close()


def measure(queries: Queries, today: date, reads: int) -> None:
    year, _, last = figures_year(today)
    middle = date(year, 7, 1) if date(year, 7, 1) <= last else last
    districts = [
        (scope_id, queries.stats("district", scope_id, year, last))
        for scope, scope_id in queries.every_scope()
        if scope == "district"
    ]
    districts.sort(key=lambda found: found[1]["members"])
    (small, small_figures), (big, big_figures) = districts[0], districts[-1]
    sizes = big_figures["members"], small_figures["members"]
    say("members: {:,} in the big district, {:,} in the small one".format(*sizes))
    rows = []
    for as_of in (last, middle):
        results = {}
        for name, scope, scope_id in (
            ("big district (8,000 members)", "district", big),
            ("small district (400 members)", "district", small),
            ("whole deployment", "all", None),
        ):
            read = partial(queries.stats, scope, scope_id, year, as_of)
            results[name] = timed(read, reads)
        rows.append((as_of, results))
    print("| as of | scope | median µs | p99 µs |\n| --- | --- | ---: | ---: |")
    for as_of, results in rows:
        for name, (median, p99) in results.items():
            print(f"| {as_of} | {name} | {median:,.0f} | {p99:,.0f} |")
    print()
    for as_of, results in rows:
        big_median = results["big district (8,000 members)"][0]
        small_median = results["small district (400 members)"][0]
        print(f"as of {as_of}: big ÷ small = {big_median / small_median:.2f}")


if __name__ == "__main__":
    main()

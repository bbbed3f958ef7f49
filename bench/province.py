"""A province's year on one PostgreSQL: how long the log takes to write and to
project, how much disk and memory it needs, and how fast it reads.

    .venv/bin/python bench/province.py --scale 0.01 --results /tmp/province.jsonl
    .venv/bin/python bench/province.py --scale 0.1 --results /tmp/province.jsonl
    .venv/bin/python bench/province.py --table /tmp/province.jsonl

``--scale 1`` is the full province: 10 districts, 150 streets, 1,500
communities (each with 4 grids, 2 of them with a party organisation), 150
units double-reporting to 2 communities each, 1,000,000 members, 50,000 teams,
500,000 activities and 10,000,000 attendances. Every count is multiplied by the
scale (at least one of each), so that a community's share stays the same at any
scale: 667 members, 33 teams, 333 activities, 20 attendances an activity on
average. Each phase runs in a fresh process, on a fresh PostgreSQL schema:

1. write:   the log, through the application's own batched path: commands
            given to the domain's aggregates (members, grids, double reports,
            teams and who joined them, activities with one attendance event
            of 10-30 members each, a few corrections and revocations, then
            closed or, 2 %, cancelled), and ``app.save`` of each community's
            members, of its teams and of every 200 activities, each one
            transaction through the application's recorder and hash chain;
2. rebuild: ``Projector.rebuild_start()`` then ``catch_up()``, as
            ``vpoints projections rebuild`` does;
3. read:    ``VACUUM ANALYZE`` of the read models, then ``vpoints serve
            --no-projector`` read by wrk (2 threads, 16 connections) for each of
            a member's points and statement, a community's, a street's and a
            district's figures and a community's leaderboard, spread over many
            ids; then the same with one connection (the service time alone).

Prints a JSON summary; ``--results FILE`` appends it as one line, and
``--table FILE`` turns such lines into a table of size against cost, with the
full scale extrapolated from the two largest scales measured. The schema is
dropped at the end unless ``--keep``; ``--schema NAME`` runs the reads alone
on a schema kept so."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from province_phases import connect, peak_rss_mb, rebuild_phase, write_phase  # noqa: E402
from province_reads import read_phase  # noqa: E402
from province_table import table  # noqa: E402
from province_writer import Plan, say  # noqa: E402


def run_phase(phase: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", phase, "--url", url]
    for option in ("scale", "seed", "seconds", "warmup", "solo_seconds", "port"):
        command += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
    started = time.perf_counter()
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result | {"wall_seconds": round(time.perf_counter() - started, 1)}


def git_state() -> str:
    def git(*words: str) -> str:
        return subprocess.run(
            ["git", *words], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    changed = len(git("status", "--porcelain", "--untracked-files=no").splitlines())
    return f"{git('rev-parse', '--short', 'HEAD')} ({changed} files changed)"


def summary(
    scale: float, written: dict[str, Any], rebuilt: dict[str, Any], read: dict[str, Any]
) -> dict[str, Any]:
    tally = written["tally"]
    return {
        "scale": scale,
        "code": git_state(),
        "plan": written["plan"],
        "events": tally["events"],
        "attendances": tally["attendances"],
        "attendance_events": tally["attendance_events"],
        "log_bytes": written["log_bytes"],
        "read_model_bytes": rebuilt["read_model_bytes"],
        "database_bytes": rebuilt["database_bytes"],
        "write_s": round(written["seconds"], 1),
        "write_events_per_s": round(tally["events"] / written["seconds"]),
        "write_peak_rss_mb": written["peak_rss_mb"],
        "rebuild_events": rebuilt["events"],
        "rebuild_s": round(rebuilt["seconds"], 1),
        "rebuild_events_per_s": round(rebuilt["events"] / rebuilt["seconds"]),
        "rebuild_attendances_per_s": round(tally["attendances"] / rebuilt["seconds"]),
        "rebuild_peak_rss_mb": rebuilt["peak_rss_mb"],
        "vacuum_analyze_s": round(read["vacuum_analyze"]["seconds"], 1),
        "read_model_tables_never_analysed": read["vacuum_analyze"][
            "tables_never_analysed"
        ],
        "server_peak_rss_mb": read["server_peak_rss_mb"],
        "year": read["year"],
        "reads": read["reads"],
        "phase_wall_s": {
            "write": written["wall_seconds"],
            "rebuild": rebuilt["wall_seconds"],
            "read": read["wall_seconds"],
        },
        "tally": tally,
        "read_model_tables": rebuilt["read_model_tables"],
        "log_tables": written["log_tables"],
    }


def measure(args: argparse.Namespace) -> None:
    schema = f"province_{uuid.uuid4().hex[:8]}"
    url = f"{args.postgres}?schema={schema}"
    say(f"scale {args.scale}: {Plan.at(args.scale)}; schema {schema}")
    try:
        written = run_phase("write", url, args)
        say(f"written in {written['seconds']:.1f} s")
        rebuilt = run_phase("rebuild", url, args)
        say(f"rebuilt in {rebuilt['seconds']:.1f} s")
        read = run_phase("read", url, args)
    finally:
        if not args.keep:
            with connect(url) as db:
                db.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                        sql.Identifier(schema)
                    )
                )
    result = summary(args.scale, written, rebuilt, read)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.results:
        with open(args.results, "a", encoding="utf-8") as f:
            f.write(json.dumps(result, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01, help="1 = the province")
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--seconds", type=int, default=15, help="each wrk run")
    parser.add_argument("--warmup", type=int, default=3, help="wrk before each")
    parser.add_argument("--solo-seconds", type=int, default=5, help="0: none")
    parser.add_argument("--port", type=int, default=0, help="0: a free one")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", action="store_true", help="keep the schema")
    parser.add_argument("--schema", help="only read, from a schema kept earlier")
    parser.add_argument("--results", type=Path, help="append the summary here")
    parser.add_argument("--table", type=Path, help="print the table of results")
    parser.add_argument("--phase", choices=["write", "rebuild", "read"])
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.table:
        table(args.table)
        return
    if args.schema:
        url = f"{args.postgres}?schema={args.schema}"
        print(json.dumps(run_phase("read", url, args), ensure_ascii=False, indent=2))
        return
    if args.phase is None:
        measure(args)
        return
    if args.phase == "write":
        result = write_phase(args.url, args.scale, args.seed)
    elif args.phase == "rebuild":
        result = rebuild_phase(args.url)
    else:
        result = read_phase(args.url, args)
    print(json.dumps(result | {"peak_rss_mb": round(peak_rss_mb(), 1)}))


if __name__ == "__main__":
    main()

"""A rebuild of the same log by several releases, in turns, on SQLite.

    .venv/bin/python bench/rebuild_rounds.py --log LOG.db \\
        --tree before=/path/to/old/tree --tree after=. [--rounds 2]

``LOG.db`` is a log written by ``bench/catchup.py --phase write --db LOG.db``.
Each round rebuilds a fresh copy of it with each tree's own virtual
environment and ``bench/catchup.py --phase rebuild``, one tree after the
other, so that the machine's load falls on each alike. Prints, per run, the
wall time, events/s and attendances/s (entries of the recorded and corrected
attendance events), the CPU time the process used (user + system: the machine
is shared, and CPU time moves less with its load than wall time does), and
the peak RSS."""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

ATTENDANCE_TOPICS = (
    "domain.activity:Activity.AttendanceRecorded",
    "domain.activity:Activity.AttendanceCorrected",
)


def attendances(log: Path) -> int:
    """The entries the log's attendance events carry."""
    with sqlite3.connect(log) as db:
        marks = ", ".join("?" * len(ATTENDANCE_TOPICS))
        row = db.execute(
            "SELECT SUM(json_array_length(CAST(state AS TEXT), '$.entries')) "
            f"FROM stored_events WHERE topic IN ({marks})",
            ATTENDANCE_TOPICS,
        ).fetchone()
    return int(row[0] or 0)


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def rebuild(tree: Path, log: Path, folder: Path) -> dict[str, float]:
    db = folder / "rebuild.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(log, db)
    command = [
        str(tree / ".venv/bin/python"),
        str(tree / "bench/catchup.py"),
        "--phase",
        "rebuild",
        "--db",
        str(db),
    ]
    before = children_cpu()
    done = subprocess.run(command, cwd=tree, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["cpu"] = children_cpu() - before
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--tree", action="append", required=True, help="name=path")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    trees = [
        (name, Path(path).resolve())
        for name, path in (t.split("=", 1) for t in args.tree)
    ]
    entries = attendances(args.log)
    print(f"log {args.log}: {entries:,} attendances")
    print("| round | tree | wall s | events/s | attendances/s | CPU s | peak RSS MB |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="vpoints-rebuild-") as folder:
        for round_ in range(1, args.rounds + 1):
            for name, tree in trees:
                r = rebuild(tree, args.log, Path(folder))
                seconds = r["seconds"]
                print(
                    f"| {round_} | {name} | {seconds:.1f} | "
                    f"{r['events'] / seconds:,.0f} | {entries / seconds:,.0f} | "
                    f"{r['cpu']:.1f} | {r['peak_rss_mb']:.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()

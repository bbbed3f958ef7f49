"""How fast the projections catch up with a large event log on SQLite.

    .venv/bin/python bench/catchup.py [--events 200000] [--batch 3] [--check]

Three phases, each in a fresh process so that each peak RSS is its own:

1. write:   a log of ``--events`` events (tests/projections/bulk.py: members,
            teams, activities, and attendance events of ``--batch`` members
            each, with corrections, revocations, cancellations and closes);
2. catchup: ``Projector.catch_up()`` from an empty read side;
3. rebuild: ``Projector.rebuild_start()`` then ``catch_up()`` (what
            ``vpoints projections rebuild`` does), optionally checked against
            the independent recomputation in tests/projections/oracle.py.

Prints events/s and attendance entries/s (recorded + corrected entries that the
attendance events carry) for phases 2 and 3, with each phase's peak RSS."""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from domain.application import VolunteerPoints  # noqa: E402
from infrastructure.storage import open_application, parse_database_url  # noqa: E402
from projections.runner import Projector  # noqa: E402

TARGET_EVENTS_PER_SECOND = 30_000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_app(db: Path) -> VolunteerPoints:
    return open_application(parse_database_url(f"sqlite:///{db}"))


def write(db: Path, events: int, batch: int, members: int) -> dict[str, Any]:
    from tests.projections.bulk import write_log

    app = open_app(db)
    started = time.perf_counter()
    log = write_log(app, events, batch=batch, members=members)
    seconds = time.perf_counter() - started
    app.close()
    return {
        "events": log.events,
        "entries": log.entries,
        "activities": log.activities,
        "seconds": seconds,
    }


def project(db: Path, rebuild: bool, check: bool) -> dict[str, Any]:
    app = open_app(db)
    projector = Projector(app)
    if rebuild:
        projector.rebuild_start()
    else:
        assert projector.position == 0, "the read side is not empty"
    started = time.perf_counter()
    events = projector.catch_up()
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {"events": events, "seconds": seconds}
    if check:
        from projections.queries import Queries
        from tests.projections.oracle import Oracle, stored_events
        from tests.projections.oracle_agreement import assert_agrees

        result["checks"] = assert_agrees(
            Queries(projector.view), Oracle(stored_events(app)), app.today()
        )
    app.close()
    return result


def run_phase(phase: str, args: argparse.Namespace, db: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--db",
        str(db),
        "--events",
        str(args.events),
        "--batch",
        str(args.batch),
        "--members",
        str(args.members),
    ]
    if args.check:
        command.append("--check")
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=3, help="members per event")
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--db", type=Path, help="keep the log in this file")
    parser.add_argument("--check", action="store_true", help="check the rebuild")
    parser.add_argument("--phase", choices=["write", "catchup", "rebuild"])
    args = parser.parse_args()

    if args.phase:
        if args.phase == "write":
            result = write(args.db, args.events, args.batch, args.members)
        else:
            result = project(args.db, args.phase == "rebuild", args.check)
        print(json.dumps(result | {"peak_rss_mb": round(peak_rss_mb(), 1)}))
        return

    with tempfile.TemporaryDirectory(prefix="vpoints-bench-") as folder:
        db = args.db or Path(folder) / "vpoints.db"
        written = run_phase("write", args, db)
        print(
            f"log: {written['events']:,} events carrying {written['entries']:,} "
            f"attendance entries ({args.batch} members per attendance event), "
            f"{written['activities']:,} activities, {args.members:,} members; "
            f"written in {written['seconds']:.1f} s"
        )
        for phase in ("catchup", "rebuild"):
            result = run_phase(phase, args, db)
            assert result["events"] == written["events"], result
            seconds = result["seconds"]
            checked = f", {result['checks']:,} figures checked" if args.check else ""
            print(
                f"{phase:8} {result['events'] / seconds:9,.0f} events/s "
                f"{written['entries'] / seconds:9,.0f} entries/s "
                f"({seconds:.1f} s, peak RSS {result['peak_rss_mb']:.0f} MB{checked})"
            )
        print(f"target: {TARGET_EVENTS_PER_SECOND:,} events/s")


if __name__ == "__main__":
    main()

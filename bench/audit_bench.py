"""The hash chain's cost and the record's moving rates.

1. Batched attendance written in-process on SQLite (and PostgreSQL with
   ``--postgres``), 50 attendances a call, with the chain and with a recorder that
   stores the same events without linking them, alternating: the chain's overhead.
2. A log of ``--events`` events (``tests/projections/bulk.py``, 1 member per
   attendance event) on SQLite: ``audit verify``, ``log export``, ``log import``
   into an empty SQLite file and ``migrate`` into an empty PostgreSQL schema (the
   whole command: check, copy, project both sides, compare), each timed as the
   CLI runs it, in a process of its own.
3. On a log of ``--resume-events`` events on SQLite, in-process: a walk of the
   whole chain, then, after ten more events, a walk resuming after the last
   link verified (what ``GET /v1/audit/verify`` does the second time), and a
   report's first verification (replay and hash up to its position) against a
   later one (a resumed walk and the chain's digest at its position).

    python bench/audit_bench.py --events 1000000
    python bench/audit_bench.py --only-resuming --resume-events 200000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from domain.application import VolunteerPoints  # noqa: E402
from infrastructure.postgres import PostgresRecorder  # noqa: E402
from infrastructure.recorders import GroupCommitSQLiteRecorder  # noqa: E402
from infrastructure.storage import open_application, parse_database_url  # noqa: E402

BATCH = 50
ACTOR = "bench"


class UnchainedSQLiteRecorder(GroupCommitSQLiteRecorder):
    """The same group commit, storing events without their links."""

    def _insert_in_savepoint(
        self, c: Any, number: int, write: Any, head: bytes
    ) -> bytes:
        c.execute(f"SAVEPOINT w{number}")
        write.ids = self._insert_events(c, write.events, **write.kwargs)
        c.execute(f"RELEASE w{number}")
        return head


class UnchainedPostgresRecorder(PostgresRecorder):
    """The library's insert, without the link."""

    def _fetch_ids_after_insert_events(self, curs: Any, events: Any, **kw: Any) -> Any:
        return super(PostgresRecorder, self)._fetch_ids_after_insert_events(
            curs, events, **kw
        )


def batched_rate(url: str, recorder: str | None, calls: int) -> float:
    env = {} if recorder is None else {"APPLICATION_RECORDER_TOPIC": recorder}
    app: VolunteerPoints = open_application(parse_database_url(url), extra_env=env)
    try:
        community = app.register_community("压测社区", None, ACTOR).id
        team = app.found_team("压测队", community, ACTOR).id
        members = [
            app.register_member(f"志愿者{i}", community, True, ACTOR).id
            for i in range(BATCH)
        ]
        start = datetime.now(UTC) - timedelta(hours=1)
        activities = [
            app.schedule_activity(
                f"活动{i}", team, "环境整治", start, start + timedelta(hours=3), ACTOR
            ).id
            for i in range(calls)
        ]
        records = [(m, Decimal(2)) for m in members]
        began = time.perf_counter()
        for activity in activities:
            app.record_attendance(activity, records, ACTOR)
        return calls * BATCH / (time.perf_counter() - began)
    finally:
        app.close()


def overhead(database: str, postgres: str, rounds: int, calls: int) -> dict[str, Any]:
    unchained = {
        "sqlite": "audit_bench:UnchainedSQLiteRecorder",
        "postgres": "audit_bench:UnchainedPostgresRecorder",
    }[database]
    rates: dict[str, list[float]] = {"chained": [], "unchained": []}
    kinds = [("unchained", unchained), ("chained", None)]
    for number in range(rounds):
        for kind, recorder in kinds[:: 1 if number % 2 else -1]:
            with tempfile.TemporaryDirectory() as folder:
                if database == "sqlite":
                    url = f"sqlite:///{Path(folder) / 'bench.db'}"
                else:
                    url = f"{postgres}?schema=chain_{uuid.uuid4().hex[:8]}"
                rates[kind].append(batched_rate(url, recorder, calls))
    best = {kind: max(values) for kind, values in rates.items()}
    return {
        "database": database,
        "attendances_per_s": {k: [round(v) for v in vs] for k, vs in rates.items()},
        "best_chained_over_unchained": round(best["chained"] / best["unchained"], 3),
    }


def timed(command: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).parent / "vpoints"), *command],
        env=os.environ | env | {"PYTHONPATH": str(ROOT), "VPOINTS_LOG_LEVEL": "ERROR"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - began


def moving(events: int, postgres: str) -> dict[str, Any]:
    from tests.projections.bulk import write_log

    folder = Path(tempfile.mkdtemp(prefix="vpoints-audit-"))
    source = f"sqlite:///{folder / 'source.db'}"
    app = open_application(parse_database_url(source))
    began = time.perf_counter()
    log = write_log(app, events, batch=1, members=50_000)
    written = time.perf_counter() - began
    count = app.position()
    app.close()
    file = folder / "log.jsonl.gz"
    seconds = {
        "write": written,
        "audit verify": timed(["audit", "verify"], {"VPOINTS_DATABASE_URL": source}),
        "log export": timed(
            ["log", "export", str(file)], {"VPOINTS_DATABASE_URL": source}
        ),
        "log import": timed(
            ["log", "import", str(file)],
            {"VPOINTS_DATABASE_URL": f"sqlite:///{folder / 'imported.db'}"},
        ),
        "migrate to PostgreSQL": timed(
            ["migrate", "--to", f"{postgres}?schema=moved_{uuid.uuid4().hex[:8]}"],
            {"VPOINTS_DATABASE_URL": source},
        ),
    }
    return {
        "events": count,
        "attendance events": log.entries,
        "file MB": round(file.stat().st_size / 1e6, 1),
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "events_per_s": {k: round(count / v) for k, v in seconds.items()},
    }


def resuming(events: int) -> dict[str, Any]:
    from infrastructure.chain import ChainVerifier
    from infrastructure.digest import chained_recorder, head_digest, log_digest
    from projections.replay import replayed_stats
    from tests.projections.bulk import write_log

    folder = Path(tempfile.mkdtemp(prefix="vpoints-resume-"))
    app = open_application(parse_database_url(f"sqlite:///{folder / 'log.db'}"))
    try:
        write_log(app, events, batch=1, members=20_000)
        position = app.position()
        verifier = ChainVerifier(chained_recorder(app))
        seconds: dict[str, float] = {}

        def timed_call(name: str, call: Any) -> Any:
            began = time.perf_counter()
            answer = call()
            seconds[name] = time.perf_counter() - began
            return answer

        first = timed_call("audit: first walk", verifier.verify)
        for i in range(10):
            app.register_community(f"新社区{i}", None, ACTOR)
        second = timed_call("audit: resumed after 10 events", verifier.verify)
        timed_call("audit: full walk", lambda: verifier.verify(full=True))
        today = app.today()
        timed_call(
            "report: first verification (replay + hash)",
            lambda: (
                replayed_stats(app, position, "all", None, today.year, today),
                log_digest(app, position),
            ),
        )
        timed_call(
            "report: later verification (resumed walk + digest)",
            lambda: (verifier.verify(), head_digest(app, position)),
        )
    finally:
        app.close()
    return {
        "events": position,
        "first walk checked": first.checked,
        "resumed walk": {"from": second.resumed_from, "checked": second.checked},
        "seconds": {k: round(v, 4) for k, v in seconds.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--skip-moving", action="store_true")
    parser.add_argument("--resume-events", type=int, default=200_000)
    parser.add_argument("--only-resuming", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if args.only_resuming:
        print(json.dumps(resuming(args.resume_events), ensure_ascii=False, indent=2))
        return
    results: dict[str, Any] = {
        "chain overhead": [
            overhead(db, args.postgres, args.rounds, args.calls)
            for db in ("sqlite", "postgres")
        ]
    }
    if not args.skip_moving:
        results["moving"] = moving(args.events, args.postgres)
    results["resuming"] = resuming(args.resume_events)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

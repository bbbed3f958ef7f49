"""The same attendance batches, event-sourced and as plain CRUD, on one database.

CRUD: one table of member points; each batch is one transaction of
``UPDATE ... SET points = points + x`` per attendance (with an upsert for new
members). Event-sourced: ``VolunteerPoints.record_attendance`` (one event per
batch), then the projection catching up, so both end with queryable points.

    python bench/crud_baseline.py --database sqlite      # or: --database postgres
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from infrastructure.storage import open_application, parse_database_url
from projections.runner import Projector

MEMBERS = 2000
ACTIVITIES = 200
BATCH = 50


def batches(members: list[Any], activities: list[Any]) -> list[tuple[Any, list[Any]]]:
    plan = []
    for k in range(ACTIVITIES * (MEMBERS // BATCH)):
        block = (k // ACTIVITIES) % (MEMBERS // BATCH)
        plan.append(
            (activities[k % ACTIVITIES], members[block * BATCH : (block + 1) * BATCH])
        )
    return plan


def event_sourced(url: str) -> dict[str, float]:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    app = open_application(
        parse_database_url(url), clock=lambda: now + timedelta(hours=1)
    )
    community = app.register_community("基准社区", None, "bench").id
    team = app.found_team("基准服务队", community, "bench").id
    members = [
        app.register_member(f"志愿者{i}", community, True, "bench").id
        for i in range(MEMBERS)
    ]
    activities = [
        app.schedule_activity(
            f"活动{i}", team, "基准", now, now + timedelta(hours=4), "bench"
        ).id
        for i in range(ACTIVITIES)
    ]
    projector = Projector(app)
    projector.catch_up()
    plan = batches(members, activities)
    started = time.perf_counter()
    for activity_id, group in plan:
        app.record_attendance(activity_id, [(m, "2") for m in group], "bench")
    written = time.perf_counter() - started
    projector.catch_up()
    total = time.perf_counter() - started
    app.close()
    return {
        "attendances": len(plan) * BATCH,
        "write_seconds": written,
        "seconds": total,
    }


def crud(url: str) -> dict[str, float]:
    storage = parse_database_url(url)
    members = [str(uuid.uuid4()) for _ in range(MEMBERS)]
    activities = [str(uuid.uuid4()) for _ in range(ACTIVITIES)]
    points = str(Decimal("20.0"))
    if storage.kind == "sqlite":
        import sqlite3

        connection = sqlite3.connect(storage.path or "", isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        placeholder = "?"
        table = "crud_points"
    else:
        import psycopg

        env = storage.env
        connection = psycopg.connect(  # type: ignore[assignment]
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=int(env["POSTGRES_PORT"]),
            user=env["POSTGRES_USER"],
            autocommit=True,
        )
        placeholder = "%s"
        table = f"crud_{uuid.uuid4().hex[:8]}"
    connection.execute(
        f"CREATE TABLE {table} (member_id TEXT PRIMARY KEY, points NUMERIC NOT NULL)"
    )
    connection.cursor().executemany(
        f"INSERT INTO {table} VALUES ({placeholder}, 0)", [(m,) for m in members]
    )
    plan = batches(members, activities)
    update = (
        f"UPDATE {table} SET points = points + {placeholder} "
        f"WHERE member_id = {placeholder}"
    )
    started = time.perf_counter()
    for _, group in plan:
        connection.execute("BEGIN")
        for member_id in group:
            connection.execute(update, (points, member_id))
        connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    if storage.kind != "sqlite":
        connection.execute(f"DROP TABLE {table}")
    connection.close()
    return {"attendances": len(plan) * BATCH, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/test"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="vpoints-crud-"))
    if args.database == "sqlite":
        es_url = f"sqlite:///{workdir / 'es.db'}"
        crud_url = f"sqlite:///{workdir / 'crud.db'}"
    else:
        es_url = f"{args.postgres}?schema=bench_{uuid.uuid4().hex[:8]}"
        crud_url = args.postgres
    es = event_sourced(es_url)
    plain = crud(crud_url)
    es_rate = es["attendances"] / es["seconds"]
    es_write_rate = es["attendances"] / es["write_seconds"]
    crud_rate = plain["attendances"] / plain["seconds"]
    print(
        json.dumps(
            {
                "database": args.database,
                "attendances": es["attendances"],
                "event_sourced_write_per_s": round(es_write_rate),
                "event_sourced_write_and_project_per_s": round(es_rate),
                "crud_per_s": round(crud_rate),
                "event_sourced_over_crud": round(es_rate / crud_rate, 2),
                "event_sourced_write_over_crud": round(es_write_rate / crud_rate, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

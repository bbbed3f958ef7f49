"""The province bench's write and rebuild phases, and what they measure of
PostgreSQL: tables' sizes, the database's, and the read models' statistics."""

from __future__ import annotations

import random
import resource
import time
from dataclasses import asdict
from typing import Any

import psycopg
from province_writer import Plan, Province, say
from psycopg import sql

from infrastructure.storage import open_application, parse_database_url
from projections.runner import Projector
from projections.view import POSTGRES_TRACKING_TABLE, TABLES

READ_MODEL_TABLES = {*TABLES, "vp_schema", POSTGRES_TRACKING_TABLE}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def connect(url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(url.split("?")[0], autocommit=True)


def schema_of(url: str) -> str:
    schema = parse_database_url(url).schema
    assert schema, "the database URL names no schema"
    return schema


def table_sizes(url: str) -> dict[str, int]:
    """Every table of the URL's schema, with its indexes and TOAST, in bytes."""
    with connect(url) as db:
        rows = db.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r'",
            (schema_of(url),),
        ).fetchall()
    return {name: int(size) for name, size in rows}


def database_bytes(url: str) -> int:
    with connect(url) as db:
        row = db.execute("SELECT pg_database_size(current_database())").fetchone()
    assert row is not None
    return int(row[0])


def write_phase(url: str, scale: float, seed: int) -> dict[str, Any]:
    plan = Plan.at(scale)
    app = open_application(parse_database_url(url))
    started = time.perf_counter()
    tally = Province(app, plan, random.Random(seed)).write()
    seconds = time.perf_counter() - started
    app.close()
    sizes = table_sizes(url)
    return {
        "plan": asdict(plan),
        "tally": asdict(tally),
        "seconds": seconds,
        "log_bytes": sum(sizes.values()),
        "log_tables": sizes,
        "database_bytes": database_bytes(url),
    }


def rebuild_phase(url: str) -> dict[str, Any]:
    app = open_application(parse_database_url(url))
    projector = Projector(app)
    total = app.position()
    done = [0, time.monotonic()]

    def progress(count: int) -> None:
        done[0] += count
        if time.monotonic() - done[1] > 30:
            say(f"rebuild: {done[0]:,}/{total:,} events")
            done[1] = time.monotonic()

    started = time.perf_counter()
    projector.rebuild_start()
    events = projector.catch_up(progress)
    seconds = time.perf_counter() - started
    app.close()
    sizes = table_sizes(url)
    model = {name: size for name, size in sizes.items() if name in READ_MODEL_TABLES}
    return {
        "events": events,
        "seconds": seconds,
        "read_model_bytes": sum(model.values()),
        "read_model_tables": dict(sorted(model.items(), key=lambda kv: -kv[1])),
        "log_bytes": sum(sizes.values()) - sum(model.values()),
        "database_bytes": database_bytes(url),
    }


def vacuum_analyze(url: str) -> dict[str, Any]:
    """Brings the read models' statistics up to date, as autovacuum would in
    time; says how many tables had none before."""
    schema = schema_of(url)
    with connect(url) as db:
        rows = db.execute(
            "SELECT relname, last_analyze IS NULL AND last_autoanalyze IS NULL "
            "FROM pg_stat_user_tables WHERE schemaname = %s",
            (schema,),
        ).fetchall()
        tables = [name for name, _ in rows if name in READ_MODEL_TABLES]
        unanalysed = sum(1 for name, never in rows if never and name in tables)
        started = time.perf_counter()
        for name in tables:
            db.execute(
                sql.SQL("VACUUM (ANALYZE) {}.{}").format(
                    sql.Identifier(schema), sql.Identifier(name)
                )
            )
    return {
        "tables_never_analysed": unanalysed,
        "tables": len(tables),
        "seconds": time.perf_counter() - started,
    }

"""The deployment's own secrets (the key that signs session tokens, the key
that turns phones, addresses and openids into digests): made once, at random,
and kept in the database beside the event log (never in it), so that every
process of a deployment uses the same ones. An in-memory store keeps them in
the process."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from eventsourcing.persistence import (
    IntegrityError,
    OperationalError,
    ProgrammingError,
)
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg.sql import SQL, Identifier

TABLE = "vpoints_secret"
SECRET_BYTES = 32
ATTEMPTS = 5

_in_memory: dict[tuple[int, str], bytes] = {}
_lock = threading.Lock()


def deployment_secret(recorder: Any, name: str) -> bytes:
    """The secret called ``name``, made on first use; the first process to
    make it wins, and every other reads it. Processes that start together on
    a new database race to make the table: the losers try again."""
    made = secrets.token_bytes(SECRET_BYTES)
    datastore = getattr(recorder, "datastore", None)
    if not isinstance(datastore, PostgresDatastore | SQLiteDatastore):
        with _lock:
            return _in_memory.setdefault((id(recorder), name), made)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            if isinstance(datastore, PostgresDatastore):
                return _postgres(datastore, name, made)
            return _sqlite(datastore, name, made)
        except (IntegrityError, ProgrammingError, OperationalError):
            # The library's names for PostgreSQL's duplicate table and
            # SQLite's lock, met when another process makes the table.
            if attempt == ATTEMPTS:
                raise
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


def _sqlite(datastore: SQLiteDatastore, name: str, made: bytes) -> bytes:
    with datastore.transaction(commit=True) as c:
        c.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            "(name TEXT PRIMARY KEY, secret BLOB NOT NULL)"
        )
        c.execute(
            f"INSERT INTO {TABLE} VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            (name, made),
        )
        c.execute(f"SELECT secret FROM {TABLE} WHERE name = ?", (name,))
        return bytes(c.fetchone()[0])


def _postgres(datastore: PostgresDatastore, name: str, made: bytes) -> bytes:
    table = SQL("{}.{}").format(Identifier(datastore.schema), Identifier(TABLE))
    with datastore.transaction(commit=True) as curs:
        curs.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, secret bytea "
                "NOT NULL)"
            ).format(table)
        )
        curs.execute(
            SQL("INSERT INTO {} VALUES (%s, %s) ON CONFLICT (name) DO NOTHING").format(
                table
            ),
            (name, made),
        )
        curs.execute(
            SQL("SELECT secret FROM {} WHERE name = %s").format(table), (name,)
        )
        row = curs.fetchone()
        assert row is not None
        return bytes(row["secret"])

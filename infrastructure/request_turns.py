"""A request made with an Idempotency-Key is answered once: a duplicate that
arrives while the first is being answered waits for it, then finds its answer
recorded. Within a process each key being answered has a lock (``Turns``); on
PostgreSQL, a duplicate sent to another process waits on an advisory lock of
the key as well."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.postgres import PostgresDatastore

from domain.errors import WriteConflict
from infrastructure.retries import WRITE_WAIT_SECONDS, Pauses, Turns

log = logging.getLogger("vpoints")

TRY_LOCK = "SELECT pg_try_advisory_lock(%s)"
UNLOCK = "SELECT pg_advisory_unlock(%s)"


class AdvisoryLocks:
    """PostgreSQL's session-level advisory locks, one for each request being
    answered, on a connection of their own (one per process, opened at first
    use). A lock taken by another process is asked for again after a
    jittered pause, doubled each time up to 100 ms, until the deadline; then
    the request is refused as a WriteConflict, for the client to send again.

    One connection serves every key: it waits for none of them (it only
    tries), so a process answering requests of many keys at once never holds
    a connection of the store's pool for each, which their commands need.
    Locks are database-wide, so a lock's number is a hash of the schema and
    the request's id: deployments in other schemas of the database never
    wait for each other. Should the connection break, PostgreSQL releases its
    locks; duplicates then run as they did without them, and a duplicate's
    command that fails because the first's was saved is answered with the
    first's answer (api/writes.py)."""

    def __init__(
        self,
        connect: Callable[[], psycopg.Connection[Any]],
        namespace: str,
        deadline: float = WRITE_WAIT_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.connect = connect
        self.namespace = namespace
        self.deadline = deadline
        self.sleep = sleep
        self.clock = clock
        self._guard = threading.Lock()
        self._connection: psycopg.Connection[Any] | None = None

    def number(self, request_id: UUID) -> int:
        """The advisory lock's 64-bit number for a request."""
        text = f"{self.namespace}:{request_id}".encode()
        digest = hashlib.blake2b(text, digest_size=8).digest()
        return int.from_bytes(digest, "big", signed=True)

    @contextmanager
    def held(self, request_id: UUID) -> Iterator[None]:
        """Holds the request's lock while the block runs, once no other
        process holds it."""
        number = self.number(request_id)
        pauses = Pauses(self.deadline, self.sleep, self.clock)
        while not self._ask(TRY_LOCK, number):
            if not pauses.wait():
                raise WriteConflict("相同 Idempotency-Key 的请求正在处理，请稍后重试")
        try:
            yield
        finally:
            try:
                self._ask(UNLOCK, number)
            except psycopg.Error as error:
                # The session is gone, and its locks with it.
                log.warning("advisory lock not released: %s", type(error).__name__)

    def close(self) -> None:
        with self._guard:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _ask(self, statement: str, number: int) -> bool:
        with self._guard:
            if self._connection is None or self._connection.closed:
                self._connection = self.connect()
            try:
                row = self._connection.execute(statement, (number,)).fetchone()
            except psycopg.OperationalError:
                self._connection.close()
                self._connection = None
                raise
        return row is not None and bool(row[0])


class RequestTurns:
    """One answer at a time for each request made with an Idempotency-Key:
    a lock for each key being answered, dropped when its last user is done,
    and, across processes, the advisory locks if the store has them."""

    def __init__(self, across: AdvisoryLocks | None = None) -> None:
        self.turns = Turns()
        self.across = across

    @contextmanager
    def taken(self, request_id: UUID) -> Iterator[None]:
        """Holds the request's turn while the block runs: this process's lock
        first, so that a process asks PostgreSQL for a key once at a time."""
        with self.turns.taken([request_id]):
            if self.across is None:
                yield
                return
            with self.across.held(request_id):
                yield

    def __len__(self) -> int:
        """How many requests are being answered, or waited for, now."""
        return len(self.turns)

    def close(self) -> None:
        if self.across is not None:
            self.across.close()


def request_turns(
    recorder: object, deadline: float = WRITE_WAIT_SECONDS
) -> RequestTurns:
    """The turns of requests for an application with this recorder: with
    advisory locks on the PostgreSQL database a PostgreSQL recorder writes to
    (a database other processes may serve), within the process otherwise (a
    SQLite file is served by one process; memory by its own)."""
    datastore = getattr(recorder, "datastore", None)
    if not isinstance(datastore, PostgresDatastore):
        return RequestTurns()
    pool = datastore.pool
    # The library gives its pool the connection's settings as a dict.
    assert isinstance(pool.kwargs, dict)
    settings = {k: v for k, v in pool.kwargs.items() if k != "row_factory"}

    def connect() -> psycopg.Connection[Any]:
        return psycopg.connect(
            **settings, autocommit=True, connect_timeout=max(2, round(pool.timeout))
        )

    return RequestTurns(AdvisoryLocks(connect, datastore.schema, deadline))

"""Where the read models live: their tables, in the same database as the events,
and the tracking record that says how far through the event log they are."""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from domain.application import VolunteerPoints
from infrastructure.recorders import ThreadReaders
from projections import (
    activities,
    attendance_rows,
    claims,
    history,
    members,
    organisation,
    organisers,
    phones,
    rating_rows,
    redemption,
    rules,
    scope_days,
    signups,
    teams,
)
from projections.sql import (
    Cursor,
    Params,
    Plan,
    Postgres,
    Row,
    Sql,
    SQLite,
    Table,
)

TRACKED_APPLICATION = VolunteerPoints.name
POSTGRES_TRACKING_TABLE = "vpoints_tracking"

# The shape of the read models. A database whose read models have another
# shape (written by another release) has them dropped and projected again.
READ_MODEL_VERSION = 14
RETIRED_TABLES = (Table("vp_team_year", ""),)
SCHEMA_TABLE = Table("vp_schema", "name TEXT PRIMARY KEY, version INTEGER NOT NULL")
SCHEMA_VERSION = Sql("SELECT version FROM {t}vp_schema WHERE name = 'read_models'")
SET_SCHEMA_VERSION = Sql(
    "INSERT INTO {t}vp_schema VALUES ('read_models', ?) "
    "ON CONFLICT (name) DO UPDATE SET version = excluded.version"
)

TABLES: dict[str, Table] = {
    table.name: table
    for model in (
        organisation,
        members,
        activities,
        attendance_rows,
        teams,
        history,
        phones,
        claims,
        redemption,
        signups,
        scope_days,
        organisers,
        rules,
        rating_rows,
    )
    for table in model.TABLES
}

TRACKED_POSITION = Sql(
    "SELECT notification_id FROM {tracking} WHERE application_name = ?"
)
START_TRACKING = Sql(
    "INSERT INTO {tracking} (application_name, notification_id) VALUES (?, ?)"
)
ADVANCE_TRACKING = Sql(
    "UPDATE {tracking} SET notification_id = ? "
    "WHERE application_name = ? AND notification_id = ? RETURNING notification_id"
)
FORGET_TRACKING = Sql("DELETE FROM {tracking} WHERE application_name = ?")


READ_SETTINGS = "SET jit = off; SET work_mem = '16MB'"
READ_TRANSACTION_SETTINGS = READ_SETTINGS.replace("SET ", "SET LOCAL ")
SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
T = TypeVar("T")


class View:
    """The tables of every read model and the tracking record that says how far
    through the event log they are."""

    def __init__(
        self, recorder: SQLiteTrackingRecorder | PostgresTrackingRecorder
    ) -> None:
        self.recorder = recorder
        self._readers: ThreadReaders | None = None
        self._tuned: weakref.WeakSet[Any] = weakref.WeakSet()
        self.dialect: SQLite | Postgres
        if isinstance(recorder, PostgresTrackingRecorder):
            self.dialect = Postgres(
                recorder.datastore.schema, recorder.tracking_table_name
            )
        else:
            self.dialect = SQLite()
            self._readers = ThreadReaders(recorder.datastore)

    @classmethod
    def for_application(cls, app: VolunteerPoints) -> View:
        datastore = getattr(app.factory, "datastore", None)
        recorder: SQLiteTrackingRecorder | PostgresTrackingRecorder
        if isinstance(datastore, PostgresDatastore):
            recorder = PostgresTrackingRecorder(
                datastore, tracking_table_name=POSTGRES_TRACKING_TABLE
            )
        elif isinstance(datastore, SQLiteDatastore):
            recorder = SQLiteTrackingRecorder(datastore)
        else:
            name = f"file:vpoints-views-{uuid.uuid4().hex}?mode=memory&cache=shared"
            recorder = SQLiteTrackingRecorder(SQLiteDatastore(name))
        recorder.create_table()
        view = cls(recorder)
        view.prepare()
        return view

    def prepare(self) -> None:
        """Creates the read models, first dropping any of another shape, so
        that the projection replays the log into the current one."""
        with self.transaction(commit=True) as c:
            c.raw.execute(self.dialect.create_table(SCHEMA_TABLE))
            found = c.execute(SCHEMA_VERSION).one()
        if found is None or int(found["version"]) != READ_MODEL_VERSION:
            self.drop_tables()
            with self.transaction(commit=True) as c:
                for table in RETIRED_TABLES:
                    c.raw.execute(self.dialect.drop_table(table))
        self.create_tables()
        with self.transaction(commit=True) as c:
            c.execute(SET_SCHEMA_VERSION, (READ_MODEL_VERSION,))

    @contextmanager
    def read(self, *, single: bool = False) -> Iterator[Cursor]:
        """A read that sees one snapshot. On an SQLite file, through a
        connection of this thread's own, so readers never queue behind writers
        (WAL). In a repeatable-read transaction (a read transaction on
        SQLite), or, for a ``single`` query, in none."""
        datastore = self.recorder.datastore
        if isinstance(datastore, PostgresDatastore):
            if single:
                with datastore.get_connection() as pooled, pooled.cursor() as raw:
                    self._tune(raw)
                    yield Cursor(raw, self.dialect)
                return
            with datastore.transaction(commit=False) as raw:
                raw.execute(SNAPSHOT)
                raw.execute(READ_TRANSACTION_SETTINGS)
                yield Cursor(raw, self.dialect)
            return
        connection = self._readers.get() if self._readers else None
        if connection is None:
            with self.transaction() as c:
                yield c
            return
        if single:
            # One query sees one snapshot by itself.
            yield Cursor(connection.cursor(), self.dialect)
            return
        connection.execute("BEGIN")
        try:
            yield Cursor(connection.cursor(), self.dialect)
        finally:
            connection.execute("ROLLBACK")

    def _tune(self, raw: Any) -> None:
        """Settings for single-query reads, once per pooled connection
        (a read transaction sets them for itself): no JIT compilation
        (the figures' plans cost enough to trigger it, and compiling takes
        longer than running them), and room to count distinct members in
        memory."""
        connection = raw.connection
        if connection in self._tuned:
            return
        raw.execute(READ_SETTINGS)
        self._tuned.add(connection)

    def one(self, sql: Sql, params: Params) -> Row | None:
        """The first row of a single-query read."""
        with self.read(single=True) as c:
            return c.execute(sql, params).one()

    def all(self, sql: Sql, params: Params) -> list[Row]:
        """The rows of a single-query read."""
        with self.read(single=True) as c:
            return c.execute(sql, params).all()

    def run(self, plan: Plan[T]) -> T:
        """Runs a read's plan here, each batch of its queries on one snapshot."""
        reads = next(plan)
        while True:
            with self.read(single=len(reads) == 1) as c:
                rows = [c.execute(sql, params).all() for sql, params in reads]
            try:
                reads = plan.send(rows)
            except StopIteration as done:
                return cast(T, done.value)

    @contextmanager
    def transaction(self, *, commit: bool = False) -> Iterator[Cursor]:
        with self.recorder.datastore.transaction(commit=commit) as raw:
            yield Cursor(raw, self.dialect)

    def create_tables(self) -> None:
        with self.transaction(commit=True) as c:
            for table in TABLES.values():
                c.raw.execute(self.dialect.create_table(table))
        self.create_indexes()

    def create_indexes(self) -> None:
        with self.transaction(commit=True) as c:
            for table in TABLES.values():
                for index in table.indexes:
                    c.raw.execute(self.dialect.create_index(table, index))

    def analyse(self) -> None:
        """Gathers the tables' statistics for the query planner, as after a
        long catch-up, before the database would on its own."""
        with self.transaction(commit=True) as c:
            for table in TABLES.values():
                c.raw.execute(self.dialect.analyse(table))

    def drop_indexes(self) -> None:
        """Drops the indexes the projection does not read by, to load a long
        log faster: the tables are then filled in the log's order, and the
        indexes built at the end."""
        with self.transaction(commit=True) as c:
            for table in TABLES.values():
                for index in table.indexes:
                    if index not in table.kept:
                        c.raw.execute(self.dialect.drop_index(index))

    def drop_tables(self) -> None:
        """Drops every read model and forgets how far they had got."""
        with self.transaction(commit=True) as c:
            for table in TABLES.values():
                c.raw.execute(self.dialect.drop_table(table))
            c.execute(FORGET_TRACKING, (TRACKED_APPLICATION,))

    def position(self) -> int:
        return self.recorder.max_tracking_id(TRACKED_APPLICATION) or 0

    def write(self, apply: Callable[[Cursor], None], start: int, position: int) -> None:
        """Applies a page of changes and moves the tracking position from ``start``
        to ``position``, in one transaction. Raises PageConflict, changing nothing,
        if another worker moved the position first.

        The commit does not wait for the disk: a page lost to a power cut is
        lost with its tracking position, and is projected again."""
        datastore = self.recorder.datastore
        if isinstance(datastore, PostgresDatastore):
            with self.transaction(commit=True) as c:
                c.raw.execute("SET LOCAL synchronous_commit TO OFF")
                self._advance(c, start, position)
                apply(c)
            return
        with datastore.get_connection(commit=True) as connection:
            pragma = connection.cursor()
            pragma.execute("PRAGMA synchronous")
            synchronous = int(pragma.fetchone()[0])
            pragma.execute("PRAGMA synchronous=NORMAL")
            try:
                with connection.transaction(commit=True) as raw:
                    c = Cursor(raw, self.dialect)
                    self._advance(c, start, position)
                    apply(c)
            finally:
                connection.cursor().execute(f"PRAGMA synchronous={synchronous}")

    def _advance(self, c: Cursor, start: int, position: int) -> None:
        if start == 0:
            tracked = c.execute(TRACKED_POSITION, (TRACKED_APPLICATION,)).one()
            if tracked is None:
                c.execute(START_TRACKING, (TRACKED_APPLICATION, position))
                return
        moved = c.execute(
            ADVANCE_TRACKING, (position, TRACKED_APPLICATION, start)
        ).one()
        if moved is None:
            raise PageConflict(f"the read models are no longer at position {start}")


class PageConflict(Exception):
    """Raised when another worker projected the same events first."""

"""The read models' tables, in the same database as the events, with tracking.

Points are kept as integer tenths and hours as integer hundredths, so sums in
SQL stay exact on SQLite and PostgreSQL alike."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from domain.application import VolunteerPoints
from domain.recorders import ThreadReaders

TRACKED_APPLICATION = VolunteerPoints.name

TABLES: dict[str, str] = {
    "vp_community": "community_id TEXT PRIMARY KEY, name TEXT NOT NULL, street TEXT",
    "vp_unit": "unit_id TEXT PRIMARY KEY, name TEXT NOT NULL",
    "vp_unit_report": "unit_id TEXT NOT NULL, community_id TEXT NOT NULL, "
    "reported_on TEXT NOT NULL, PRIMARY KEY (unit_id, community_id)",
    "vp_member": "member_id TEXT PRIMARY KEY, name TEXT NOT NULL, "
    "community_id TEXT NOT NULL, party_member INTEGER NOT NULL, unit_id TEXT, "
    "grid TEXT, phone TEXT, registered_on TEXT NOT NULL, reported_to TEXT, "
    "reported_on TEXT",
    "vp_member_year": "member_id TEXT NOT NULL, year INTEGER NOT NULL, "
    "points10 BIGINT NOT NULL, hours100 BIGINT NOT NULL, "
    "activities INTEGER NOT NULL, PRIMARY KEY (member_id, year)",
    "vp_team": "team_id TEXT PRIMARY KEY, name TEXT NOT NULL, "
    "community_id TEXT NOT NULL, dissolved INTEGER NOT NULL",
    "vp_team_member": "team_id TEXT NOT NULL, member_id TEXT NOT NULL, "
    "PRIMARY KEY (team_id, member_id)",
    "vp_team_year": "team_id TEXT NOT NULL, year INTEGER NOT NULL, "
    "community_id TEXT NOT NULL, activities INTEGER NOT NULL, "
    "participations INTEGER NOT NULL, hours100 BIGINT NOT NULL, "
    "points10 BIGINT NOT NULL, PRIMARY KEY (team_id, year)",
    "vp_activity": "activity_id TEXT PRIMARY KEY, title TEXT NOT NULL, "
    "team_id TEXT NOT NULL, community_id TEXT NOT NULL, category TEXT NOT NULL, "
    "starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, local_date TEXT NOT NULL, "
    "year INTEGER NOT NULL, location TEXT, status TEXT NOT NULL, capacity INTEGER, "
    "signups INTEGER NOT NULL, attendances INTEGER NOT NULL",
    "vp_attendance": "activity_id TEXT NOT NULL, member_id TEXT NOT NULL, "
    "year INTEGER NOT NULL, hours TEXT NOT NULL, points TEXT NOT NULL, "
    "hours100 BIGINT NOT NULL, points10 BIGINT NOT NULL, status TEXT NOT NULL, "
    "recorded_by TEXT NOT NULL, reason TEXT, PRIMARY KEY (activity_id, member_id)",
}

INDEXES: dict[str, str] = {
    "vp_member_community": "vp_member (community_id, registered_on)",
    "vp_member_reported": "vp_member (reported_to)",
    "vp_unit_report_community": "vp_unit_report (community_id)",
    "vp_team_member_member": "vp_team_member (member_id)",
    "vp_team_community": "vp_team (community_id)",
    "vp_team_year_year": "vp_team_year (year, community_id)",
    "vp_activity_team": "vp_activity (team_id, starts_at)",
    "vp_activity_community": "vp_activity (community_id, starts_at)",
    "vp_activity_starts": "vp_activity (starts_at)",
    "vp_attendance_member": "vp_attendance (member_id, year)",
    "vp_member_year_year": "vp_member_year (year, points10)",
}


class Cursor:
    """Runs the view's SQL (written with ``?`` and ``@table``) on either database."""

    def __init__(self, raw: Any, translate: Callable[[str], str]) -> None:
        self.raw = raw
        self._translate = translate

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        self.raw.execute(self._translate(sql), tuple(params))
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.raw.executemany(self._translate(sql), [tuple(r) for r in rows])

    def fetchone(self) -> Any:
        return self.raw.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self.raw.fetchall())


class View:
    """The tables of every read model and the tracking record that says how far
    through the event log they are."""

    def __init__(self, recorder: SQLiteTrackingRecorder | PostgresTrackingRecorder):
        self.recorder = recorder
        self._readers: ThreadReaders | None = None
        if isinstance(recorder, SQLiteTrackingRecorder):
            self._readers = ThreadReaders(recorder.datastore)
        if isinstance(recorder, PostgresTrackingRecorder):
            schema = recorder.datastore.schema
            self.prefix = f'"{schema}".'
            self.tracking_table = f'"{schema}"."{recorder.tracking_table_name}"'
            self.is_postgres = True
        else:
            self.prefix = ""
            self.tracking_table = "tracking"
            self.is_postgres = False

    @classmethod
    def for_application(cls, app: VolunteerPoints) -> View:
        datastore = getattr(app.factory, "datastore", None)
        recorder: SQLiteTrackingRecorder | PostgresTrackingRecorder
        if isinstance(datastore, PostgresDatastore):
            recorder = PostgresTrackingRecorder(
                datastore, tracking_table_name="vpoints_tracking"
            )
        elif isinstance(datastore, SQLiteDatastore):
            recorder = SQLiteTrackingRecorder(datastore)
        else:
            name = f"file:vpoints-views-{uuid.uuid4().hex}?mode=memory&cache=shared"
            recorder = SQLiteTrackingRecorder(SQLiteDatastore(name))
        recorder.create_table()
        view = cls(recorder)
        view.create_tables()
        return view

    def translate(self, sql: str) -> str:
        sql = sql.replace("@", self.prefix)
        return sql.replace("?", "%s") if self.is_postgres else sql

    @contextmanager
    def read(self, *, single: bool = False) -> Iterator[Cursor]:
        """A read that sees one snapshot. On an SQLite file, through a
        connection of this thread's own, so readers never queue behind writers
        (WAL). On PostgreSQL, in a repeatable-read transaction, or, for a
        ``single`` statement, in none."""
        if self.is_postgres:
            datastore = self.recorder.datastore
            assert isinstance(datastore, PostgresDatastore)
            if single:
                with datastore.get_connection() as pooled, pooled.cursor() as raw:
                    yield Cursor(raw, self.translate)
                return
            with self.transaction() as c:
                c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield c
            return
        connection = self._readers.get() if self._readers else None
        if connection is None:
            with self.transaction() as c:
                yield c
            return
        connection.execute("BEGIN")
        try:
            yield Cursor(connection.cursor(), self.translate)
        finally:
            connection.execute("ROLLBACK")

    @contextmanager
    def transaction(self, *, commit: bool = False) -> Iterator[Cursor]:
        with self.recorder.datastore.transaction(commit=commit) as raw:
            yield Cursor(raw, self.translate)

    def create_tables(self) -> None:
        with self.transaction(commit=True) as c:
            for table, columns in TABLES.items():
                c.execute(f"CREATE TABLE IF NOT EXISTS @{table} ({columns})")
        self.create_indexes()

    def create_indexes(self) -> None:
        with self.transaction(commit=True) as c:
            for index, spec in INDEXES.items():
                c.execute(f"CREATE INDEX IF NOT EXISTS {index} ON @{spec}")

    def drop_indexes(self) -> None:
        """Drops the indexes that only queries use, to load a long log faster."""
        with self.transaction(commit=True) as c:
            for index in INDEXES:
                c.execute(f"DROP INDEX IF EXISTS @{index}")

    def drop_tables(self) -> None:
        """Drops every read model and forgets how far they had got."""
        with self.transaction(commit=True) as c:
            for table in TABLES:
                c.execute(f"DROP TABLE IF EXISTS @{table}")
            c.execute(
                f"DELETE FROM {self.tracking_table} WHERE application_name = ?",
                [TRACKED_APPLICATION],
            )

    def position(self) -> int:
        return self.recorder.max_tracking_id(TRACKED_APPLICATION) or 0

    def write(self, apply: Callable[[Cursor], None], start: int, position: int) -> None:
        """Applies a page of changes and moves the tracking position from ``start``
        to ``position``, in one transaction. Raises PageConflict, changing nothing,
        if another worker moved the position first.

        The commit does not wait for the disk: a page lost to a power cut is
        lost with its tracking position, and is projected again."""
        if self.is_postgres:
            with self.transaction(commit=True) as c:
                c.execute("SET LOCAL synchronous_commit TO OFF")
                self._advance(c, start, position)
                apply(c)
            return
        datastore = self.recorder.datastore
        assert isinstance(datastore, SQLiteDatastore)
        with datastore.get_connection(commit=True) as connection:
            pragma = connection.cursor()
            pragma.execute("PRAGMA synchronous")
            synchronous = int(pragma.fetchone()[0])
            pragma.execute("PRAGMA synchronous=NORMAL")
            try:
                with connection.transaction(commit=True) as raw:
                    c = Cursor(raw, self.translate)
                    self._advance(c, start, position)
                    apply(c)
            finally:
                connection.cursor().execute(f"PRAGMA synchronous={synchronous}")

    def _advance(self, c: Cursor, start: int, position: int) -> None:
        if start == 0:
            row = c.execute(
                f"SELECT notification_id FROM {self.tracking_table} "
                "WHERE application_name = ?",
                [TRACKED_APPLICATION],
            ).fetchone()
            if row is None:
                c.execute(
                    f"INSERT INTO {self.tracking_table} "
                    "(application_name, notification_id) VALUES (?, ?)",
                    [TRACKED_APPLICATION, position],
                )
                return
        moved = c.execute(
            f"UPDATE {self.tracking_table} SET notification_id = ? "
            "WHERE application_name = ? AND notification_id = ? "
            "RETURNING notification_id",
            [position, TRACKED_APPLICATION, start],
        ).fetchone()
        if moved is None:
            raise PageConflict(f"the read models are no longer at position {start}")


class PageConflict(Exception):
    """Raised when another worker projected the same events first."""

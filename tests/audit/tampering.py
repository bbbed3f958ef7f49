"""Changing the stored log behind the application's back, as someone with the
database's password could: one row changed, deleted or inserted."""

from __future__ import annotations

import sqlite3
import uuid

import psycopg

from domain.application import VolunteerPoints
from infrastructure.storage import Storage


class Tamperer:
    """Edits the events table directly, by SQL, on SQLite or PostgreSQL."""

    def __init__(self, app: VolunteerPoints, storage: Storage) -> None:
        self.storage = storage
        self.table = app.recorder.events_table_name  # type: ignore[attr-defined]

    def _run(
        self, sqlite_sql: str, postgres_sql: str, params: tuple[object, ...]
    ) -> None:
        if self.storage.kind == "sqlite":
            assert self.storage.path is not None
            with sqlite3.connect(self.storage.path) as connection:
                connection.execute(sqlite_sql.format(t=self.table), params)
            return
        env = self.storage.env
        with psycopg.connect(
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=int(env["POSTGRES_PORT"]),
            user=env["POSTGRES_USER"],
            autocommit=True,
        ) as connection:
            table = f'"{self.storage.schema}"."{self.table}"'
            connection.execute(postgres_sql.format(t=table), params)  # type: ignore[arg-type]

    def change(self, position: int) -> None:
        """Rewrites the stored state of the event at a position."""
        self._run(
            "UPDATE {t} SET state = CAST(REPLACE(CAST(state AS TEXT), '2', '3') "
            "AS BLOB) WHERE rowid = ?",
            "UPDATE {t} SET state = convert_to(replace(convert_from(state, 'UTF8'), "
            "'2', '3'), 'UTF8') WHERE notification_id = %s",
            (position,),
        )

    def delete(self, position: int) -> None:
        self._run(
            "DELETE FROM {t} WHERE rowid = ?",
            "DELETE FROM {t} WHERE notification_id = %s",
            (position,),
        )

    def drop_chain(self) -> None:
        """Removes the chain, as a log written before it was kept has none."""
        self._run(
            "DELETE FROM vpoints_chain WHERE ? = ?",
            f'DELETE FROM "{self.storage.schema}".vpoints_chain WHERE %s = %s',
            (1, 1),
        )

    def insert(self, copy_of: int) -> None:
        """Appends a copy of an event under another aggregate's id."""
        other = uuid.uuid4()
        self._run(
            "INSERT INTO {t} (originator_id, originator_version, topic, state) "
            "SELECT ?, originator_version, topic, state FROM {t} WHERE rowid = ?",
            "INSERT INTO {t} (originator_id, originator_version, topic, state) "
            "SELECT %s, originator_version, topic, state FROM {t} "
            "WHERE notification_id = %s",
            (other.hex if self.storage.kind == "sqlite" else other, copy_of),
        )

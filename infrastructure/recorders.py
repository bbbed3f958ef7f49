"""The SQLite application recorder: the library's, with what the application
asks of it (``position_of``, the hash chain, reads on each thread's own
connection). Group commit: concurrent writers share one
transaction and one fsync; each writer's events go in a savepoint of their own,
so a writer whose events conflict (the library's IntegrityError) fails alone and
the others still commit."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    IntegrityError,
    Notification,
    StoredEvent,
)
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
)

from infrastructure.chain import EMPTY, PAGE, TABLE, links
from infrastructure.group_commit import GroupCommit, Write
from infrastructure.log_file import Entry

# Under writes that never pause, readers are nearly always somewhere in the
# WAL, so SQLite's passive checkpoints rarely get to start it over and the WAL
# (and every read's search of it) grows with the log. Every so many commits
# the writer asks for a checkpoint that waits for the readers of the oldest
# frames to move on, then starts the WAL over.
CHECKPOINT_EVERY = 2000
READER_MMAP_BYTES = 1 << 30


class ThreadReaders:
    """A connection of each thread's own for reads from an SQLite file: in WAL
    mode a read takes no lock, so readers need not queue with writers for a
    pooled connection. None for in-memory databases, which must share one."""

    def __init__(self, datastore: SQLiteDatastore) -> None:
        pool = datastore.pool
        self.db_name = None if pool.is_sqlite_memory_mode else pool.db_name
        self._local = threading.local()

    def get(self) -> sqlite3.Connection | None:
        if self.db_name is None:
            return None
        connection: sqlite3.Connection | None = getattr(self._local, "c", None)
        if connection is None:
            connection = sqlite3.connect(
                self.db_name,
                uri=True,
                isolation_level=None,
                check_same_thread=False,
                timeout=30,
            )
            connection.row_factory = sqlite3.Row
            # Readers map the file rather than each copying pages into a
            # cache of its own, so every thread's reads share the OS's cache.
            connection.execute(f"PRAGMA mmap_size = {READER_MMAP_BYTES}")
            self._local.c = connection
        return connection


SQLITE_CHAIN = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} "
    "(position INTEGER PRIMARY KEY, digest BLOB NOT NULL)"
)
SQLITE_HEAD = f"SELECT position, digest FROM {TABLE} ORDER BY position DESC LIMIT 1"
SQLITE_LINK = f"INSERT INTO {TABLE} (position, digest) VALUES (?, ?)"
SQLITE_AT = (
    f"SELECT digest FROM {TABLE} WHERE position <= ? ORDER BY position DESC LIMIT 1"
)
SQLITE_LINKS = (
    f"SELECT position, digest FROM {TABLE} WHERE position > ? ORDER BY position LIMIT ?"
)


class GroupCommitSQLiteRecorder(GroupCommit, SQLiteApplicationRecorder):
    """An application recorder whose concurrent inserts commit together, each
    event with its link of the hash chain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._readers = ThreadReaders(self.datastore)
        self._commits = 0

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        reader = self._readers.get()
        if reader is None or lte is not None or desc or limit is not None:
            return super().select_events(
                originator_id, gt=gt, lte=lte, desc=desc, limit=limit
            )
        key = originator_id.hex if isinstance(originator_id, UUID) else originator_id
        rows = reader.execute(
            f"SELECT * FROM {self.events_table_name} WHERE originator_id = ? "
            "AND originator_version > ? ORDER BY originator_version",
            (key, gt or 0),
        ).fetchall()
        return [
            StoredEvent(
                originator_id=self.convert_originator_id(row["originator_id"]),
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=row["state"],
            )
            for row in rows
        ]

    def notifications_after(self, start: int, limit: int) -> list[Notification]:
        """Up to ``limit`` notifications after position ``start``, with their
        originator ids as stored (hex): for the projector, whose decoding
        turns the ids it needs into UUIDs once each, as the library's mapper
        does for the rest."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {self.events_table_name} WHERE rowid > ? "
                "ORDER BY rowid LIMIT ?",
                (start, limit),
            )
            return [
                Notification(
                    id=row[0],
                    originator_id=row[1],
                    originator_version=row[2],
                    topic=row[3],
                    state=row[4],
                )
                for row in c.fetchall()
            ]

    def position_of(self, originator_id: UUID) -> int:
        """The event log position of an aggregate's first event."""
        reader = self._readers.get()
        sql = (
            f"SELECT rowid FROM {self.events_table_name} "
            "WHERE originator_id = ? AND originator_version = 1"
        )
        if reader is not None:
            return int(reader.execute(sql, (originator_id.hex,)).fetchone()[0])
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, (originator_id.hex,))
            return int(c.fetchone()[0])

    def originators_with(
        self, originator_ids: Sequence[UUID], topics: Sequence[str]
    ) -> set[UUID]:
        """Those of the aggregates that have recorded an event of these topics."""
        if not originator_ids or not topics:
            return set()
        ids = [i.hex for i in originator_ids]
        sql = (
            f"SELECT DISTINCT originator_id FROM {self.events_table_name} "
            f"WHERE originator_id IN ({', '.join('?' * len(ids))}) "
            f"AND topic IN ({', '.join('?' * len(topics))})"
        )
        reader = self._readers.get()
        if reader is not None:
            rows = reader.execute(sql, (*ids, *topics)).fetchall()
        else:
            with self.datastore.transaction(commit=False) as c:
                c.execute(sql, (*ids, *topics))
                rows = c.fetchall()
        return {UUID(row[0]) for row in rows}

    def max_notification_id(self) -> int:
        reader = self._readers.get()
        if reader is None:
            return super().max_notification_id()
        row = reader.execute(self.select_max_notification_id_statement).fetchone()
        return int(row[0] or 0)

    def _checkpoint(self) -> None:
        if self._readers.db_name is None:
            return
        try:
            with self.datastore.get_connection(commit=True) as connection:
                connection.cursor().execute("PRAGMA wal_checkpoint(RESTART)")
        except sqlite3.Error:
            # A checkpoint that cannot finish now is tried again later.
            return

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as c:
            c.execute(SQLITE_CHAIN)
            self._chain_backlog(c)

    def _chain_backlog(self, c: SQLiteCursor) -> None:
        """Links the events stored before the chain was kept (a log written by
        an earlier release), once."""
        position, digest = self._head(c)
        while True:
            c.execute(
                f"SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {self.events_table_name} WHERE rowid > ? ORDER BY rowid "
                "LIMIT ?",
                (position, PAGE),
            )
            rows = c.fetchall()
            if not rows:
                return
            events = [StoredEvent(r[1], r[2], r[3], r[4]) for r in rows]
            made = links(digest, [r[0] for r in rows], events)
            c.executemany(SQLITE_LINK, made)
            position, digest = made[-1]

    @staticmethod
    def _head(c: Any) -> tuple[int, bytes]:
        c.execute(SQLITE_HEAD)
        row = c.fetchone()
        return (0, EMPTY) if row is None else (int(row[0]), bytes(row[1]))

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        reader = self._readers.get()
        if reader is not None:
            return reader.execute(sql, params).fetchall()
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return list(c.fetchall())

    def chain_head(self) -> tuple[int, bytes]:
        rows = self._read(SQLITE_HEAD, ())
        return (0, EMPTY) if not rows else (int(rows[0][0]), bytes(rows[0][1]))

    def chain_digest_at(self, position: int) -> bytes:
        rows = self._read(SQLITE_AT, (position,))
        return EMPTY if not rows else bytes(rows[0][0])

    def chain_links(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        return [
            (int(r[0]), bytes(r[1])) for r in self._read(SQLITE_LINKS, (after, limit))
        ]

    def import_entries(self, entries: list[Entry]) -> None:
        """Stores events at the positions given, with their links, in one
        transaction (moving a log in)."""
        with self.datastore.transaction(commit=True) as c:
            c.executemany(
                f"INSERT INTO {self.events_table_name} "
                "(rowid, originator_id, originator_version, topic, state) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        e.position,
                        UUID(str(e.event.originator_id)).hex,
                        e.event.originator_version,
                        e.event.topic,
                        e.event.state,
                    )
                    for e in entries
                ],
            )
            c.executemany(SQLITE_LINK, [(e.position, e.digest) for e in entries])

    def _commit(self, group: list[Write]) -> None:
        with self.datastore.transaction(commit=True) as c:
            # The head is read once the transaction holds the write lock
            # (after a first insert): read first, another process's commit
            # would make this transaction's snapshot stale.
            head: bytes | None = None
            for number, write in enumerate(group):
                head = self._insert_in_savepoint(c, number, write, head)
        self._commits += 1
        if self._commits % CHECKPOINT_EVERY == 0:
            self._checkpoint()

    def _insert_in_savepoint(
        self, c: SQLiteCursor, number: int, write: Write, head: bytes | None
    ) -> bytes | None:
        """Inserts one writer's events and their links; the chain's head after
        them (the same head if they conflicted and were rolled back)."""
        c.execute(f"SAVEPOINT w{number}")
        try:
            ids = self._insert_events(c, write.events, **write.kwargs)
            assert ids is not None
            if head is None:
                head = self._head(c)[1]
            made = links(head, ids, write.events)
            c.executemany(SQLITE_LINK, made)
            write.ids = ids
            if made:
                head = made[-1][1]
        except sqlite3.IntegrityError as error:
            c.execute(f"ROLLBACK TO w{number}")
            write.error = IntegrityError(error)
        c.execute(f"RELEASE w{number}")
        return head

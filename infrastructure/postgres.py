"""The PostgreSQL application recorder: the library's, failing faster in an
outage, answering ``position_of`` and keeping the hash chain. Group commit:
concurrent writers share one transaction (and the library's table lock, held
once for all of them) and one flush to disk; each writer's events go in a
savepoint of their own when there are several, so a writer whose events
conflict fails alone and the others still commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
)
from eventsourcing.utils import retry
from psycopg import Cursor, errors
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier

from infrastructure.chain import EMPTY, PAGE, TABLE, links
from infrastructure.group_commit import GroupCommit, Write
from infrastructure.log_file import Entry

# The library's retry budget made shorter, so that an outage is reported (503)
# within seconds instead of after ten connection time-outs.
fewer_retries = retry((InterfaceError, OperationalError), max_attempts=3, wait=0.2)


def _fewer_retries(method: Any) -> Any:
    """The library's method with the shorter retry budget."""
    return fewer_retries(method.__wrapped__)


HEAD = "SELECT position, digest FROM {schema}.{chain} ORDER BY position DESC LIMIT 1"


def head_of(row: DictRow | None) -> tuple[int, bytes]:
    """The chain's last link, from a row of ``HEAD``: (0, EMPTY) if none."""
    return (0, EMPTY) if row is None else (row["position"], bytes(row["digest"]))


class PostgresRecorder(GroupCommit, PostgresApplicationRecorder):
    """The library's PostgreSQL application recorder, failing faster in an
    outage, committing concurrent inserts together, keeping the hash chain:
    each group, holding the library's lock on the events table, links its
    events on to the last link."""

    def _chain_sql(self, template: str) -> Composed:
        return SQL(template).format(
            schema=Identifier(self.datastore.schema),
            chain=Identifier(TABLE),
            table=Identifier(self.events_table_name),
        )

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                self._chain_sql(
                    "CREATE TABLE IF NOT EXISTS {schema}.{chain} "
                    "(position bigint PRIMARY KEY, digest bytea NOT NULL)"
                )
            )
            curs.execute(
                self._chain_sql("LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE")
            )
            self._chain_backlog(curs)

    def _chain_backlog(self, curs: Cursor[DictRow]) -> None:
        """Links the events stored before the chain was kept, once."""
        position, digest = self._head(curs)
        select = self._chain_sql(
            "SELECT notification_id, originator_id, originator_version, topic, "
            "state FROM {schema}.{table} WHERE notification_id > %s "
            "ORDER BY notification_id LIMIT %s"
        )
        while True:
            curs.execute(select, (position, PAGE))
            rows = curs.fetchall()
            if not rows:
                return
            events = [
                StoredEvent(
                    r["originator_id"],
                    r["originator_version"],
                    r["topic"],
                    bytes(r["state"]),
                )
                for r in rows
            ]
            made = links(digest, [r["notification_id"] for r in rows], events)
            self._link(curs, made)
            position, digest = made[-1]

    def _head(self, curs: Cursor[DictRow]) -> tuple[int, bytes]:
        curs.execute(self._chain_sql(HEAD))
        return head_of(curs.fetchone())

    def _open_group(self, curs: Cursor[DictRow]) -> bytes:
        """Takes the table lock, notifies the listeners of other processes and
        reads the chain's head, in one round trip (statements without
        parameters go together); the head."""
        notify = SQL("NOTIFY {0}").format(Identifier(self.channel_name))
        head = self._chain_sql(HEAD)
        curs.execute(SQL("; ").join([*self.lock_table_statements, notify, head]))
        while curs.nextset():
            pass
        return head_of(curs.fetchone())[1]

    def _link(self, curs: Cursor[DictRow], made: list[tuple[int, bytes]]) -> None:
        insert = self._chain_sql(
            "INSERT INTO {schema}.{chain} (position, digest) VALUES (%s, %s)"
        )
        curs.executemany(insert, made)

    def _commit(self, group: list[Write]) -> None:
        with (
            self.datastore.get_connection() as connection,
            connection.transaction(),
            connection.cursor() as curs,
        ):
            head = self._open_group(curs)
            for write in group:
                self._insert_events(curs, write.events, **write.kwargs)
            if len(group) == 1:
                self._insert(curs, group, head)
                return
            # The group's events in one statement; if some conflict, each
            # writer's again in a savepoint of its own.
            curs.execute("SAVEPOINT together")
            try:
                self._insert(curs, group, head)
            except errors.UniqueViolation:
                curs.execute("ROLLBACK TO SAVEPOINT together")
                for number, write in enumerate(group):
                    head = self._insert_alone(curs, number, write, head)

    def _insert(self, curs: Cursor[DictRow], group: list[Write], head: bytes) -> bytes:
        """Inserts the writers' events, in order, and their links; gives each
        writer its positions; the chain's head after them."""
        events = [event for write in group for event in write.events]
        ids: list[int] = []
        if events:
            PostgresAggregateRecorder._insert_stored_events(self, curs, events)
            # Positions are given in insertion order under the table lock.
            ids = sorted(row["notification_id"] for row in curs.fetchall())
        made = links(head, ids, events)
        self._link(curs, made)
        start = 0
        for write in group:
            write.ids = ids[start : start + len(write.events)]
            start += len(write.events)
        return made[-1][1] if made else head

    def _insert_alone(
        self, curs: Cursor[DictRow], number: int, write: Write, head: bytes
    ) -> bytes:
        """One writer's events in a savepoint, undone alone if they conflict."""
        savepoint = Identifier(f"w{number}")
        curs.execute(SQL("SAVEPOINT {}").format(savepoint))
        try:
            head = self._insert(curs, [write], head)
        except errors.UniqueViolation as error:
            curs.execute(SQL("ROLLBACK TO SAVEPOINT {}").format(savepoint))
            write.ids = None
            write.error = IntegrityError(str(error))
        curs.execute(SQL("RELEASE SAVEPOINT {}").format(savepoint))
        return head

    def import_entries(self, entries: list[Entry]) -> None:
        """Stores events at the positions given, with their links, in one
        transaction (moving a log in); the position sequence goes on after
        them."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                self._chain_sql("LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE")
            )
            curs.executemany(
                self._chain_sql(
                    "INSERT INTO {schema}.{table} (notification_id, originator_id, "
                    "originator_version, topic, state) VALUES (%s, %s, %s, %s, %s)"
                ),
                [
                    (
                        e.position,
                        UUID(str(e.event.originator_id)),
                        e.event.originator_version,
                        e.event.topic,
                        e.event.state,
                    )
                    for e in entries
                ],
            )
            self._link(curs, [(e.position, e.digest) for e in entries])
            curs.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s)",
                (
                    f"{self.datastore.schema}.{self.events_table_name}",
                    entries[-1].position,
                ),
            )

    def _read_chain(self, template: str, params: tuple[Any, ...]) -> list[DictRow]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._chain_sql(template), params)
            return curs.fetchall()

    def chain_head(self) -> tuple[int, bytes]:
        rows = self._read_chain(HEAD, ())
        return head_of(rows[0] if rows else None)

    def chain_digest_at(self, position: int) -> bytes:
        rows = self._read_chain(
            "SELECT digest FROM {schema}.{chain} WHERE position <= %s "
            "ORDER BY position DESC LIMIT 1",
            (position,),
        )
        return EMPTY if not rows else bytes(rows[0]["digest"])

    def chain_links(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        rows = self._read_chain(
            "SELECT position, digest FROM {schema}.{chain} WHERE position > %s "
            "ORDER BY position LIMIT %s",
            (after, limit),
        )
        return [(r["position"], bytes(r["digest"])) for r in rows]

    insert_events = fewer_retries(GroupCommit.insert_events)
    select_events = _fewer_retries(PostgresApplicationRecorder.select_events)
    select_notifications = _fewer_retries(
        PostgresApplicationRecorder.select_notifications
    )
    max_notification_id = _fewer_retries(
        PostgresApplicationRecorder.max_notification_id
    )

    def position_of(self, originator_id: UUID) -> int:
        """The event log position of an aggregate's first event."""
        statement = SQL(
            "SELECT notification_id FROM {schema}.{table} "
            "WHERE originator_id = %s AND originator_version = 1"
        ).format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
        )
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, (originator_id,))
            row = curs.fetchone()
            assert row is not None
            return int(row["notification_id"])

    def originators_with(
        self, originator_ids: Sequence[UUID], topics: Sequence[str]
    ) -> set[UUID]:
        """Those of the aggregates that have recorded an event of these topics."""
        if not originator_ids or not topics:
            return set()
        statement = SQL(
            "SELECT DISTINCT originator_id FROM {schema}.{table} "
            "WHERE originator_id = ANY(%s) AND topic = ANY(%s)"
        ).format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
        )
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, (list(originator_ids), list(topics)))
            return {row["originator_id"] for row in curs.fetchall()}

"""The writes of one page of events, folded in memory, then written a table at
a time.

Writes are kept in order, and runs of the same SQL go to the database as
one ``executemany``. What adds up (attendance rows, member and team years,
activity counters) each read model folds per key in a fold of its own, written
once per page: a page costs a few writes per table, not a few per member."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar, cast
from uuid import UUID

from eventsourcing.domain import DomainEvent

from projections.sql import Cursor, Params, Row, Sql


class Fold(Protocol):
    """What a read model gathers over a page; written when the page ends."""

    def __init__(self) -> None: ...

    def flush(self, c: Cursor) -> None: ...


F = TypeVar("F", bound=Fold)
E = TypeVar("E", bound=DomainEvent)


class Batch:
    """The writes of one page of events, inside the page's transaction;
    ``position`` is that of the event being handled."""

    def __init__(self, c: Cursor) -> None:
        self.c = c
        self.position = 0
        self._sql: Sql | None = None
        self._rows: list[Params] = []
        self._folds: dict[type[Fold], Fold] = {}
        self._ids: dict[int, str] = {}
        self._watchers: list[Callable[[Cursor], None]] = []

    def run(self, sql: Sql, params: Params) -> None:
        """A write, sent with the next ones that use the same SQL."""
        if sql is not self._sql:
            self._send()
            self._sql = sql
        self._rows.append(params)

    def query(self, sql: Sql, params: Params) -> Row | None:
        """A read that sees every write sent so far (folds are sent at the end)."""
        self._send()
        return self.c.execute(sql, params).one()

    def query_all(self, sql: Sql, params: Params) -> list[Row]:
        self._send()
        return self.c.execute(sql, params).all()

    def settle(self, kind: type[Fold]) -> None:
        """Writes what a fold holds now, before a read that needs it; the
        page goes on with a fold begun afresh."""
        found = self._folds.pop(kind, None)
        if found is not None:
            self._send()
            found.flush(self.c)

    def id_text(self, value: UUID) -> str:
        """An id as the tables hold it. Ids recur within a page (members,
        activities), and ``UUID.__str__`` costs more than looking one up (by
        the id's number, which hashes faster than the UUID)."""
        key = value.int
        text = self._ids.get(key)
        if text is None:
            text = self._ids[key] = str(value)
        return text

    def fold(self, kind: type[F]) -> F:
        """This batch's fold of that kind, begun on first use."""
        found = self._folds.get(kind)
        if isinstance(found, kind):
            return found
        begun = self._folds[kind] = kind()
        return begun

    def before_send(self, watcher: Callable[[Cursor], None]) -> None:
        """Has ``watcher`` read what it needs before each write is sent."""
        self._watchers.append(watcher)

    def flush(self) -> None:
        """Writes what the batch folded, the folds that read the others'
        tables (``late``) last; the transaction is then committed."""
        self._watch()
        self._send()
        folds = list(self._folds.values())
        for fold in sorted(folds, key=lambda f: getattr(f, "late", False)):
            fold.flush(self.c)

    def _watch(self) -> None:
        for watcher in self._watchers:
            watcher(self.c)

    def _send(self) -> None:
        if self._sql is not None and self._rows:
            self._watch()
            if len(self._rows) == 1:
                self.c.send(self._sql, self._rows[0])
            else:
                self.c.send_many(self._sql, self._rows)
        self._sql = None
        self._rows = []


Handler = Callable[[object, Batch], None]


def on(
    event: type[E], handler: Callable[[E, Batch], None]
) -> tuple[type[DomainEvent], Handler]:
    """Pairs an event class with its handler. Events are dispatched on their
    exact class, so the handler is only ever given events of that class."""
    return event, cast(Handler, handler)

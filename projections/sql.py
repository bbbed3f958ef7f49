"""The read models' SQL, written once for both databases they can live in.

Each piece of SQL is one template, which each dialect spells in its own way:

- ``{t}`` before a read model's table, and ``{tracking}`` for the projection's
  tracking table: SQLite's names are plain; PostgreSQL's read models live in
  the event store's schema, which psycopg's ``sql`` composition fills in once
  per view.
- ``?`` for a parameter by position and ``:name`` for one by name, as SQLite
  reads them; psycopg reads ``%s`` and ``%(name)s``. A template therefore holds
  no ``?``, ``::`` or ``:word`` of its own, not even in a literal.
- ``{greatest}``, the larger of two values: ``MAX`` or ``GREATEST``.
- ``{text}`` after a parameter that is only tested for NULL: PostgreSQL cannot
  tell its type from that, so it is cast."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar

from psycopg.sql import SQL, Identifier

Params = Sequence[object] | Mapping[str, object]
T = TypeVar("T")


class Sql:
    """One template of the read models' SQL, spelled for SQLite and for
    PostgreSQL when it is made."""

    __slots__ = ("postgres", "sqlite")

    def __init__(self, template: str) -> None:
        self.sqlite = SQLite.spell(template)
        self.postgres = Postgres.spell(template)


@dataclass(frozen=True)
class Table:
    """A read model's table: its columns, the same in both databases, and its
    indexes (``name: columns``): those that only queries use, and those named
    in ``unique``, which keep an insert-only table's rows unique. A bulk load
    fills the table in the log's order without them and builds them at its
    end, but for those named in ``kept``: the projection itself reads by
    them while it loads, and without them each such read would scan the
    table as it grows."""

    name: str
    columns: str
    indexes: Mapping[str, str] = field(default_factory=dict)
    unique: frozenset[str] = frozenset()
    kept: frozenset[str] = frozenset()

    def index_kind(self, index: str) -> str:
        return "UNIQUE INDEX" if index in self.unique else "INDEX"


class Row(Protocol):
    """A row read by column name (``sqlite3.Row`` or psycopg's ``dict_row``)."""

    def __getitem__(self, column: str, /) -> Any: ...


Reads = Sequence[tuple["Sql", Params]]
Plan = Generator[Reads, list[list[Row]], T]
"""A read as plain steps: it yields the queries it needs, each batch to be
answered from one snapshot, is sent their rows, and returns its answer. A
``View`` runs it on a connection of the thread's own, or on an asynchronous
connection without a thread (PostgreSQL)."""


class RawCursor(Protocol):
    """What we use of a DB-API cursor (sqlite3's or psycopg's)."""

    def execute(self, query: str, params: Any = ..., /) -> object: ...

    def executemany(self, query: str, params: Any, /) -> object: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> Sequence[Any]: ...


def _fill(template: str, fragments: Mapping[str, str]) -> str:
    for name, fragment in fragments.items():
        template = template.replace(name, fragment)
    return template


class SQLite:
    """SQLite's spelling of the templates and of the tables' DDL."""

    # The library's SQLite tracking table is always called "tracking".
    FRAGMENTS: ClassVar[Mapping[str, str]] = {
        "{t}": "",
        "{tracking}": "tracking",
        "{greatest}": "MAX",
        "{text}": "",
    }

    @classmethod
    def spell(cls, template: str) -> str:
        return _fill(template, cls.FRAGMENTS)

    def text(self, sql: Sql) -> str:
        return sql.sqlite

    def create_table(self, table: Table) -> str:
        return f"CREATE TABLE IF NOT EXISTS {table.name} ({table.columns})"

    def drop_table(self, table: Table) -> str:
        return f"DROP TABLE IF EXISTS {table.name}"

    def create_index(self, table: Table, index: str) -> str:
        columns = table.indexes[index]
        kind = table.index_kind(index)
        return f"CREATE {kind} IF NOT EXISTS {index} ON {table.name} ({columns})"

    def drop_index(self, index: str) -> str:
        return f"DROP INDEX IF EXISTS {index}"

    def analyse(self, table: Table) -> str:
        return f"ANALYZE {table.name}"


class Postgres:
    """PostgreSQL's spelling, with names qualified by the event store's schema."""

    # {schema} and {tracking} are left for psycopg to fill in, quoted.
    FRAGMENTS: ClassVar[Mapping[str, str]] = {
        "{t}": "{schema}.",
        "{tracking}": "{schema}.{tracking}",
        "{greatest}": "GREATEST",
        "{text}": "::text",
    }
    NAMED = re.compile(r":(\w+)")

    @classmethod
    def spell(cls, template: str) -> str:
        psycopg = cls.NAMED.sub(r"%(\1)s", template.replace("%", "%%"))
        return _fill(psycopg.replace("?", "%s"), cls.FRAGMENTS)

    def __init__(self, schema: str, tracking_table: str) -> None:
        self.names = {
            "schema": Identifier(schema),
            "tracking": Identifier(tracking_table),
        }
        self._texts: dict[Sql, str] = {}

    def text(self, sql: Sql) -> str:
        text = self._texts.get(sql)
        if text is None:
            text = self._texts[sql] = self._compose(sql.postgres)
        return text

    def create_table(self, table: Table) -> str:
        return self._compose(
            "CREATE TABLE IF NOT EXISTS {schema}.{table} ({columns})",
            table=Identifier(table.name),
            columns=SQL(table.columns),
        )

    def drop_table(self, table: Table) -> str:
        return self._compose(
            "DROP TABLE IF EXISTS {schema}.{table}", table=Identifier(table.name)
        )

    def analyse(self, table: Table) -> str:
        return self._compose("ANALYZE {schema}.{table}", table=Identifier(table.name))

    def copy(self, table: Table) -> str:
        return self._compose(
            "COPY {schema}.{table} FROM STDIN", table=Identifier(table.name)
        )

    def create_index(self, table: Table, index: str) -> str:
        return self._compose(
            "CREATE {kind} IF NOT EXISTS {index} ON {schema}.{table} ({columns})",
            kind=SQL(table.index_kind(index)),
            index=Identifier(index),
            table=Identifier(table.name),
            columns=SQL(table.indexes[index]),
        )

    def drop_index(self, index: str) -> str:
        return self._compose(
            "DROP INDEX IF EXISTS {schema}.{index}", index=Identifier(index)
        )

    def _compose(self, template: str, **parts: Identifier | SQL) -> str:
        return SQL(template).format(**self.names, **parts).as_string()


Dialect = SQLite | Postgres


class Cursor:
    """Runs the templates in the dialect of the database it is connected to."""

    __slots__ = ("dialect", "raw", "writes")

    def __init__(self, raw: RawCursor, dialect: Dialect) -> None:
        self.raw = raw
        self.dialect = dialect
        self.writes: RawCursor | None = None

    def execute(self, sql: Sql, params: Params = ()) -> Cursor:
        self.raw.execute(self.dialect.text(sql), params)
        return self

    def executemany(self, sql: Sql, rows: Sequence[Params]) -> None:
        if rows:
            self.raw.executemany(self.dialect.text(sql), rows)

    def append(self, table: Table, sql: Sql, rows: Sequence[Sequence[object]]) -> None:
        """Adds rows to an insert-only table, in their order: with ``sql``,
        which inserts one row, or, on PostgreSQL, in one ``COPY`` (but inside
        ``pipelined``, which has none)."""
        if not rows:
            return
        if isinstance(self.dialect, Postgres) and self.writes is None:
            raw: Any = self.raw
            with raw.copy(self.dialect.copy(table)) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        self.raw.executemany(self.dialect.text(sql), rows)

    @contextmanager
    def pipelined(self) -> Iterator[None]:
        """On PostgreSQL, the writes ``send`` sends inside go without waiting
        for each one's answer (psycopg's pipeline mode), on a cursor of their
        own: a read on this cursor waits for those before it, and its answer
        cannot be taken for a write's. The rest are waited for at the end. No
        ``COPY`` inside: an ``append`` there inserts."""
        if not isinstance(self.dialect, Postgres):
            yield
            return
        raw: Any = self.raw
        with raw.connection.pipeline(), raw.connection.cursor() as writes:
            self.writes = writes
            try:
                yield
            finally:
                self.writes = None

    def send(self, sql: Sql, params: Params) -> None:
        """A write whose answer is not read."""
        (self.writes or self.raw).execute(self.dialect.text(sql), params)

    def send_many(self, sql: Sql, rows: Sequence[Params]) -> None:
        """Writes whose answers are not read."""
        if rows:
            (self.writes or self.raw).executemany(self.dialect.text(sql), rows)

    def one(self) -> Row | None:
        row: Row | None = self.raw.fetchone()
        return row

    def all(self) -> list[Row]:
        return list(self.raw.fetchall())


class Reader(Protocol):
    """Where queries read the read models from (a ``View``)."""

    def read(self, *, single: bool = False) -> AbstractContextManager[Cursor]: ...

    def one(self, sql: Sql, params: Params) -> Row | None: ...

    def all(self, sql: Sql, params: Params) -> list[Row]: ...

    def run(self, plan: Plan[T]) -> T: ...

"""The read models' SQL, spelled out for each database they can live in.

A statement is written once for SQLite and once for PostgreSQL. PostgreSQL's
read models live in the event store's schema, which its statements name as
``{schema}``; psycopg's ``sql`` composition fills it in once per view."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from psycopg.sql import SQL, Identifier

Params = Sequence[object] | Mapping[str, object]


@dataclass(frozen=True, eq=False, slots=True)
class Statement:
    """One statement as SQLite and as PostgreSQL read it."""

    sqlite: str
    postgres: str


@dataclass(frozen=True)
class Table:
    """A read model's table: its columns, the same in both databases, and the
    indexes that only queries use (``name: columns``)."""

    name: str
    columns: str
    indexes: Mapping[str, str] = field(default_factory=dict)


class Row(Protocol):
    """A row read by column name (``sqlite3.Row`` or psycopg's ``dict_row``)."""

    def __getitem__(self, column: str, /) -> Any: ...


class RawCursor(Protocol):
    """What we use of a DB-API cursor (sqlite3's or psycopg's)."""

    def execute(self, query: str, params: Any = ..., /) -> object: ...

    def executemany(self, query: str, params: Any, /) -> object: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> Sequence[Any]: ...


class SQLite:
    """SQLite's spelling of statements and of the tables' DDL."""

    def text(self, statement: Statement) -> str:
        return statement.sqlite

    def create_table(self, table: Table) -> str:
        return f"CREATE TABLE IF NOT EXISTS {table.name} ({table.columns})"

    def drop_table(self, table: Table) -> str:
        return f"DROP TABLE IF EXISTS {table.name}"

    def create_index(self, table: Table, index: str) -> str:
        columns = table.indexes[index]
        return f"CREATE INDEX IF NOT EXISTS {index} ON {table.name} ({columns})"

    def drop_index(self, index: str) -> str:
        return f"DROP INDEX IF EXISTS {index}"

    def analyse(self, table: Table) -> str:
        return f"ANALYZE {table.name}"


class Postgres:
    """PostgreSQL's spelling, with names qualified by the event store's schema."""

    def __init__(self, schema: str, tracking_table: str) -> None:
        self.names = {
            "schema": Identifier(schema),
            "tracking": Identifier(tracking_table),
        }
        self._texts: dict[Statement, str] = {}

    def text(self, statement: Statement) -> str:
        text = self._texts.get(statement)
        if text is None:
            text = self._texts[statement] = self._compose(statement.postgres)
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

    def create_index(self, table: Table, index: str) -> str:
        return self._compose(
            "CREATE INDEX IF NOT EXISTS {index} ON {schema}.{table} ({columns})",
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
    """Runs statements in the dialect of the database it is connected to."""

    __slots__ = ("dialect", "raw")

    def __init__(self, raw: RawCursor, dialect: Dialect) -> None:
        self.raw = raw
        self.dialect = dialect

    def execute(self, statement: Statement, params: Params = ()) -> Cursor:
        self.raw.execute(self.dialect.text(statement), params)
        return self

    def executemany(self, statement: Statement, rows: Sequence[Params]) -> None:
        if rows:
            self.raw.executemany(self.dialect.text(statement), rows)

    def one(self) -> Row | None:
        row: Row | None = self.raw.fetchone()
        return row

    def all(self) -> list[Row]:
        return list(self.raw.fetchall())


class Reader(Protocol):
    """Where queries read the read models from (a ``View``)."""

    def read(self, *, single: bool = False) -> AbstractContextManager[Cursor]: ...

    def one(self, statement: Statement, params: Params) -> Row | None: ...

    def all(self, statement: Statement, params: Params) -> list[Row]: ...


def both(template: str) -> Statement:
    """A statement from one template: tables as ``{t}name``, parameters as
    ``:name``."""
    return Statement(
        sqlite=template.replace("{t}", ""),
        postgres=re.sub(r":(\w+)", r"%(\1)s", template.replace("{t}", "{schema}.")),
    )

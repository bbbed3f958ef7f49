"""Reads on PostgreSQL without a thread: a read's plan (``projections.sql.Plan``)
run on a connection of psycopg's asynchronous pool, on the event loop that
serves the request."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from eventsourcing.postgres import PostgresDatastore
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from projections.sql import Params, Plan, Row, Sql
from projections.view import READ_SETTINGS, SNAPSHOT, View

T = TypeVar("T")


class AsyncReads:
    """A pool of asynchronous connections to a view's PostgreSQL database,
    sized and timed out as the view's own pool. A connection is taken without
    a query to check it first (one that broke answers 503 once and is
    replaced), and has the read settings from the start."""

    def __init__(self, view: View, datastore: PostgresDatastore) -> None:
        self.view = view
        pool = datastore.pool
        kwargs = pool.kwargs
        assert isinstance(kwargs, dict)

        async def configure(connection: AsyncConnection[Any]) -> None:
            await connection.set_autocommit(True)
            await connection.execute(READ_SETTINGS)

        self.pool: AsyncConnectionPool[AsyncConnection[Any]] = AsyncConnectionPool(
            kwargs=dict(kwargs),
            min_size=pool.min_size,
            max_size=pool.max_size,
            timeout=pool.timeout,
            configure=configure,
            open=False,
        )

    @classmethod
    def of(cls, view: View) -> AsyncReads | None:
        """Asynchronous reads of a view on PostgreSQL; None on SQLite, whose
        reads are local and run inline."""
        datastore = view.recorder.datastore
        if isinstance(datastore, PostgresDatastore):
            return cls(view, datastore)
        return None

    async def open(self) -> None:
        """Opens the pool, on the running event loop."""
        await self.pool.open(wait=False)

    async def close(self) -> None:
        await self.pool.close()

    async def run(self, plan: Plan[T]) -> T:
        """Runs a read's plan, each batch of its queries on one snapshot."""
        reads = next(plan)
        async with self.pool.connection() as connection:
            while True:
                if len(reads) == 1:
                    rows = [await self._rows(connection, *reads[0])]
                else:
                    async with connection.transaction():
                        await connection.execute(SNAPSHOT)
                        rows = [await self._rows(connection, *r) for r in reads]
                try:
                    reads = plan.send(rows)
                except StopIteration as done:
                    return cast(T, done.value)

    async def _rows(
        self, connection: AsyncConnection[Any], sql: Sql, params: Params
    ) -> list[Row]:
        cursor = await connection.execute(self.view.dialect.text(sql), params)
        rows: list[Row] = await cursor.fetchall()
        return rows

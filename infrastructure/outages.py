"""Telling apart the kinds of storage trouble a request or the projection can
meet, since each sends an operator somewhere else: a full disk (free space),
a database that cannot be reached (the network, the database server) and a
full connection pool while the database answers (too many clients for the
process's pool: wait, or size the pool).

A pool that times out a request is full only if every connection it may
open is taken; one that is still trying to open connections, and failed at
its latest attempt, times out because the database cannot be reached. The
pool does not say how its latest attempt went, so ``watch`` keeps that."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

import psycopg_pool
from psycopg import errors

# An extended SQLite code (SQLITE_IOERR_WRITE, say) keeps its primary code
# in the low byte.
PRIMARY_CODE = 0xFF
SQLITE_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
NO_SPACE = (errno.ENOSPC, errno.EDQUOT)

Pool = psycopg_pool.ConnectionPool[Any] | psycopg_pool.AsyncConnectionPool[Any]


def causes(error: BaseException) -> Iterable[BaseException]:
    """The error and those it was raised from or while handling, in turn."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_disk_full(error: BaseException) -> bool:
    """Whether storing failed for want of disk space: SQLite's "database or
    disk is full", the operating system's ENOSPC (or a quota's EDQUOT) on a
    journal or WAL file, PostgreSQL's disk_full (SQLSTATE 53100)."""
    return any(_no_space(cause) for cause in causes(error))


def _no_space(error: BaseException) -> bool:
    if isinstance(error, errors.DiskFull):
        return True
    if isinstance(error, OSError) and error.errno in NO_SPACE:
        return True
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(error, sqlite3.Error) and code is not None:
        return bool((code & PRIMARY_CODE) == sqlite3.SQLITE_FULL)
    # The library's own exceptions repeat the SQLite message.
    return "database or disk is full" in str(error)


def is_lock_timeout(error: BaseException) -> bool:
    """Whether a lock stayed with another writer beyond the lock timeout
    (SQLite's "database is locked", PostgreSQL's lock_not_available): the
    database answers, but is too busy to write."""
    return any(_locked(cause) for cause in causes(error))


def _locked(error: BaseException) -> bool:
    if isinstance(error, errors.LockNotAvailable):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(error, sqlite3.OperationalError) and code is not None:
        return bool((code & PRIMARY_CODE) in SQLITE_BUSY_CODES)
    # The library's own exceptions repeat the SQLite message.
    return "database is locked" in str(error)


def is_pool_timeout(error: BaseException) -> bool:
    return any(isinstance(c, psycopg_pool.PoolTimeout) for c in causes(error))


@dataclass
class Attempts:
    """How a pool's latest attempt to open a connection went."""

    failed: bool = False


_ATTEMPTS: WeakKeyDictionary[Pool, Attempts] = WeakKeyDictionary()


def watch(pool: Pool) -> None:
    """Keeps how the pool's latest attempt to open a connection went (the pool
    counts failures, but not which came last)."""
    if pool in _ATTEMPTS:
        return
    attempts = _ATTEMPTS[pool] = Attempts()
    connect: Callable[..., Any] = pool._connect

    if isinstance(pool, psycopg_pool.AsyncConnectionPool):

        async def connect_async(timeout: float | None = None) -> Any:
            try:
                connection = await connect(timeout=timeout)
            except BaseException:
                attempts.failed = True
                raise
            attempts.failed = False
            return connection

        pool._connect = connect_async  # type: ignore[method-assign]  # the pool has no hook for a failed attempt
        return

    def connect_sync(timeout: float | None = None) -> Any:
        try:
            connection = connect(timeout=timeout)
        except BaseException:
            attempts.failed = True
            raise
        attempts.failed = False
        return connection

    pool._connect = connect_sync  # type: ignore[method-assign]  # the pool has no hook for a failed attempt


def is_full(pool: Pool) -> bool:
    """Whether every connection the pool may open is open and taken, and its
    latest attempt to open one did not fail."""
    attempts = _ATTEMPTS.get(pool)
    if attempts is not None and attempts.failed:
        return False
    stats = pool.get_stats()
    return stats["pool_size"] >= stats["pool_max"] and stats["pool_available"] == 0


def reachable(pools: Iterable[Pool]) -> bool:
    """Whether no pool failed at its latest attempt to open a connection."""
    return not any(
        attempts.failed
        for pool in pools
        if (attempts := _ATTEMPTS.get(pool)) is not None
    )


def is_busy(error: BaseException, pools: Iterable[Pool]) -> bool:
    """Whether an error means the database answers but this process cannot
    use it now: a pool timed out while full of connections that work, or a
    lock stayed with another writer beyond the lock timeout."""
    if is_lock_timeout(error):
        return True
    if not is_pool_timeout(error):
        return False
    watched = list(pools)
    return reachable(watched) and any(is_full(pool) for pool in watched)

"""Telling a full disk, a busy database and one that cannot be reached apart,
from the errors SQLite, the operating system, PostgreSQL and psycopg's pool
raise."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import psycopg_pool
import pytest
from eventsourcing.persistence import OperationalError

from infrastructure.outages import is_busy, is_disk_full, watch
from infrastructure.storage import parse_database_url
from tests.conftest import postgres_test_url
from tests.scaleout.processes import free_port


def raised(error: BaseException) -> BaseException:
    """The error as the library raises it: its own, from the driver's."""
    try:
        raise OperationalError(str(error)) from error
    except OperationalError as wrapped:
        return wrapped


def test_sqlite_finding_its_database_full_is_a_full_disk(tmp_path: Path) -> None:
    database = sqlite3.connect(tmp_path / "small.db")
    database.execute("CREATE TABLE t (x BLOB)")
    database.execute("PRAGMA max_page_count = 3")
    with pytest.raises(sqlite3.OperationalError) as full:
        database.execute("INSERT INTO t VALUES (zeroblob(100000))")
    assert is_disk_full(raised(full.value))
    assert not is_busy(raised(full.value), [])


def test_no_space_on_the_device_is_a_full_disk() -> None:
    assert is_disk_full(raised(OSError(errno.ENOSPC, "No space left on device")))
    assert is_disk_full(psycopg.errors.DiskFull("could not extend file"))
    assert not is_disk_full(raised(OSError(errno.EIO, "Input/output error")))


def test_sqlites_lock_held_beyond_its_timeout_is_busy(tmp_path: Path) -> None:
    holder = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    writer = sqlite3.connect(tmp_path / "locked.db", timeout=0)
    with pytest.raises(sqlite3.OperationalError) as locked:
        writer.execute("INSERT INTO t VALUES (1)")
    assert is_busy(raised(locked.value), [])
    assert not is_disk_full(raised(locked.value))


def test_postgresqls_lock_timeout_is_busy() -> None:
    timed_out = psycopg.errors.LockNotAvailable(
        "canceling statement due to lock timeout"
    )
    assert is_busy(raised(timed_out), [])
    assert not is_busy(raised(psycopg.OperationalError("connection refused")), [])


def test_a_pool_that_cannot_connect_is_not_busy() -> None:
    pool: psycopg_pool.ConnectionPool[psycopg.Connection[object]] = (
        psycopg_pool.ConnectionPool(
            kwargs={"host": "127.0.0.1", "port": free_port(), "connect_timeout": 1},
            min_size=1,
            max_size=1,
            timeout=0.5,
            open=False,
        )
    )
    watch(pool)
    pool.open(wait=False)
    try:
        with pytest.raises(psycopg_pool.PoolTimeout) as timed_out:
            pool.getconn()
        assert not is_busy(raised(timed_out.value), [pool])
    finally:
        pool.close(timeout=0)


@pytest.fixture
def full_pool() -> Iterator[psycopg_pool.ConnectionPool[psycopg.Connection[object]]]:
    env = parse_database_url(postgres_test_url()).env
    pool: psycopg_pool.ConnectionPool[psycopg.Connection[object]] = (
        psycopg_pool.ConnectionPool(
            kwargs={
                "dbname": env["POSTGRES_DBNAME"],
                "host": env["POSTGRES_HOST"],
                "port": int(env["POSTGRES_PORT"]),
                "user": env["POSTGRES_USER"],
            },
            min_size=1,
            max_size=1,
            timeout=0.2,
            open=False,
        )
    )
    watch(pool)
    pool.open(wait=True)
    taken = pool.getconn()
    try:
        yield pool
    finally:
        pool.putconn(taken)
        pool.close()


@pytest.mark.postgres
def test_a_pool_whose_every_connection_is_taken_is_busy(
    full_pool: psycopg_pool.ConnectionPool[psycopg.Connection[object]],
) -> None:
    with pytest.raises(psycopg_pool.PoolTimeout) as timed_out:
        full_pool.getconn()
    assert is_busy(raised(timed_out.value), [full_pool])
    assert not is_busy(
        raised(psycopg.OperationalError("connection refused")), [full_pool]
    )

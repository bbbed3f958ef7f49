"""A PostgreSQL primary and a streaming standby of it, made with PostgreSQL's
own binaries (``initdb``, ``pg_ctl``, ``pg_basebackup``) on free ports in a
temporary directory, as the ``postgres`` user when run by root (``initdb``
refuses root). For the tests and the bench that read through a standby; the
machine's shared server is never touched."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from typing import Any

from tests.scaleout.processes import free_port

TOOLS = ("initdb", "pg_ctl", "pg_basebackup")
OS_USER = "postgres"
DATABASE = "vpoints"
STREAMING_SECONDS = 30
SETTLE_SECONDS = 30
PRIMARY_SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
wal_level = replica
max_wal_senders = 4
hot_standby = on
hot_standby_feedback = on
fsync = off
full_page_writes = off
shared_buffers = 64MB
max_connections = 60
"""
REPLICATION_HBA = """
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
"""


def _version(directory: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", directory))


def postgres_binaries() -> Path | None:
    """The newest directory holding PostgreSQL's server binaries, else None."""
    found = sorted(glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    on_path = shutil.which("pg_basebackup")
    if on_path:
        found.append(str(Path(on_path).parent))
    for directory in found:
        if all((Path(directory) / tool).exists() for tool in TOOLS):
            return Path(directory)
    return None


def missing_reason() -> str | None:
    """Why a primary and a standby cannot be made here, or None if they can."""
    if postgres_binaries() is None:
        return (
            "PostgreSQL's server binaries (initdb, pg_ctl, pg_basebackup) are not "
            "in /usr/lib/postgresql/*/bin or on PATH"
        )
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam(OS_USER)
        except KeyError:
            return f"run as root without a {OS_USER!r} user for initdb to run as"
        if shutil.which("runuser") is None:
            return "run as root without runuser to run initdb as postgres"
    return None


@dataclass(frozen=True)
class Server:
    """One PostgreSQL server of the pair."""

    data: Path
    port: int

    def read_model_scans(self) -> int:
        """The scans this server ran on the read models' tables
        (``seq_scan`` plus ``idx_scan``, which a hot standby also keeps for
        the queries it answers), as its backends have reported them."""
        from projections.view import TABLES

        with self.connect() as connection:
            row = connection.execute(
                "SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0)"
                " FROM pg_stat_user_tables WHERE relname = ANY(%s)",
                (list(TABLES),),
            ).fetchone()
        return int(row[0])

    def database_counters(self) -> dict[str, int]:
        """The database's transactions and rows read, from ``pg_stat_database``."""
        with self.connect() as connection:
            row = connection.execute(
                "SELECT xact_commit, tup_returned, tup_fetched FROM pg_stat_database "
                "WHERE datname = current_database()"
            ).fetchone()
        return dict(
            zip(("xact_commit", "tup_returned", "tup_fetched"), row, strict=True)
        )

    def clients(self) -> int:
        """How many other clients are connected to the database."""
        with self.connect() as connection:
            row = connection.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            ).fetchone()
        return int(row[0])

    def url(self, query: str = "", database: str = DATABASE) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}{query}"

    def connect(self, database: str = DATABASE) -> Any:
        import psycopg

        return psycopg.connect(self.url(database=database), autocommit=True)


@dataclass(frozen=True)
class Replication:
    """A primary and a standby that streams from it."""

    primary: Server
    standby: Server

    def wait_until_streaming(self) -> None:
        """Returns once the standby streams from the primary and has replayed
        what the primary had written when asked."""
        deadline = time.monotonic() + STREAMING_SECONDS
        with self.primary.connect() as primary, self.standby.connect() as standby:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
            while time.monotonic() < deadline:
                streaming = primary.execute(
                    "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
                ).fetchone()[0]
                replayed = standby.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)
                ).fetchone()[0]
                if streaming and replayed:
                    return
                time.sleep(0.05)
        raise RuntimeError("the standby did not start streaming from the primary")

    def settled_scans(self) -> tuple[int, int]:
        """The primary's and the standby's read model scans once no other
        client is connected and the counts have stopped moving: a backend
        reports its counts as it exits, so stop the API processes first."""
        deadline = time.monotonic() + SETTLE_SECONDS
        for server in (self.primary, self.standby):
            while server.clients():
                if time.monotonic() > deadline:
                    raise RuntimeError("the API's connections stayed open")
                time.sleep(0.05)
        counts = (self.primary.read_model_scans(), self.standby.read_model_scans())
        while time.monotonic() < deadline:
            time.sleep(0.1)
            again = (self.primary.read_model_scans(), self.standby.read_model_scans())
            if again == counts:
                return counts
            counts = again
        raise RuntimeError("the scan counts kept moving with no client connected")


def _run(binaries: Path, tool: str, *args: str) -> None:
    command: Sequence[str] = [str(binaries / tool), *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", OS_USER, "--", *command]
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, cwd=tempfile.gettempdir()
    )
    if done.returncode != 0:
        raise RuntimeError(f"{tool} failed: {done.stdout}{done.stderr}")


def _initdb(binaries: Path, data: Path) -> None:
    """A new cluster in ``data``: trusting local connections, as the tests do."""
    _run(
        binaries,
        "initdb",
        *("-D", str(data), "-U", "postgres", "-A", "trust"),
        *("-E", "UTF8", "--no-locale", "--no-sync"),
    )


def _start(binaries: Path, data: Path) -> None:
    _run(binaries, "pg_ctl", "-D", str(data), "-l", f"{data}.log", "-w", "start")


def _stop(binaries: Path, data: Path) -> None:
    if (data / "postmaster.pid").exists():
        with suppress(RuntimeError):
            _run(binaries, "pg_ctl", "-D", str(data), "-m", "immediate", "stop")


@contextmanager
def primary_and_standby(settings: str = "") -> Iterator[Replication]:
    """Starts a primary (``wal_level = replica``, replication from 127.0.0.1
    trusted) with a database ``vpoints``, and a standby made by
    ``pg_basebackup -R``; stops both at once (``-m immediate``) and removes
    their directory when done, whatever happened. ``settings`` are added to
    the primary's configuration, which the standby copies."""
    binaries = postgres_binaries()
    if binaries is None:
        raise RuntimeError(missing_reason())
    root = Path(tempfile.mkdtemp(prefix="vpoints-standby-"))
    primary = Server(root / "primary", free_port())
    standby = Server(root / "standby", free_port())
    try:
        if os.geteuid() == 0:
            shutil.chown(root, OS_USER, OS_USER)
        _initdb(binaries, primary.data)
        configuration = PRIMARY_SETTINGS.format(port=primary.port, sockets=root)
        _append(primary.data / "postgresql.conf", configuration + settings)
        _append(primary.data / "pg_hba.conf", REPLICATION_HBA)
        _start(binaries, primary.data)
        with primary.connect("postgres") as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")
        _run(
            binaries,
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
            *("-D", str(standby.data), "-R", "-X", "stream", "-c", "fast"),
        )
        _append(standby.data / "postgresql.conf", f"port = {standby.port}\n")
        _start(binaries, standby.data)
        pair = Replication(primary, standby)
        pair.wait_until_streaming()
        yield pair
    finally:
        _stop(binaries, standby.data)
        _stop(binaries, primary.data)
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def single_server(settings: str = "") -> Iterator[Server]:
    """Starts a PostgreSQL server of its own, with a database ``vpoints``;
    stops it at once (``-m immediate``) and removes its directory when done,
    whatever happened. ``settings`` are added to its configuration."""
    binaries = postgres_binaries()
    if binaries is None:
        raise RuntimeError(missing_reason())
    root = Path(tempfile.mkdtemp(prefix="vpoints-postgres-"))
    server = Server(root / "data", free_port())
    try:
        if os.geteuid() == 0:
            shutil.chown(root, OS_USER, OS_USER)
        _initdb(binaries, server.data)
        configuration = PRIMARY_SETTINGS.format(port=server.port, sockets=root)
        _append(server.data / "postgresql.conf", configuration + settings)
        _start(binaries, server.data)
        with server.connect("postgres") as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")
        yield server
    finally:
        _stop(binaries, server.data)
        shutil.rmtree(root, ignore_errors=True)


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write(text)

"""A consistent copy of a running SQLite deployment (``vpoints backup``).

The events, their hash chain and the read models live in one SQLite file, so
one snapshot of the file holds all three at one position. SQLite's online
backup, copying every page in one step, reads the file in one read
transaction: in WAL mode writers go on committing meanwhile, and the copy is
the file as it stood when that transaction began. The copy is written beside
the target under another name and renamed over it once complete, so that a
failed or interrupted backup leaves no partial file behind."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from infrastructure.chain import EMPTY, TABLE

EVENTS_TABLE = "stored_events"
TRACKING_TABLE = "tracking"


class BackupError(Exception):
    """Raised when the copy cannot be made; nothing is left at the target."""


@dataclass(frozen=True)
class Copied:
    """Where a copy's log ends, the chain's digest there, and how far its
    read models had got (they catch up when the copy is served)."""

    position: int
    head_digest: str
    projected: int


def backup_sqlite(source: str, target: Path, *, overwrite: bool = False) -> Copied:
    """Copies the SQLite database at ``source`` to ``target`` while writers
    may be using it. Refuses an existing target unless ``overwrite``."""
    if not Path(source).is_file():
        raise BackupError(f"no SQLite database at {source}")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists: refused (--force overwrites it)")
    folder = target.resolve().parent
    try:
        handle, partial = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".partial", dir=folder
        )
    except OSError as error:
        raise BackupError(f"cannot write in {folder}: {error.strerror}") from None
    os.close(handle)
    try:
        os.chmod(partial, Path(source).stat().st_mode & 0o777)
        _copy(source, partial)
        copied = _described(partial)
        os.replace(partial, target)
        _sync_folder(folder)
    except sqlite3.Error as error:
        raise BackupError(f"the copy failed: {error}") from None
    except OSError as error:
        raise BackupError(f"cannot write {target}: {error.strerror}") from None
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return copied


def _copy(source: str, target: str) -> None:
    reading = sqlite3.connect(
        f"file:{source}?mode=ro", uri=True, timeout=30, isolation_level=None
    )
    try:
        writing = sqlite3.connect(target, isolation_level=None)
        try:
            # One step: a copy made in several would start over each time a
            # writer changed the file between steps, and never end under load.
            reading.backup(writing, pages=-1)
            writing.execute("PRAGMA journal_mode = WAL")
        finally:
            writing.close()
    finally:
        reading.close()


def _described(copy: str) -> Copied:
    connection = sqlite3.connect(copy, isolation_level=None)
    try:
        position = _one(connection, f"SELECT MAX(rowid) FROM {EVENTS_TABLE}")
        row = connection.execute(
            f"SELECT digest FROM {TABLE} ORDER BY position DESC LIMIT 1"
        ).fetchone()
        projected = _one(
            connection, f"SELECT MAX(notification_id) FROM {TRACKING_TABLE}"
        )
        # The copy is complete in its own file, not in a WAL beside it.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    digest = EMPTY if row is None else bytes(row[0])
    return Copied(position, digest.hex(), projected)


def _one(connection: sqlite3.Connection, sql: str) -> int:
    try:
        row = connection.execute(sql).fetchone()
    except sqlite3.OperationalError:
        # A database the service has not opened yet has no such table.
        return 0
    return int(row[0] or 0) if row else 0


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)

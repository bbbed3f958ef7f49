"""Maps the storage settings, a database URL and the URL of a standby that
serves the reads, onto eventsourcing's persistence, and opens the application
there: the one way the application is opened."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from eventsourcing.persistence import PersistenceError

from domain.application import VolunteerPoints, utc_now
from infrastructure.caching import bound_by_memory
from infrastructure.retries import WRITE_WAIT_SECONDS, JitteredBackoff

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresDatastore

SETTING = "VPOINTS_DATABASE_URL"
READ_SETTING = "VPOINTS_READ_DATABASE_URL"
RECORDERS = {
    "memory": {"PERSISTENCE_MODULE": "infrastructure.memory:MemoryFactory"},
    "sqlite": {
        "APPLICATION_RECORDER_TOPIC": (
            "infrastructure.recorders:GroupCommitSQLiteRecorder"
        )
    },
    "postgresql": {
        "APPLICATION_RECORDER_TOPIC": "infrastructure.postgres:PostgresRecorder"
    },
}
# What the application is given whatever its database: how its values are
# stored (the library reads a transcoder's topic from the environment).
MACHINERY = {"TRANSCODER_TOPIC": "infrastructure.transcodings:Transcoder"}
DEFAULT_DATABASE_URL = "sqlite:///./vpoints.db"


class StorageError(Exception):
    """Raised when the database URL is malformed or the database cannot be reached."""


@dataclass(frozen=True)
class Storage:
    kind: str
    env: dict[str, str]
    path: str | None = None
    schema: str | None = None


def parse_database_url(url: str, setting: str = SETTING) -> Storage:
    """Returns the eventsourcing environment for ``memory://``, ``sqlite:///path``
    or ``postgresql://user:password@host:port/db?schema=name``; a StorageError
    naming the setting the URL came from if it is none of them."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise StorageError(f"{setting}={url!r} is not a valid URL: {error}") from None
    if parts.scheme == "memory":
        return Storage("memory", {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    if parts.scheme == "sqlite":
        if parts.netloc or not parts.path.startswith("/") or len(parts.path) < 2:
            raise StorageError(
                f"{setting}={url!r}: expected sqlite:///relative/path.db "
                "or sqlite:////absolute/path.db"
            )
        path = unquote(parts.path[1:])
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": "30",
        }
        return Storage("sqlite", env, path=path)
    if parts.scheme in ("postgresql", "postgres"):
        dbname = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not dbname:
            raise StorageError(
                f"{setting}={url!r}: expected postgresql://user@host:port/database"
            )
        query = parse_qs(parts.query)
        schema = query.get("schema", [""])[0]
        if schema and not schema.isidentifier():
            raise StorageError(f"{setting}={url!r}: schema must be an identifier")
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": dbname,
            "POSTGRES_HOST": parts.hostname,
            "POSTGRES_PORT": str(port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_CONNECT_TIMEOUT": _count(
                setting, url, query, "connect_timeout", "2"
            ),
            "POSTGRES_POOL_SIZE": _count(setting, url, query, "pool_size", "5"),
            "POSTGRES_MAX_OVERFLOW": _count(setting, url, query, "max_overflow", "10"),
            "POSTGRES_LOCK_TIMEOUT": "5",
            # No round trip to check a pooled connection before each use: a
            # broken one fails its operation, which the library runs again on
            # another (tests/reliability/test_outage.py).
            "POSTGRES_PRE_PING": "n",
        }
        if schema:
            env["POSTGRES_SCHEMA"] = schema
        return Storage("postgresql", env, schema=schema or None)
    raise StorageError(
        f"{setting}={url!r}: unsupported scheme {parts.scheme!r}; "
        "use memory://, sqlite:///path or postgresql://user@host:port/db"
    )


def _count(
    setting: str, url: str, query: dict[str, list[str]], name: str, default: str
) -> str:
    value = query.get(name, [default])[0]
    if not (value.isascii() and value.isdigit()):
        raise StorageError(f"{setting}={url!r}: {name} must be a whole number")
    return value


def parse_read_database_url(url: str, primary: Storage) -> Storage:
    """The storage of a PostgreSQL streaming standby of the primary, where the
    read models are read: in the primary's schema unless the URL names it too.
    A StorageError naming the setting for a malformed URL, a database other
    than PostgreSQL, or a primary that is not PostgreSQL (only PostgreSQL
    replicates the read models to a standby)."""
    if primary.kind != "postgresql":
        raise StorageError(
            f"{READ_SETTING} needs a PostgreSQL primary, but {SETTING} "
            f"is a {primary.kind} database; unset {READ_SETTING}"
        )
    standby = parse_database_url(url, READ_SETTING)
    if standby.kind != "postgresql":
        raise StorageError(
            f"{READ_SETTING}={url!r}: a standby must be "
            "postgresql://user@host:port/db, a streaming standby of the primary"
        )
    if standby.schema is None and primary.schema is not None:
        env = {**standby.env, "POSTGRES_SCHEMA": primary.schema}
        return Storage("postgresql", env, schema=primary.schema)
    if standby.schema != primary.schema:
        raise StorageError(
            f"{READ_SETTING}={url!r}: schema must be the primary's "
            f"({primary.schema or 'none'}), which the standby replicates"
        )
    return standby


def open_standby(storage: Storage) -> PostgresDatastore:
    """The connections to the standby a storage names, opened at their first
    use; a StorageError naming the setting if its settings are refused."""
    from eventsourcing.postgres import PostgresFactory

    try:
        return PostgresFactory(storage.env).datastore
    except OSError as error:
        detail = str(error).strip().splitlines()
        raise StorageError(
            f"{READ_SETTING}: {detail[0] if detail else type(error).__name__}"
        ) from None


def prepare(storage: Storage) -> None:
    """Creates what the library does not: a PostgreSQL schema named in the URL."""
    if storage.kind != "postgresql" or not storage.schema:
        return
    import psycopg

    env = storage.env
    try:
        with psycopg.connect(
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=int(env["POSTGRES_PORT"]),
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"] or None,
            connect_timeout=5,
            autocommit=True,
        ) as connection:
            connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{storage.schema}"')
    except psycopg.Error as error:
        detail = str(error).strip().splitlines()
        raise StorageError(
            f"{SETTING}: cannot open the postgresql database: "
            f"{detail[0] if detail else type(error).__name__}"
        ) from None


def open_application(
    storage: Storage,
    clock: Callable[[], datetime] = utc_now,
    extra_env: Mapping[str, str] | None = None,
    write_wait_seconds: float = WRITE_WAIT_SECONDS,
) -> VolunteerPoints:
    """The application on the database the storage names, with this package's
    recorders, transcodings, aggregate cache and retries after a write
    conflict (until ``write_wait_seconds`` have passed); a StorageError, in
    one line naming the setting, if that database cannot be opened.
    ``extra_env`` holds the application's settings."""
    prepare(storage)
    env = {**storage.env, **RECORDERS[storage.kind], **MACHINERY, **(extra_env or {})}
    try:
        app = VolunteerPoints(
            env=env, clock=clock, retries=JitteredBackoff(write_wait_seconds)
        )
    except (PersistenceError, OSError) as error:
        detail = str(error).strip().splitlines()
        raise StorageError(
            f"{SETTING}: cannot open the {storage.kind} database: "
            f"{detail[0] if detail else type(error).__name__}"
        ) from None
    bound_by_memory(app)
    return app

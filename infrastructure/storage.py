"""Maps the one storage setting, a database URL, onto eventsourcing's persistence,
and opens the application there: the one way the application is opened."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, unquote, urlsplit

from eventsourcing.persistence import PersistenceError

from domain.application import VolunteerPoints, utc_now
from infrastructure.caching import bound_by_memory
from infrastructure.retries import JitteredBackoff

SETTING = "VPOINTS_DATABASE_URL"
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


def parse_database_url(url: str) -> Storage:
    """Returns the eventsourcing environment for ``memory://``, ``sqlite:///path``
    or ``postgresql://user:password@host:port/db?schema=name``."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise StorageError(f"{SETTING}={url!r} is not a valid URL: {error}") from None
    if parts.scheme == "memory":
        return Storage("memory", {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    if parts.scheme == "sqlite":
        if parts.netloc or not parts.path.startswith("/") or len(parts.path) < 2:
            raise StorageError(
                f"{SETTING}={url!r}: expected sqlite:///relative/path.db "
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
                f"{SETTING}={url!r}: expected postgresql://user@host:port/database"
            )
        query = parse_qs(parts.query)
        schema = query.get("schema", [""])[0]
        if schema and not schema.isidentifier():
            raise StorageError(f"{SETTING}={url!r}: schema must be an identifier")
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": dbname,
            "POSTGRES_HOST": parts.hostname,
            "POSTGRES_PORT": str(port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_CONNECT_TIMEOUT": _count(url, query, "connect_timeout", "2"),
            "POSTGRES_POOL_SIZE": _count(url, query, "pool_size", "5"),
            "POSTGRES_MAX_OVERFLOW": _count(url, query, "max_overflow", "10"),
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_PRE_PING": "y",
        }
        if schema:
            env["POSTGRES_SCHEMA"] = schema
        return Storage("postgresql", env, schema=schema or None)
    raise StorageError(
        f"{SETTING}={url!r}: unsupported scheme {parts.scheme!r}; "
        "use memory://, sqlite:///path or postgresql://user@host:port/db"
    )


def _count(url: str, query: dict[str, list[str]], name: str, default: str) -> str:
    value = query.get(name, [default])[0]
    if not (value.isascii() and value.isdigit()):
        raise StorageError(f"{SETTING}={url!r}: {name} must be a whole number")
    return value


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
) -> VolunteerPoints:
    """The application on the database the storage names, with this package's
    recorders, transcodings, aggregate cache and retries after a write
    conflict; a StorageError, in one line naming the setting, if that database
    cannot be opened. ``extra_env`` holds the application's settings."""
    prepare(storage)
    env = {**storage.env, **RECORDERS[storage.kind], **MACHINERY, **(extra_env or {})}
    try:
        app = VolunteerPoints(env=env, clock=clock, retries=JitteredBackoff())
    except (PersistenceError, OSError) as error:
        detail = str(error).strip().splitlines()
        raise StorageError(
            f"{SETTING}: cannot open the {storage.kind} database: "
            f"{detail[0] if detail else type(error).__name__}"
        ) from None
    bound_by_memory(app)
    return app

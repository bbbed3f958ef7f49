"""The one storage setting: a database URL mapped onto the library's persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

from infrastructure.storage import (
    SETTING,
    StorageError,
    open_application,
    parse_database_url,
)


def test_memory_url_selects_plain_python_objects() -> None:
    storage = parse_database_url("memory://")

    assert storage.kind == "memory"
    assert storage.env == {"PERSISTENCE_MODULE": "eventsourcing.popo"}


def test_surrounding_spaces_are_ignored() -> None:
    assert parse_database_url("  memory://\n").kind == "memory"


def test_three_slashes_give_a_relative_sqlite_path() -> None:
    storage = parse_database_url("sqlite:///data/vpoints.db")

    assert storage.kind == "sqlite"
    assert storage.path == "data/vpoints.db"
    assert storage.env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert storage.env["SQLITE_DBNAME"] == "data/vpoints.db"


def test_four_slashes_give_an_absolute_sqlite_path() -> None:
    storage = parse_database_url("sqlite:////var/lib/vpoints/vpoints.db")

    assert storage.path == "/var/lib/vpoints/vpoints.db"
    assert storage.env["SQLITE_DBNAME"] == "/var/lib/vpoints/vpoints.db"


def test_escaped_characters_in_a_sqlite_path_are_unquoted() -> None:
    assert parse_database_url("sqlite:///my%20data.db").path == "my data.db"


def test_a_postgresql_url_names_user_host_port_database_and_schema() -> None:
    storage = parse_database_url("postgresql://vp@db.example:6543/points?schema=jd")

    assert storage.kind == "postgresql"
    assert storage.schema == "jd"
    env = storage.env
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert env["POSTGRES_USER"] == "vp"
    assert env["POSTGRES_HOST"] == "db.example"
    assert env["POSTGRES_PORT"] == "6543"
    assert env["POSTGRES_DBNAME"] == "points"
    assert env["POSTGRES_SCHEMA"] == "jd"


def test_postgresql_defaults_to_port_5432_user_postgres_and_no_schema() -> None:
    storage = parse_database_url("postgres://localhost/points")

    assert storage.env["POSTGRES_PORT"] == "5432"
    assert storage.env["POSTGRES_USER"] == "postgres"
    assert storage.env["POSTGRES_PASSWORD"] == ""
    assert storage.schema is None
    assert "POSTGRES_SCHEMA" not in storage.env


def test_an_escaped_postgresql_password_is_unquoted() -> None:
    storage = parse_database_url("postgresql://vp:p%40ss@localhost/points")

    assert storage.env["POSTGRES_PASSWORD"] == "p@ss"


def test_postgresql_pool_sizes_come_from_the_query() -> None:
    storage = parse_database_url(
        "postgresql://localhost/points?pool_size=2&max_overflow=0"
    )

    assert storage.env["POSTGRES_POOL_SIZE"] == "2"
    assert storage.env["POSTGRES_MAX_OVERFLOW"] == "0"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "vpoints.db",
        "mysql://localhost/points",
        "http://[::1",
        "sqlite://vpoints.db",
        "sqlite:///",
        "sqlite:",
        "postgresql:///points",
        "postgresql://localhost/",
        "postgresql://localhost:notaport/points",
        "postgresql://localhost:99999/points",
        "postgresql://localhost/points?schema=drop-table",
        "postgresql://localhost/points?schema=a;b",
        "postgresql://localhost/points?pool_size=many",
        "postgresql://localhost/points?max_overflow=-3",
    ],
)
def test_malformed_or_unsupported_urls_raise_a_one_line_storage_error(
    url: str,
) -> None:
    with pytest.raises(StorageError) as raised:
        parse_database_url(url)

    message = str(raised.value)
    assert SETTING in message
    assert "\n" not in message


def test_an_unopenable_sqlite_file_raises_a_storage_error(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "vpoints.db"

    with pytest.raises(StorageError) as raised:
        open_application(parse_database_url(f"sqlite:///{missing}"))

    assert SETTING in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:1/test?schema=vp",
        "postgresql://postgres@127.0.0.1:1/test",
    ],
    ids=["with-schema", "without-schema"],
)
def test_an_unreachable_postgresql_raises_a_storage_error_naming_the_setting(
    url: str,
) -> None:
    with pytest.raises(StorageError) as raised:
        open_application(parse_database_url(url))

    message = str(raised.value)
    assert message.startswith(SETTING)
    assert "postgresql" in message
    assert "\n" not in message
    assert raised.value.__suppress_context__

"""The standby setting: VPOINTS_READ_DATABASE_URL, a PostgreSQL streaming
standby of a PostgreSQL primary, refused in one line naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import cli
from api.settings import Settings
from api.system import System
from infrastructure.storage import (
    READ_SETTING,
    StorageError,
    parse_database_url,
    parse_read_database_url,
)

PRIMARY = parse_database_url("postgresql://vp@primary.example/points")


def test_a_standby_url_names_the_standby_in_the_primarys_schema() -> None:
    primary = parse_database_url("postgresql://vp@primary.example/points?schema=jd")

    standby = parse_read_database_url(
        "postgresql://reader@standby.example:6432/points?pool_size=20", primary
    )

    assert standby.kind == "postgresql"
    assert standby.schema == "jd"
    assert standby.env["POSTGRES_SCHEMA"] == "jd"
    assert standby.env["POSTGRES_HOST"] == "standby.example"
    assert standby.env["POSTGRES_PORT"] == "6432"
    assert standby.env["POSTGRES_USER"] == "reader"
    assert standby.env["POSTGRES_POOL_SIZE"] == "20"


def test_a_standby_url_may_name_the_primarys_schema_itself() -> None:
    primary = parse_database_url("postgresql://vp@primary.example/points?schema=jd")

    standby = parse_read_database_url(
        "postgresql://vp@standby.example/points?schema=jd", primary
    )

    assert standby.schema == "jd"


@pytest.mark.parametrize(
    "url",
    [
        "standby.example",
        "postgresql://standby.example/",
        "postgresql://standby.example:notaport/points",
        "postgresql://standby.example/points?pool_size=many",
        "sqlite:///standby.db",
        "memory://",
        "mysql://standby.example/points",
        "postgresql://standby.example/points?schema=other",
    ],
)
def test_a_malformed_or_foreign_standby_url_is_refused_in_one_line(url: str) -> None:
    with pytest.raises(StorageError) as raised:
        parse_read_database_url(url, PRIMARY)

    message = str(raised.value)
    assert message.startswith(READ_SETTING)
    assert "\n" not in message


@pytest.mark.parametrize("primary", ["memory://", "sqlite:///vpoints.db"])
def test_a_standby_is_refused_beside_a_primary_that_is_not_postgresql(
    primary: str,
) -> None:
    with pytest.raises(StorageError) as raised:
        parse_read_database_url(
            "postgresql://standby.example/points", parse_database_url(primary)
        )

    message = str(raised.value)
    assert message.startswith(READ_SETTING)
    assert "PostgreSQL" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("primary", "standby"),
    [
        ("sqlite:///{tmp}/vpoints.db", "postgresql://127.0.0.1:1/points"),
        ("postgresql://127.0.0.1:1/points", "sqlite:///{tmp}/standby.db"),
        ("postgresql://127.0.0.1:1/points", "postgresql://127.0.0.1:1/"),
    ],
    ids=["sqlite-primary", "sqlite-standby", "no-database"],
)
def test_the_command_stops_with_one_line_naming_the_setting_before_opening_anything(
    tmp_path: Path, primary: str, standby: str
) -> None:
    env = {
        "VPOINTS_DATABASE_URL": primary.format(tmp=tmp_path),
        READ_SETTING: standby.format(tmp=tmp_path),
    }

    result = CliRunner().invoke(cli, ["demo"], env=env)

    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"vpoints: {READ_SETTING}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.parametrize(
    "standby",
    ["postgresql://postgres@127.0.0.1:1/test", "{primary}"],
    ids=["unreachable", "without-the-read-models"],
)
def test_a_standby_without_the_read_models_stops_the_system_in_one_line(
    database_url: str, standby: str
) -> None:
    # The primary's own server, in another database: no read models there.
    primary = database_url.split("?")[0].rsplit("/", 1)[0] + "/postgres"
    settings = Settings(
        database_url=database_url,
        read_database_url=standby.format(primary=primary),
        read_wait_seconds=0,
    )

    with pytest.raises(StorageError) as raised:
        System(settings)

    message = str(raised.value)
    assert message.startswith(f"{READ_SETTING}: cannot read the read models")
    assert "\n" not in message

"""Moving house (DESIGN, evolution and audit): the log to a portable file and
back, and from SQLite to PostgreSQL with one command, with the same chain head
and the same figures; a file that is truncated, reordered, of an unknown
version or whose chain does not verify is refused before anything is
imported, and so is a target that already holds events."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import cli
from domain.application import VolunteerPoints
from infrastructure.digest import chained_recorder
from infrastructure.log_file import (
    LogFileError,
    check_log_file,
    copy_entries,
    export_log,
    importing,
    read_log,
)
from infrastructure.storage import open_application, parse_database_url
from tests.audit.test_hash_chain import some_history
from tests.conftest import Clock, drop_postgres_schema, postgres_test_url

SHARED = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))


def exported(app: VolunteerPoints, tmp_path: Path, name: str = "log.jsonl") -> Path:
    path = tmp_path / name
    export_log(chained_recorder(app), path)
    return path


@pytest.mark.parametrize("name", ["log.jsonl", "log.jsonl.gz"])
@pytest.mark.parametrize("database_url", SHARED, indirect=True)
def test_a_log_exported_and_imported_has_the_same_events_and_chain(
    app: VolunteerPoints, tmp_path: Path, clock: Clock, name: str
) -> None:
    some_history(app)
    path = exported(app, tmp_path, name)
    assert check_log_file(path) == app.position()
    target = open_application(
        parse_database_url(f"sqlite:///{tmp_path / 'target.db'}"), clock=clock
    )
    try:
        copy_entries(read_log(path), importing(target.recorder))
        assert (
            chained_recorder(target).chain_head() == chained_recorder(app).chain_head()
        )
        source_events = app.recorder.select_notifications(1, 1000)
        target_events = target.recorder.select_notifications(1, 1000)
        assert [(n.id, n.topic, n.state) for n in target_events] == [
            (n.id, n.topic, n.state) for n in source_events
        ]
        # The aggregates read back as they were written.
        member_id = source_events[-1].originator_id
        assert (
            target.repository.get(member_id).__dict__
            == app.repository.get(member_id).__dict__
        )
    finally:
        target.close()


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


BAD_FILES: dict[str, Callable[[list[str]], list[str]]] = {
    "truncated": lambda lines: lines[:-1],
    "cut mid-way": lambda lines: lines[: len(lines) // 2],
    "reordered": lambda lines: [lines[0], lines[2], lines[1], *lines[3:]],
    "unknown version": lambda lines: [
        json.dumps(json.loads(lines[0]) | {"version": 99}) + "\n",
        *lines[1:],
    ],
    "chain broken": lambda lines: [
        *lines[:3],
        json.dumps(json.loads(lines[3]) | {"topic": "domain.member:Member.Moved"})
        + "\n",
        *lines[4:],
    ],
    "not a log": lambda lines: ["姓名,手机号\n", "张伟,13800138000\n"],
    "empty": lambda lines: [],
    "line after the end": lambda lines: [*lines, lines[1]],
}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_log_file_is_refused_before_anything_is_imported(
    app: VolunteerPoints, tmp_path: Path, kind: str
) -> None:
    some_history(app)
    path = exported(app, tmp_path)
    path.write_text("".join(BAD_FILES[kind](lines_of(path))), encoding="utf-8")
    runner = CliRunner()
    target = f"sqlite:///{tmp_path / 'target.db'}"
    result = runner.invoke(
        cli, ["log", "import", str(path)], env={"VPOINTS_DATABASE_URL": target}
    )
    assert result.exit_code == 2, result.output
    with pytest.raises(LogFileError):
        check_log_file(path)
    opened = open_application(parse_database_url(target))
    try:
        assert opened.position() == 0
    finally:
        opened.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_compressed_file_cut_short_is_refused(
    app: VolunteerPoints, tmp_path: Path
) -> None:
    some_history(app)
    path = exported(app, tmp_path, "log.jsonl.gz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(LogFileError):
        check_log_file(path)
    assert gzip.decompress(exported(app, tmp_path, "again.gz").read_bytes())


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_log_is_imported_only_into_an_empty_database(
    app: VolunteerPoints, tmp_path: Path
) -> None:
    some_history(app)
    path = exported(app, tmp_path)
    before = app.position()
    with pytest.raises(LogFileError, match="already holds events"):
        copy_entries(read_log(path), importing(app.recorder))
    assert app.position() == before


@pytest.mark.postgres
def test_migrate_moves_a_sqlite_district_to_postgresql_with_the_same_figures(
    tmp_path: Path,
) -> None:
    source_url = f"sqlite:///{tmp_path / 'district.db'}"
    source = open_application(parse_database_url(source_url))
    try:
        some_history(source)
        head = chained_recorder(source).chain_head()
    finally:
        source.close()
    target_url = postgres_test_url()
    runner = CliRunner()
    env = {"VPOINTS_DATABASE_URL": source_url}
    try:
        result = runner.invoke(cli, ["migrate", "--to", target_url], env=env)
        assert result.exit_code == 0, result.output
        assert f"copied {head[0]} events" in result.output
        assert f"chain head the same: {head[1].hex()}" in result.output
        assert "figures the same" in result.output
        again = runner.invoke(cli, ["migrate", "--to", target_url], env=env)
        assert again.exit_code == 2
        assert "already holds events" in again.output
    finally:
        drop_postgres_schema(target_url)

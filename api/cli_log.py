"""``vpoints audit verify``, ``vpoints log export|import``, ``vpoints migrate``
and ``vpoints backup``: the record checked, moved to a file and back, moved to
another database, or copied while it is served."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli_common import fail, open_system, settings_or_exit
from domain.application import VolunteerPoints
from domain.dates import figure_date
from infrastructure.backup import BackupError, backup_sqlite
from infrastructure.chain import verify
from infrastructure.digest import chained_recorder
from infrastructure.log_file import (
    LogFileError,
    check_log_file,
    copy_entries,
    entries_of,
    export_log,
    importing,
    read_log,
)
from infrastructure.storage import StorageError, open_application, parse_database_url
from projections.queries import Queries
from projections.runner import Projector

audit_cli = typer.Typer(help="The hash chain over the event log.")
log_cli = typer.Typer(help="The event log as a portable file.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Walk the log and its hash chain; name the first position changed, deleted
    or inserted behind the application's back (exit code 1)."""
    system = open_system(settings_or_exit(), run_projector=False)
    try:
        recorder = chained_recorder(system.app)
        with typer.progressbar(
            length=recorder.chain_head()[0], label="checking"
        ) as bar:
            verdict = verify(recorder, bar.update)
    finally:
        system.close()
    if not verdict.ok:
        typer.secho(
            f"vpoints: the hash chain breaks at position "
            f"{verdict.first_broken_position} ({verdict.checked} events checked "
            "before it)",
            err=True,
            fg=typer.colors.RED,
        )
        raise typer.Exit(1)
    typer.echo(
        f"ok: {verdict.checked} events, head at position {verdict.head_position}: "
        f"{verdict.head_digest}"
    )


@log_cli.command("export")
def log_export(
    file: Annotated[Path, typer.Argument(help="The file to write (.gz: compressed).")],
) -> None:
    """Write the whole event log, with its hash chain, to a portable file."""
    system = open_system(settings_or_exit(), run_projector=False)
    try:
        recorder = chained_recorder(system.app)
        last, head = recorder.chain_head()
        with typer.progressbar(length=last, label="exporting") as bar:
            count = export_log(recorder, file, bar.update)
    except LogFileError as error:
        raise fail(str(error)) from None
    except OSError as error:
        raise fail(f"cannot write {file}: {error.strerror}") from None
    finally:
        system.close()
    typer.echo(f"exported {count} events to {file}; head {head.hex()}")


@log_cli.command("import")
def log_import(
    file: Annotated[
        Path, typer.Argument(help="A file written by `vpoints log export`.")
    ],
) -> None:
    """Import a log file into an empty database: the whole file is checked
    first (format, version, order, every digest, its end), then imported."""
    settings = settings_or_exit()
    system = open_system(settings, run_projector=False)
    try:
        target = importing(system.app.recorder)
        with typer.progressbar(length=0, label="checking the file") as bar:
            count = check_log_file(file, bar.update)
        with typer.progressbar(length=count, label="importing") as bar:
            copy_entries(read_log(file, bar.update), target)
        position, head = target.chain_head()
    except LogFileError as error:
        raise fail(str(error)) from None
    finally:
        system.close()
    typer.echo(f"imported {count} events; head at position {position}: {head.hex()}")
    typer.echo("the read models are projected when the service next starts")


def backup(
    file: Annotated[
        Path, typer.Argument(help="The copy to write (an SQLite database file).")
    ],
    force: Annotated[bool, typer.Option(help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Copy a running SQLite deployment (event log, hash chain and read models
    at one position) to FILE without stopping its writers; restoring is
    copying FILE back while the service is stopped."""
    storage = parse_database_url(settings_or_exit().database_url)
    if storage.kind == "postgresql":
        raise fail(
            "backup copies SQLite deployments: back up PostgreSQL with pg_dump "
            "or pg_basebackup (README, Backups)"
        )
    if storage.path is None:
        raise fail("backup copies SQLite deployments: memory:// keeps nothing to copy")
    try:
        copied = backup_sqlite(storage.path, file, overwrite=force)
    except BackupError as error:
        raise fail(str(error)) from None
    typer.echo(
        f"copied to {file}: the log and its chain at position {copied.position} "
        f"({copied.head_digest}), the read models at {copied.projected}"
    )


def figures_of(queries: Queries, today: date) -> Iterator[tuple[str, Any]]:
    """Every figure of every scope, for every year activities were held in and
    this one, each with what names it."""
    years = sorted({*queries.years_held(), today.year})
    for scope, scope_id in queries.every_scope():
        for year in years:
            on = figure_date(year, None, today)
            yield (
                f"{scope} {scope_id or ''} {year}",
                queries.stats(scope, scope_id, year, on),
            )


def projected(app: VolunteerPoints, label: str) -> Queries:
    projector = Projector(app)
    with typer.progressbar(length=app.position(), label=label) as bar:
        projector.catch_up(progress=bar.update)
    return Queries(projector.view, sealer=projector.sealer)


def migrate(
    to: Annotated[
        str, typer.Option(help="The database to move to (an empty one), as a URL.")
    ],
) -> None:
    """Copy the event log from VPOINTS_DATABASE_URL to an empty database,
    project the read models there, and compare every figure and the chain's
    head with the source (exit code 1 when they differ)."""
    settings = settings_or_exit()
    source = open_system(settings, run_projector=False)
    try:
        try:
            target_app = open_application(
                parse_database_url(to), extra_env=source_cipher(source.app)
            )
        except StorageError as error:
            raise fail(str(error).replace("VPOINTS_DATABASE_URL", "--to")) from None
        try:
            report = move(source.app, target_app)
        except LogFileError as error:
            raise fail(str(error)) from None
        finally:
            target_app.close()
    finally:
        source.close()
    for line in report.lines:
        typer.echo(line)
    if not report.same:
        raise typer.Exit(1)


def source_cipher(app: VolunteerPoints) -> dict[str, str]:
    """The source's cipher settings, so that the target reads what it stores."""
    env = app.env
    keys = ("CIPHER_TOPIC", "CIPHER_KEY", "COMPRESSOR_TOPIC")
    return {k: env[k] for k in keys if env.get(k)}


class Moved:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.same = True


def move(source: VolunteerPoints, target: VolunteerPoints) -> Moved:
    report = Moved()
    recorder, into = chained_recorder(source), importing(target.recorder)
    if (into.max_notification_id() or 0) != 0:
        raise LogFileError("the target database already holds events: refused")
    with typer.progressbar(length=recorder.chain_head()[0], label="checking") as bar:
        verdict = verify(recorder, bar.update)
    if not verdict.ok:
        raise LogFileError(
            f"the source's hash chain breaks at position "
            f"{verdict.first_broken_position}: nothing copied"
        )
    with typer.progressbar(length=verdict.head_position, label="copying") as bar:
        count = copy_entries(entries_of(recorder, bar.update), into)
    before, after = recorder.chain_head(), into.chain_head()
    report.lines.append(f"copied {count} events")
    if before == after:
        report.lines.append(f"chain head the same: {after[1].hex()} at {after[0]}")
    else:
        report.same = False
        report.lines.append(f"chain heads differ: {before[1].hex()} / {after[1].hex()}")
    today = source.today()
    mine = dict(figures_of(projected(source, "projecting the source"), today))
    theirs = dict(figures_of(projected(target, "projecting the target"), today))
    differing = sorted(
        k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k)
    )
    if differing:
        report.same = False
        report.lines += [f"figures differ: {k}" for k in differing]
    else:
        report.lines.append(f"figures the same: {len(mine)} scope-years compared")
    return report

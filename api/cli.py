"""The ``vpoints`` command: serve the API, run projection workers, manage tokens."""

from __future__ import annotations

import base64
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from api.cli_common import fail, open_system, settings_or_exit
from api.cli_log import audit_cli, backup, log_cli, migrate
from api.services import rosters, tokens
from api.sheets import FileRefused, read_sheet
from api.system import System
from domain.errors import DomainError
from infrastructure.storage import StorageError
from projections.stalls import ProjectionStalled

cli = typer.Typer(
    help="志愿积分 volunteer-points: event-sourced points for community volunteering.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
projections_cli = typer.Typer(help="Read models: rebuild them from the event log.")
token_cli = typer.Typer(help="Bearer tokens for the API.")
cli.add_typer(projections_cli, name="projections")
cli.add_typer(token_cli, name="token")
import_cli = typer.Typer(help="Organisers' files: rosters (花名册).")
cli.add_typer(import_cli, name="import")

log = logging.getLogger("vpoints")
cli.add_typer(audit_cli, name="audit")
cli.add_typer(log_cli, name="log")
cli.command()(migrate)
cli.command()(backup)


def load_demo_once(system: System, base_url: str) -> None:
    """Loads the demo districts into an empty database, then names each
    district with the address of its figures, and prints an admin token."""
    from api.demo import load_demo

    if system.app.position() > 0:
        typer.echo("数据库中已有事件，演示数据不再重复载入。")
    else:
        started = time.monotonic()
        summary = load_demo(
            system.app, progress=lambda stage: typer.echo(f"  载入{stage}…")
        )
        typer.echo(
            f"演示数据已载入：{len(summary.districts)} 个区县，"
            f"{summary.communities} 个社区，{summary.teams} 支服务队，"
            f"{summary.members} 名志愿者，{summary.activities} 场活动"
            f"（{time.monotonic() - started:.1f} 秒）"
        )
    system.projector.catch_up()
    for district in system.command_queries.districts(500, None)["items"]:
        typer.echo(
            f"  {district['name']}  {base_url}/v1/districts/{district['id']}/stats"
        )
    secret = tokens.admin_token(system, "vpoints serve --demo")
    typer.echo(f"管理员令牌 (admin token): {secret}")
    member = tokens.a_member_to_try(system)
    if member is not None:
        name, phone = member
        typer.echo(
            f"志愿者登录试用：{base_url}/console/signin ，{name}的手机号 {phone}"
            "（未设置 VPOINTS_SMS_WEBHOOK_URL，验证码写在本服务的日志里）"
        )


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    demo: Annotated[bool, typer.Option(help="Load the demo districts first.")] = False,
    projector: Annotated[
        bool, typer.Option(help="Run the projections in this process.")
    ] = True,
) -> None:
    """Serve the HTTP API (uvicorn); with --demo, load the demo districts first."""
    import uvicorn

    from api.main import create_app

    settings = settings_or_exit()
    system = open_system(settings, run_projector=projector)
    if demo:
        load_demo_once(system, f"http://{host}:{port}")
    app = create_app(settings, system)
    typer.echo(f"API:  http://{host}:{port}/v1/stats")
    typer.echo(f"文档 (docs): http://{host}:{port}/docs")
    try:
        uvicorn.run(app, host=host, port=port, log_config=None, access_log=False)
    finally:
        system.close()


@cli.command()
def demo() -> None:
    """Load the demo districts into the database (once) and print an admin token."""
    settings = settings_or_exit()
    system = open_system(settings)
    try:
        load_demo_once(system, "http://127.0.0.1:8000")
    finally:
        system.close()


def stalled(error: ProjectionStalled) -> typer.Exit:
    stall = error.stall
    return fail(
        f"projection {stall.projection} stopped at the event at position "
        f"{stall.position}, which it cannot apply: {stall.error}"
    )


@cli.command()
def project() -> None:
    """Run the projection worker in the foreground until stopped (Ctrl-C, SIGTERM).
    At an event it cannot apply it logs the position and the error, and keeps
    trying that event every 30 seconds: it never skips one."""
    settings = settings_or_exit()
    system = open_system(settings, run_projector=False)
    signal.signal(signal.SIGTERM, lambda *_: system.projector.stop_soon())
    typer.echo(f"projecting from position {system.projector.position}")
    try:
        system.projector.run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        system.close()
    stall = system.projector.stall
    typer.echo(
        f"stopped at position {system.projector.position}"
        + (f", before the event at {stall.position}: {stall.error}" if stall else "")
    )


@projections_cli.command("rebuild")
def rebuild() -> None:
    """Drop every read model and replay the whole event log into it."""
    settings = settings_or_exit()
    system = open_system(settings, run_projector=False)
    try:
        total = system.app.position()
        system.projector.rebuild_start()
        with typer.progressbar(length=total, label="replaying events") as bar:
            count = system.projector.catch_up(progress=bar.update)
        typer.echo(
            f"rebuilt from {count} events (position {system.projector.position})"
        )
    except ProjectionStalled as error:
        raise stalled(error) from None
    finally:
        system.close()


@token_cli.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="admin, organizer or member.")],
    community_id: Annotated[
        list[str] | None, typer.Option(help="Community in an organizer's scope.")
    ] = None,
    team_id: Annotated[
        list[str] | None, typer.Option(help="Team in an organizer's scope.")
    ] = None,
    member_id: Annotated[
        str | None, typer.Option(help="A member token's member.")
    ] = None,
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    district_id: Annotated[
        list[str] | None, typer.Option(help="District in an organizer's scope.")
    ] = None,
    street_id: Annotated[
        list[str] | None, typer.Option(help="Street in an organizer's scope.")
    ] = None,
) -> None:
    """Issue a token and print it once; only its hash is stored."""
    settings = settings_or_exit()
    try:
        communities = [UUID(c) for c in community_id or []]
        teams = [UUID(t) for t in team_id or []]
        member = UUID(member_id) if member_id else None
        districts = [UUID(d) for d in district_id or []]
        streets = [UUID(s) for s in street_id or []]
    except ValueError:
        raise fail("ids must be UUIDs") from None
    system = open_system(settings, run_projector=False)
    secret = tokens.new_secret()
    try:
        written = system.app.issue_token(
            secret,
            role,
            "cli",
            communities,
            teams,
            member,
            label,
            district_ids=districts,
            street_ids=streets,
        )
    except DomainError as error:
        raise fail(error.message) from None
    finally:
        system.close()
    typer.echo(f"token: {secret}")
    typer.echo(f"id:    {written.id}")


def catch_up_alongside_others(system: System) -> None:
    """Brings the read models to the end of the log, while a server or worker
    may be projecting the same pages: a page another one wrote first is read
    again from where that one left it."""
    from projections.view import PageConflict

    for _ in range(100):
        try:
            system.projector.catch_up()
            return
        except PageConflict:
            time.sleep(0.05)
        except ProjectionStalled as error:
            raise stalled(error) from None
    raise fail("the read models could not be brought up to date; try again")


@import_cli.command("members")
def import_members(
    file: Annotated[
        Path, typer.Argument(help="A CSV, XLSX or XLS roster.", dir_okay=False)
    ],
    community_id: Annotated[
        str, typer.Option(help="The community the members register with.")
    ],
    dry_run: Annotated[bool, typer.Option(help="Check only; record nothing.")] = False,
) -> None:
    """Register a roster's members (姓名, 手机号, 网格, 政治面貌, 单位, 登记日期):
    every row is checked first, and any wrong row records nothing."""
    settings = settings_or_exit()
    try:
        community = UUID(community_id)
    except ValueError:
        raise fail("--community-id must be a UUID") from None
    try:
        content = file.read_bytes()
    except OSError as error:
        raise fail(f"cannot read {file}: {error.strerror}") from None
    system = open_system(settings, run_projector=False)
    try:
        catch_up_alongside_others(system)
        sheet = read_sheet(content, rosters.ROSTER)
        with typer.progressbar(length=len(sheet.rows), label="checking rows") as bar:
            result = rosters.import_members(
                system, community, sheet, "cli", dry_run, progress=bar.update
            )
    except FileRefused as refused:
        typer.secho(f"vpoints: {refused.message}", err=True, fg=typer.colors.RED)
        for cell in refused.cells:
            typer.echo(f"第 {cell.row} 行 [{cell.column}] {cell.code}: {cell.message}")
        raise typer.Exit(1) from None
    except DomainError as error:
        typer.secho(f"vpoints: {error.message}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    finally:
        system.close()
    typer.echo(
        f"rows: {result.rows}, created: {result.created}, "
        f"unchanged: {result.unchanged}, position: {result.position}"
        + (" (dry run: nothing recorded)" if dry_run else "")
    )
    ignored = "、".join(sheet.ignored_columns) or "none"
    typer.echo(f"header row: {sheet.header_row}, ignored columns: {ignored}")


@cli.command()
def key() -> None:
    """Print a new random AES key for VPOINTS_CIPHER_KEY."""
    typer.echo(base64.b64encode(os.urandom(32)).decode())


def main() -> None:
    try:
        cli()
    except StorageError as error:
        typer.secho(f"vpoints: {error}", err=True, fg=typer.colors.RED)
        sys.exit(2)


if __name__ == "__main__":
    main()

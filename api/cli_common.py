"""What every ``vpoints`` command needs: settings, the system, one-line failures."""

from __future__ import annotations

import typer

from api.logs import configure_logging
from api.settings import Settings
from api.system import System
from infrastructure.storage import StorageError


def fail(message: str) -> typer.Exit:
    typer.secho(f"vpoints: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(2)


def open_system(settings: Settings, *, run_projector: bool = True) -> System:
    try:
        return System(settings, run_projector=run_projector)
    except StorageError as error:
        raise fail(str(error)) from None


def settings_or_exit() -> Settings:
    try:
        settings = Settings()
    except ValueError as error:
        raise fail(f"invalid setting: {error}".splitlines()[0]) from None
    configure_logging(settings.log_level)
    return settings

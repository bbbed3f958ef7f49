"""Telling an event the projection cannot apply from a database it cannot reach.

A database problem passes: the page is tried again with a back-off. A full
disk is one too, and stalls the projection (``/healthz`` says so) until space
is freed and the page applies. Anything
else raised while decoding an event or by a read model's handler is the event's
own, and will be raised again each time the event is applied, so the projection
stops at it rather than skip it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import psycopg
import psycopg_pool
from eventsourcing.persistence import PersistenceError

from infrastructure.outages import is_disk_full
from projections.view import PageConflict

PROJECTION = "read_models"
ERROR_TEXT_LIMIT = 500

DATABASE_PROBLEMS: tuple[type[BaseException], ...] = (
    PersistenceError,
    sqlite3.Error,
    psycopg.Error,
    psycopg_pool.PoolTimeout,
    ConnectionError,
    TimeoutError,
    PageConflict,
)


def is_database_problem(error: BaseException) -> bool:
    return isinstance(error, DATABASE_PROBLEMS) or is_disk_full(error)


def error_text(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}"
    if len(text) > ERROR_TEXT_LIMIT:
        text = text[: ERROR_TEXT_LIMIT - 1] + "…"
    return text


@dataclass(frozen=True)
class Stall:
    """Where a projection stopped: the position of the event it cannot apply,
    and why, as text."""

    position: int
    error: str
    projection: str = PROJECTION


class EventNotApplied(Exception):
    """Raised when the event at ``position`` cannot be decoded or applied."""

    def __init__(self, position: int, cause: BaseException) -> None:
        super().__init__(f"event {position}: {error_text(cause)}")
        self.position = position
        self.cause = cause


class ProjectionStalled(Exception):
    """Raised when the projection stands before an event it cannot apply, so
    that nothing from that event on can be read."""

    def __init__(self, stall: Stall) -> None:
        super().__init__(f"position {stall.position}: {stall.error}")
        self.stall = stall

"""Wires the application, the projection and its queries from the settings."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from api.principals import Principals
from api.settings import Settings
from domain.application import utc_now
from infrastructure.storage import StorageError, open_application, parse_database_url
from projections.async_reads import AsyncReads
from projections.queries import Queries
from projections.runner import Projector
from projections.sql import Plan
from projections.stalls import PROJECTION

log = logging.getLogger("vpoints")
T = TypeVar("T")

# As many as the thread pool FastAPI runs blocking routes in.
WORKERS = 40


class NotCaughtUp(Exception):
    """Raised when the read models did not reach a position in time."""


class UnknownPosition(Exception):
    """Raised when a client asks for a position beyond the end of the event log."""


def cipher_env(settings: Settings) -> dict[str, str]:
    if settings.cipher_key is None:
        log.warning(
            "VPOINTS_CIPHER_KEY is not set: names and phone numbers are stored "
            "unencrypted (PIPL requires protecting personal data at rest)"
        )
        return {}
    key = settings.cipher_key.get_secret_value()
    try:
        size = len(base64.b64decode(key, validate=True))
    except (binascii.Error, ValueError):
        size = 0
    if size not in (16, 24, 32):
        raise StorageError(
            "VPOINTS_CIPHER_KEY must be a base64-encoded AES key of 16, 24 or 32 "
            "bytes (make one with: vpoints key)"
        )
    return {"CIPHER_TOPIC": "eventsourcing.cipher:AESCipher", "CIPHER_KEY": key}


class System:
    """The running parts of one process: application, projector, queries."""

    def __init__(
        self,
        settings: Settings,
        *,
        run_projector: bool = True,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        storage = parse_database_url(settings.database_url)
        env = {
            "AGGREGATE_CACHE_MAXSIZE": str(settings.aggregate_cache_size),
            "AGGREGATE_CACHE_MB": str(settings.cache_mb),
            "POINTS_VALID_YEARS": str(settings.points_valid_years),
        }
        env |= cipher_env(settings)
        self.app = open_application(storage, clock=clock, extra_env=env)
        self.projector = Projector(self.app)
        self.queries = Queries(
            self.projector.view, settings.star_thresholds, self.projector.sealer
        )
        self.run_projector = run_projector
        self.reads_inline = storage.kind == "sqlite"
        self.workers = ThreadPoolExecutor(WORKERS, thread_name_prefix="vpoints")
        self.async_reads = AsyncReads.of(self.projector.view)
        self.async_reads_open = False
        self.principals = Principals(self.app, settings.admin_token)
        self.principals.follows = not run_projector
        self.app.listeners.append(self.principals.saved)
        self.projector.observers.append(self.principals.moved)

    async def read(self, query: Callable[..., T], *args: Any) -> T:
        """Runs a read: inline on SQLite, whose reads are short and local, and in
        a worker thread on PostgreSQL, whose reads wait on the network."""
        if self.reads_inline:
            return query(*args)
        return await self.in_worker(query, *args)

    async def read_plan(self, plan: Plan[T]) -> T:
        """Runs a read's plan: inline on SQLite; on PostgreSQL on a connection
        of the asynchronous pool once ``open_reads`` opened it, else in a
        worker thread."""
        if self.reads_inline:
            return self.projector.view.run(plan)
        if self.async_reads is not None and self.async_reads_open:
            return await self.async_reads.run(plan)
        return await self.in_worker(self.projector.view.run, plan)

    async def open_reads(self) -> None:
        """Opens the asynchronous reads (PostgreSQL), on the running event loop."""
        if self.async_reads is not None and not self.async_reads_open:
            await self.async_reads.open()
            self.async_reads_open = True

    async def close_reads(self) -> None:
        if self.async_reads is not None and self.async_reads_open:
            self.async_reads_open = False
            await self.async_reads.close()

    async def in_worker(self, call: Callable[..., T], *args: Any) -> T:
        """Runs a call that waits (a command's commit, a read over the
        network) in one of this process's worker threads."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.workers, partial(call, *args))

    def start(self) -> None:
        if self.run_projector:
            self.projector.start()

    def close(self) -> None:
        self.projector.stop()
        self.workers.shutdown(wait=False)
        self.app.close()

    def projection_position(self) -> int:
        """How far the read models reflect the event log: this process's
        projector's position, or, when a worker projects, the one it recorded."""
        if self.run_projector:
            return self.projector.position
        return self.projector.view.position()

    def health(self) -> dict[str, Any]:
        """How far the read models are behind the event log, and whether the
        projection stopped at an event it cannot apply. A process whose
        projections run in a worker sees only the worker's tracking position,
        not a stall (the worker logs that)."""
        health: dict[str, Any] = {
            "status": "ok",
            "position": self.app.position(),
            "projection": PROJECTION,
        }
        if not self.run_projector:
            tracked = self.projection_position()
            return health | {"projected": tracked, "projector": "worker"}
        health |= {"projected": self.projector.position, "projector": "in_process"}
        stall = self.projector.stall
        if stall is not None:
            health |= {
                "status": "stalled",
                "stalled_at": stall.position,
                "error": stall.error,
            }
        return health

    def wait_for(self, min_position: int | None) -> None:
        """Returns once the read models reflect ``min_position``. Raises
        ProjectionStalled if the projection stopped at or before it."""
        if not min_position:
            return
        if min_position > self.app.position():
            raise UnknownPosition(min_position)
        if not self.projector.wait_for(min_position, self.settings.read_wait_seconds):
            raise NotCaughtUp(min_position)

    def catch_up_to_now(self) -> None:
        """Waits until the read models reflect every event recorded so far."""
        position = self.app.position()
        if not self.projector.wait_for(position, self.settings.read_wait_seconds):
            raise NotCaughtUp(position)

    def projected(self, query: Callable[..., T | None], *args: Any) -> T | None:
        """The read model's record of something the event log already has: if
        the projection has not got there yet, waits for it once."""
        record = query(*args)
        if record is None:
            self.catch_up_to_now()
            record = query(*args)
        return record

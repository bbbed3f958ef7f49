"""Wires the application, the projection and its queries from the settings:
the reads on the primary, or on a streaming standby when one is named."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import time
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore

from api.checkin_codes import CheckinCodes
from api.oidc import IdentityProvider
from api.principals import Principals
from api.sessions import SessionKeys
from api.settings import Settings
from api.sms import CodeSender
from api.wechat import WeChat
from domain.application import utc_now
from infrastructure.chain import ChainVerifier
from infrastructure.digest import chained_recorder
from infrastructure.outages import Pool, watch
from infrastructure.request_turns import request_turns
from infrastructure.single_flight import SingleFlight
from infrastructure.storage import (
    Storage,
    StorageError,
    open_application,
    open_standby,
    parse_database_url,
    parse_read_database_url,
)
from projections.async_reads import AsyncReads
from projections.queries import Queries
from projections.runner import Projector
from projections.sql import Plan
from projections.stalls import PROJECTION
from projections.standby import Standby

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
    """The running parts of one process: application, projector, queries.

    ``queries`` answer the reads: on the standby that VPOINTS_READ_DATABASE_URL
    names, else on the primary. ``command_queries`` are what a command decides
    on, always the primary's, caught up with the log it records into."""

    def __init__(
        self,
        settings: Settings,
        *,
        run_projector: bool = True,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        storage = parse_database_url(settings.database_url)
        read_storage = None
        if settings.read_database_url:
            read_storage = parse_read_database_url(settings.read_database_url, storage)
        env = {
            "AGGREGATE_CACHE_MAXSIZE": str(settings.aggregate_cache_size),
            "AGGREGATE_CACHE_MB": str(settings.cache_mb),
            "POINTS_VALID_YEARS": str(settings.points_valid_years),
        }
        env |= cipher_env(settings)
        self.app = open_application(
            storage,
            clock=clock,
            extra_env=env,
            write_wait_seconds=settings.write_wait_seconds,
        )
        self.request_turns = request_turns(
            self.app.recorder, settings.write_wait_seconds
        )
        self.projector = Projector(self.app)
        self.command_queries = Queries(
            self.projector.view, settings.star_thresholds, self.projector.sealer
        )
        self.queries = self.command_queries
        self.standby: Standby | None = None
        if read_storage is not None:
            self.standby = self._standby(read_storage)
            self.queries = Queries(
                self.standby.view, settings.star_thresholds, self.projector.sealer
            )
        self.run_projector = run_projector
        self.reads_inline = storage.kind == "sqlite"
        self.workers = ThreadPoolExecutor(WORKERS, thread_name_prefix="vpoints")
        # The costly checks (a walk of the chain, a report's replay): one at a
        # time, resuming from what the checks before them verified.
        self.checks = SingleFlight("vpoints-checks")
        self.chain = ChainVerifier(chained_recorder(self.app))
        self.verified_reports: dict[UUID, tuple[dict[str, Any], str]] = {}
        self.read_view = self.projector.view
        if self.standby is not None:
            self.read_view = self.standby.view
        self.async_reads = AsyncReads.of(self.read_view)
        self.async_reads_open = False
        self.pools = self._pools()
        for pool in self.pools:
            watch(pool)
        session_key = settings.session_key
        self.sessions = SessionKeys(
            self.app, None if session_key is None else session_key.get_secret_value()
        )
        self.checkin_codes = CheckinCodes(self.sessions.digesting, self.app.clock)
        self.sms = CodeSender(settings.sms_webhook_url)
        wechat_secret = settings.wechat_app_secret
        self.wechat = WeChat(
            settings.wechat_app_id,
            None if wechat_secret is None else wechat_secret.get_secret_value(),
            settings.wechat_api_base,
        )
        self.identity_provider = IdentityProvider(
            settings.oidc_issuer, settings.oidc_audience, settings.oidc_jwks_url
        )
        self.principals = Principals(
            self.app, settings.admin_token, sessions=self.sessions
        )
        self.principals.follows = not run_projector
        self.app.listeners.append(self.principals.saved)
        self.projector.observers.append(self.principals.moved)

    def _pools(self) -> list[Pool]:
        """The process's pools of PostgreSQL connections (none on SQLite):
        the primary's, the standby's and the asynchronous reads'."""
        datastores = [getattr(self.app.factory, "datastore", None)]
        if self.standby is not None:
            datastores.append(self.standby.datastore)
        pools: list[Pool] = [
            d.pool for d in datastores if isinstance(d, PostgresDatastore)
        ]
        if self.async_reads is not None:
            pools.append(self.async_reads.pool)
        return pools

    def _standby(self, storage: Storage) -> Standby:
        """The standby, once it answers with the read models; the primary
        closed again if it does not."""
        standby = Standby(open_standby(storage))
        try:
            standby.check(self.settings.read_wait_seconds)
        except StorageError:
            standby.close()
            self.app.close()
            raise
        return standby

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
            return self.read_view.run(plan)
        if self.async_reads is not None and self.async_reads_open:
            return await self.async_reads.run(plan)
        return await self.in_worker(self.read_view.run, plan)

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

    async def checked(self, key: Hashable, call: Callable[..., T], *args: Any) -> T:
        """Runs a costly check on the checks' own thread, one at a time; a
        caller asking for the same check (``key``) while it waits or runs is
        given its answer (``infrastructure.single_flight``)."""
        flight = self.checks.submit(key, partial(call, *args))
        answer: T = await asyncio.wrap_future(flight)
        return answer

    def start(self) -> None:
        if self.run_projector:
            self.projector.start()

    def close(self) -> None:
        self.sms.close()
        self.checks.close()
        self.projector.stop()
        if self.standby is not None:
            self.standby.close()
        self.workers.shutdown(wait=False)
        self.request_turns.close()
        self.app.close()

    def projection_position(self) -> int:
        """How far the read models that answer the reads reflect the event
        log: the standby's tracking position when a standby serves them, else
        this process's projector's, or, when a worker projects, the one it
        recorded."""
        if self.standby is not None:
            return self.standby.position()
        return self.primary_projection_position()

    def primary_projection_position(self) -> int:
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
        if self.standby is not None:
            health |= {
                "read_from": "standby",
                "projected_on_primary": self.primary_projection_position(),
            }
        if not self.run_projector:
            tracked = self.projection_position()
            return health | {"projected": tracked, "projector": "worker"}
        health |= {"projected": self.projection_position(), "projector": "in_process"}
        stall = self.projector.stall
        if stall is not None:
            health |= {
                "status": "stalled",
                "stalled_at": stall.position,
                "error": stall.error,
            }
        return health

    def wait_for(self, min_position: int | None) -> None:
        """Returns once the read models that answer the reads reflect
        ``min_position``: with a standby, once the projection has got there
        (when it runs in this process) and the standby has replayed that far.
        Raises ProjectionStalled if the projection stopped at or before it."""
        if not min_position:
            return
        standby = self.standby
        if standby is not None and standby.wait_for(min_position, 0):
            return
        if min_position > self.app.position():
            raise UnknownPosition(min_position)
        wait = self.settings.read_wait_seconds
        deadline = time.monotonic() + wait
        # The projection of this process first: it raises at a stall and does
        # not linger while a reader waits. A worker's is not waited for here.
        on_projector = standby is None or self.run_projector
        if on_projector and not self.projector.wait_for(min_position, wait):
            raise NotCaughtUp(min_position)
        if standby is not None:
            left = max(0.0, deadline - time.monotonic())
            if not standby.wait_for(min_position, left):
                raise NotCaughtUp(min_position)

    def catch_up_to_now(self) -> None:
        """Waits until the primary's read models, which commands decide on,
        reflect every event recorded so far."""
        position = self.app.position()
        if not self.projector.wait_for(position, self.settings.read_wait_seconds):
            raise NotCaughtUp(position)

    def projected(self, query: Callable[..., T | None], *args: Any) -> T | None:
        """The read model's record of something the event log already has: if
        the read models have not got there yet, waits for them once."""
        record = query(*args)
        if record is None:
            self.wait_for(self.app.position())
            record = query(*args)
        return record

"""Runs the projection: pulls pages of the event log, applies each page and its
tracking position in one transaction, and wakes readers that wait for a position."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from eventsourcing.postgres import PostgresApplicationRecorder

from domain.application import VolunteerPoints
from projections.projection import Projection
from projections.sealing import Sealer
from projections.view import PageConflict, View

log = logging.getLogger("vpoints.projections")

PAGE_SIZE = 5000
IDLE_POLL_SECONDS = 0.2
LINGER_SECONDS = 0.05
BULK_LOAD_EVENTS = 20_000


class Projector:
    """Keeps the read models up to date with the event log, exactly once.

    In-process writes wake it at once; on PostgreSQL, LISTEN/NOTIFY on the
    event table's channel wakes it for writes made by other processes; else it
    polls briefly."""

    def __init__(
        self, app: VolunteerPoints, view: View | None = None, page_size: int = PAGE_SIZE
    ) -> None:
        self.app = app
        self.view = view or View.for_application(app)
        self.sealer = Sealer(app.mapper.cipher)
        self.projection = Projection(self.sealer)
        self.page_size = page_size
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._progress = threading.Condition()
        self._hurry = threading.Event()
        self._waiting = 0
        self._threads: list[threading.Thread] = []
        self._position = self.view.position()
        app.listeners.append(self._wake.set)

    @property
    def position(self) -> int:
        return self._position

    def run_page(self) -> int:
        """Projects the next page of events; returns how many it read."""
        notifications = self.app.recorder.select_notifications(
            start=self._position, limit=self.page_size, inclusive_of_start=False
        )
        if not notifications:
            return 0
        mapper = self.app.mapper
        events = [(n.id, mapper.to_domain_event(n)) for n in notifications]
        last = notifications[-1].id
        self.view.write(
            lambda c: self.projection.process(events, c), self._position, last
        )
        with self._progress:
            self._position = last
            self._progress.notify_all()
        return len(notifications)

    def catch_up(self, progress: Callable[[int], Any] | None = None) -> int:
        """Projects every event recorded so far; returns how many.

        From zero on a long log, the query indexes are built once at the end
        instead of row by row."""
        self._position = self.view.position()
        bulk = self._position == 0 and self.app.position() > BULK_LOAD_EVENTS
        if bulk:
            self.view.drop_indexes()
        total = 0
        try:
            while count := self.run_page():
                total += count
                if progress:
                    progress(count)
        finally:
            if bulk:
                self.view.create_indexes()
        return total

    def wait_for(self, position: int, timeout: float) -> bool:
        """Waits until the read models reflect ``position``; False on time-out."""
        deadline = time.monotonic() + timeout
        with self._progress:
            if self._position >= position:
                return True
            self._waiting += 1
            self._hurry.set()
            try:
                while self._position < position:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self._progress.wait(min(remaining, IDLE_POLL_SECONDS))
                    if not self._threads:
                        self._reread_position()
            finally:
                self._waiting -= 1
        return True

    def _reread_position(self) -> None:
        """Takes up the position recorded in the database, which another
        process or worker may have moved."""
        try:
            self._position = self.view.position()
        except Exception as error:
            log.warning("could not read the projection position (%s)", error)

    def start(self) -> None:
        """Runs the projection in background threads until ``stop()``."""
        self._stopping.clear()
        worker = threading.Thread(
            target=self._loop, name="vpoints-projector", daemon=True
        )
        self._threads = [worker]
        if isinstance(self.app.recorder, PostgresApplicationRecorder):
            listener = threading.Thread(
                target=self._listen, name="vpoints-listen", daemon=True
            )
            self._threads.append(listener)
        for thread in self._threads:
            thread.start()

    def stop_soon(self) -> None:
        """Asks the threads to stop, without waiting (safe in a signal handler)."""
        self._stopping.set()
        self._wake.set()

    def rebuild_start(self) -> None:
        """Drops the read models so that the next catch-up replays from zero."""
        self.view.drop_tables()
        self.view.create_tables()
        self._position = 0

    def stop(self) -> None:
        self.stop_soon()
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads = []

    def run_forever(self) -> None:
        """Runs in the foreground until interrupted."""
        self.start()
        try:
            while not self._stopping.wait(1):
                pass
        finally:
            self.stop()

    def _loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                read = self.run_page()
                failures = 0
            except PageConflict:
                self._reread_position()
                self._stopping.wait(IDLE_POLL_SECONDS)
                continue
            except Exception as error:
                failures += 1
                log.warning("projection page failed (%s); retrying", error)
                self._reread_position()
                self._stopping.wait(min(5.0, 0.1 * 2**failures))
                continue
            if read < self.page_size:
                if read and not self._waiting:
                    # Let a burst of writes gather into one page, unless a
                    # reader is waiting to read its own write.
                    self._hurry.wait(LINGER_SECONDS)
                self._hurry.clear()
                self._wake.wait(IDLE_POLL_SECONDS)
                self._wake.clear()

    def _listen(self) -> None:
        recorder = self.app.recorder
        assert isinstance(recorder, PostgresApplicationRecorder)
        from psycopg.sql import SQL, Identifier

        while not self._stopping.is_set():
            try:
                with recorder.datastore.get_connection() as conn:
                    conn.execute(
                        SQL("LISTEN {0}").format(Identifier(recorder.channel_name))
                    )
                    while not self._stopping.is_set():
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            self._wake.set()
            except Exception as error:
                log.warning("LISTEN failed (%s); retrying", error)
                self._stopping.wait(1)

"""Runs the projection: pulls pages of the event log, applies each page and its
tracking position in one transaction, and wakes readers that wait for a position.
The events this process's own saves commit are handed to it, and projected
without reading them back when they are the next it expects.

An event that cannot be decoded or applied stops the projection just before it
(a stall), until a later try or a restart with the fault fixed gets past it; no
event is ever skipped. A full disk stalls it too, before the next event, until
space is freed and a later try of the page applies it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, Recording
from eventsourcing.postgres import PostgresApplicationRecorder

from domain.application import VolunteerPoints
from infrastructure.outages import is_disk_full
from projections.decoding import Decoder, read_after
from projections.projection import Projection
from projections.sealing import Sealer
from projections.stalls import (
    EventNotApplied,
    ProjectionStalled,
    Stall,
    error_text,
    is_database_problem,
)
from projections.view import PageConflict, View
from projections.wakeups import HandedOver, listen

log = logging.getLogger("vpoints.projections")

PAGE_SIZE = 5000
IDLE_POLL_SECONDS = 0.2
LINGER_SECONDS = 0.05
BULK_LOAD_EVENTS = 20_000
# A bulk load's pages: each read model's folds are written once per page.
BULK_PAGE_SIZE = 50_000
STALL_RETRY_SECONDS = 30.0

Events = Sequence[tuple[int, object]]
Observer = Callable[[int, int, Events | None], None]


class Projector:
    """Keeps the read models up to date with the event log, exactly once.

    In-process writes wake it at once, and hand it the events they committed:
    those that follow its position are projected as they are, the others read
    from the event log. On PostgreSQL, LISTEN/NOTIFY on the event table's
    channel wakes it for writes made by other processes; else it polls
    briefly. At an event it cannot apply it stops, and tries that event again
    every ``stall_retry_seconds``.

    ``observers`` are told, before any reader waiting for a position is let
    through, that the read models moved from one position to another, with
    the events in between when the projector applied them itself."""

    def __init__(
        self,
        app: VolunteerPoints,
        view: View | None = None,
        page_size: int = PAGE_SIZE,
        stall_retry_seconds: float = STALL_RETRY_SECONDS,
        bulk_load_events: int = BULK_LOAD_EVENTS,
    ) -> None:
        self.app = app
        self.view = view or View.for_application(app)
        self.sealer = Sealer(app.mapper.cipher)
        self.projection = Projection(self.sealer)
        self.decoder = Decoder(app.mapper)
        self.page_size = page_size
        self.stall_retry_seconds = stall_retry_seconds
        self.bulk_load_events = bulk_load_events
        self._stall: Stall | None = None
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._progress = threading.Condition()
        self._hurry = threading.Event()
        self._waiting = 0
        self._threads: list[threading.Thread] = []
        self._position = self.view.position()
        self._handed = HandedOver(limit=page_size)
        self.observers: list[Observer] = []
        app.listeners.append(self._hand_over)

    @property
    def position(self) -> int:
        return self._position

    @property
    def stall(self) -> Stall | None:
        """The event this projector stopped at, while it cannot apply it."""
        return self._stall

    def run_page(self) -> int:
        """Projects the next page of events; returns how many it read.

        Raises ProjectionStalled at an event that cannot be decoded or
        applied, once the events before it are projected."""
        events: Events = self._handed.take(self._position, self.page_size)
        if not events:
            notifications = read_after(
                self.app.recorder, self._position, self.page_size
            )
            if not notifications:
                return 0
            events, failure = self._decode(notifications)
            if failure is not None:
                raise self._stop_at(failure, events)
        try:
            self._write(events)
        except EventNotApplied as failed:
            raise self._stop_at(failed, events) from None
        return len(events)

    def _hand_over(self, recordings: Sequence[Recording[UUID]]) -> None:
        if self._threads:
            self._handed.keep(recordings)
        self._wake.set()

    def _decode(
        self, notifications: Sequence[Notification]
    ) -> tuple[Events, EventNotApplied | None]:
        """The events of a page up to the first that cannot be decoded."""
        to_domain_event = self.decoder
        events: list[tuple[int, object]] = []
        for notification in notifications:
            try:
                events.append((notification.id, to_domain_event(notification)))
            except Exception as error:
                if is_database_problem(error):
                    raise
                return events, EventNotApplied(notification.id, error)
        return events, None

    def _write(self, events: Events) -> None:
        """Projects events as one page. A failure that names no event (a
        read model's fold, written as the page ends) is found by projecting
        the events one by one."""
        last = events[-1][0]
        try:
            self.view.write(
                lambda c: self.projection.process(events, c), self._position, last
            )
        except EventNotApplied:
            raise
        except Exception as error:
            if is_database_problem(error):
                raise
            if len(events) == 1:
                raise EventNotApplied(last, error) from error
            for event in events:
                self._write([event])
            return
        self._moved_to(last, events)

    def _stop_at(self, failure: EventNotApplied, events: Events) -> ProjectionStalled:
        """Projects the events before the one that failed as a page of their
        own, then stalls at it."""
        while before := [
            (position, event)
            for position, event in events
            if self._position < position < failure.position
        ]:
            try:
                self._write(before)
            except EventNotApplied as earlier:
                failure = earlier
                continue
            break
        stall = Stall(failure.position, error_text(failure.cause))
        # Logged once for each event it stops at, however often it is tried.
        if self._stalled_at(stall):
            log.error(
                "projection %s stalled: the event at position %d cannot be applied "
                "(%s); the read models stay at position %d, and the event is tried "
                "again every %g s until it applies (no event is skipped)",
                stall.projection,
                stall.position,
                stall.error,
                self._position,
                self.stall_retry_seconds,
                exc_info=failure.cause,
            )
        return ProjectionStalled(stall)

    def _stall_for_space(self, error: BaseException) -> None:
        """Stalls before the next event while the disk is full: nothing is
        wrong with the event, and the page is tried again, backing off, until
        space is freed and it applies."""
        stall = Stall(self._position + 1, error_text(error))
        if self._stalled_at(stall):
            log.error(
                "projection %s stalled: the disk is full (%s); the read models "
                "stay at position %d and the next page is tried again, backing "
                "off, until space is freed",
                stall.projection,
                stall.error,
                self._position,
            )

    def _stalled_at(self, stall: Stall) -> bool:
        """Records the stall and wakes the readers waiting on the position;
        whether it is a new one (not the position it already stalls at)."""
        with self._progress:
            known = self._stall is not None and self._stall.position == stall.position
            self._stall = stall
            self._progress.notify_all()
        return not known

    def _moved_to(self, position: int, events: Events | None = None) -> None:
        start = self._position
        if position > start:
            for observe in self.observers:
                observe(start, position, events)
        with self._progress:
            self._position = position
            stall = self._stall
            if stall is not None and position >= stall.position:
                self._stall = None
                log.info(
                    "projection %s resumed: the event at position %d is applied",
                    stall.projection,
                    stall.position,
                )
            self._progress.notify_all()

    def catch_up(self, progress: Callable[[int], Any] | None = None) -> int:
        """Projects every event recorded so far; returns how many.

        From zero on a long log (a bulk load), the query indexes are built
        once at the end instead of row by row, then the planner's statistics
        gathered, and the events are read and folded in pages of
        ``BULK_PAGE_SIZE``. Raises ProjectionStalled at an event that cannot
        be applied."""
        self._moved_to(self.view.position())
        bulk = self._position == 0 and self.app.position() > self.bulk_load_events
        page_size = self.page_size
        if bulk:
            self.view.drop_indexes()
            self.page_size = max(page_size, BULK_PAGE_SIZE)
        total = 0
        try:
            while count := self.run_page():
                total += count
                if progress:
                    progress(count)
        finally:
            self.page_size = page_size
            if bulk:
                self.view.create_indexes()
        if bulk:
            self.view.analyse()
        return total

    def wait_for(self, position: int, timeout: float) -> bool:
        """Waits until the read models reflect ``position``; False on time-out.
        Raises ProjectionStalled, at once, if the projection stopped at or
        before it."""
        deadline = time.monotonic() + timeout
        with self._progress:
            if self._reached(position):
                return True
            self._waiting += 1
            self._hurry.set()
            try:
                while not self._reached(position):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self._progress.wait(min(remaining, IDLE_POLL_SECONDS))
                    if not self._threads:
                        self._reread_position()
            finally:
                self._waiting -= 1
        return True

    def _reached(self, position: int) -> bool:
        stall = self._stall
        if self._position >= position or stall is None:
            return self._position >= position
        if position >= stall.position:
            raise ProjectionStalled(stall)
        # Every event before the one it stopped at is projected.
        return True

    def _reread_position(self) -> None:
        """Takes up the position recorded in the database, which another
        process or worker may have moved."""
        try:
            self._moved_to(self.view.position())
        except Exception as error:
            log.warning("could not read the projection position (%s)", error)

    def start(self) -> None:
        """Runs the projection in background threads until ``stop()``."""
        self._stopping.clear()
        self._threads = [threading.Thread(target=self._loop, name="vpoints-projector")]
        if isinstance(self.app.recorder, PostgresApplicationRecorder):
            wake = (self.app.recorder, self._stopping, self._wake)
            listener = threading.Thread(target=listen, args=wake, name="vpoints-listen")
            self._threads.append(listener)
        for thread in self._threads:
            thread.daemon = True
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
        self._stall = None

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
            except ProjectionStalled:
                failures = 0
                self._stopping.wait(self.stall_retry_seconds)
                continue
            except PageConflict:
                self._reread_position()
                self._stopping.wait(IDLE_POLL_SECONDS)
                continue
            except Exception as error:
                # The database: the same page is tried again, backing off.
                failures += 1
                if is_disk_full(error):
                    self._stall_for_space(error)
                else:
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

"""What wakes the projector: the events this process's own saves committed,
handed over so that it need not read them back from the event log, and, on
PostgreSQL, the notifications of other processes' writes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from uuid import UUID

from eventsourcing.persistence import Recording
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier

log = logging.getLogger("vpoints.projections")


class HandedOver:
    """The committed events of this process's saves, by position, until the
    projector takes them; at most ``limit`` of them are kept, so that events
    not taken (the projection stalled, or far behind) are read from the event
    log in their turn instead."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._events: dict[int, object] = {}
        self._lock = threading.Lock()

    def keep(self, recordings: Sequence[Recording[UUID]]) -> None:
        with self._lock:
            if len(self._events) > self.limit:
                self._events.clear()
            for recording in recordings:
                self._events[recording.notification.id] = recording.domain_event

    def take(self, position: int, limit: int) -> list[tuple[int, object]]:
        """The events that follow ``position`` one after another, up to
        ``limit``; none if the next one was not handed over (another
        process's, or a save not yet returned)."""
        taken: list[tuple[int, object]] = []
        with self._lock:
            if not self._events:
                return taken
            for passed in [p for p in self._events if p <= position]:
                del self._events[passed]
            while len(taken) < limit:
                event = self._events.pop(position + 1, None)
                if event is None:
                    break
                position += 1
                taken.append((position, event))
        return taken


def listen(
    recorder: PostgresApplicationRecorder,
    stopping: threading.Event,
    wake: threading.Event,
) -> None:
    """Sets ``wake`` whenever a write is notified on the event table's channel,
    until ``stopping``; LISTENs again after a lost connection."""
    while not stopping.is_set():
        try:
            with recorder.datastore.get_connection() as conn:
                conn.execute(
                    SQL("LISTEN {0}").format(Identifier(recorder.channel_name))
                )
                while not stopping.is_set():
                    for _ in conn.notifies(timeout=0.5, stop_after=1):
                        wake.set()
        except Exception as error:
            log.warning("LISTEN failed (%s); retrying", error)
            stopping.wait(1)

"""Costly work one piece at a time, shared by everyone who asks for it while
it waits or runs.

A check that walks or replays the whole event log costs seconds to minutes
of a core; asked for by ten callers at once it would take the service's
database and processor from everyone else. Here each piece of work runs on
one thread of its own, one after the other, and a caller who asks for work
that is already waiting or running (the same key) is given that work's
answer, or its exception, instead of starting it again."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class SingleFlight:
    """One piece of work at a time on a thread of its own; one run per key
    at a time, whose answer every caller asking for that key meanwhile
    shares. A caller that arrives while the run it joins is under way gets
    an answer computed from what was there when the run began: the answers
    say what they cover (a position of the log)."""

    def __init__(self, name: str) -> None:
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._flights: dict[Hashable, Future[Any]] = {}

    def submit(self, key: Hashable, work: Callable[[], Any]) -> Future[Any]:
        """The run of ``work`` for ``key``: the one waiting or under way, else
        a new one queued behind whatever other work is."""
        with self._lock:
            flight = self._flights.get(key)
            if flight is not None:
                return flight
            flight = self._executor.submit(work)
            self._flights[key] = flight
        flight.add_done_callback(lambda done: self._land(key, done))
        return flight

    def _land(self, key: Hashable, flight: Future[Any]) -> None:
        with self._lock:
            if self._flights.get(key) is flight:
                del self._flights[key]

    def close(self) -> None:
        """Stops taking work; what is queued is cancelled."""
        self._executor.shutdown(wait=False, cancel_futures=True)

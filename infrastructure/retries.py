"""How a command runs: in turn with this process's other writers of its
aggregates, and again, after a jittered exponential pause, when a writer of
another process saved one of them first, until a deadline."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from eventsourcing.persistence import IntegrityError

from domain.errors import WriteConflict

T = TypeVar("T")

WRITE_WAIT_SECONDS = 5.0
FIRST_PAUSE_SECONDS = 0.002
LONGEST_PAUSE_SECONDS = 0.1


class Turns:
    """One writer at a time for each aggregate, within this process: a lock
    for each aggregate a command writes, held from loading to saving. Only
    the aggregates being written have a lock: each is dropped when its last
    writer is done. A command that writes several takes their locks in one
    order (by their ids' text), so two such commands never wait for each
    other; a thread may take a lock it holds again."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[Hashable, tuple[threading.RLock, int]] = {}

    @contextmanager
    def taken(self, keys: Sequence[Hashable]) -> Iterator[None]:
        """Holds the locks of the aggregates ``keys`` names while the block
        runs, waiting for them in turn."""
        ordered = sorted(set(keys), key=str)
        locks = [self._use(key) for key in ordered]
        taken = 0
        try:
            for lock in locks:
                lock.acquire()
                taken += 1
            yield
        finally:
            for lock in reversed(locks[:taken]):
                lock.release()
            for key in ordered:
                self._disuse(key)

    def __len__(self) -> int:
        """How many aggregates have a lock now."""
        return len(self._locks)

    def _use(self, key: Hashable) -> threading.RLock:
        with self._guard:
            lock, users = self._locks.get(key) or (threading.RLock(), 0)
            self._locks[key] = (lock, users + 1)
            return lock

    def _disuse(self, key: Hashable) -> None:
        with self._guard:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class Pauses:
    """Jittered exponential pauses between tries, until a deadline: each a
    random time of up to 2 ms, doubled with each pause, up to 100 ms; none
    that would end past ``deadline`` seconds from now."""

    def __init__(
        self,
        deadline: float,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sleep = sleep
        self.clock = clock
        self.ends = clock() + deadline
        self.longest = FIRST_PAUSE_SECONDS

    def wait(self) -> bool:
        """Pauses before the next try; False, without pausing, once the pause
        would end past the deadline (no more tries)."""
        pause = random.uniform(0, self.longest)
        if self.clock() + pause > self.ends:
            return False
        self.sleep(pause)
        self.longest = min(self.longest * 2, LONGEST_PAUSE_SECONDS)
        return True


class JitteredBackoff:
    """Runs a command in its turn (``Turns``), and again after each conflict
    with another process's writer, until ``deadline`` seconds have passed
    since its turn came: it pauses between runs (``Pauses``) and gives up
    (WriteConflict) rather than pause past the deadline. However busy the
    aggregate, a command is either saved or refused within the deadline and
    a pause. Each run again is counted in ``retried``, which the metrics
    show."""

    def __init__(
        self,
        deadline: float = WRITE_WAIT_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.deadline = deadline
        self.sleep = sleep
        self.clock = clock
        self.retried = 0
        self.turns = Turns()

    def run(self, command: Callable[[], T], writing: Sequence[Hashable] = ()) -> T:
        with self.turns.taken(writing):
            pauses = Pauses(self.deadline, self.sleep, self.clock)
            while True:
                try:
                    return command()
                except IntegrityError:
                    if not pauses.wait():
                        break
                    self.retried += 1
        raise WriteConflict("并发写入冲突，请稍后重试")

"""Running a command again when another writer saved one of its aggregates
first: after a jittered exponential pause, which spreads out many writers
contending for one aggregate."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from eventsourcing.persistence import IntegrityError

from domain.errors import WriteConflict

T = TypeVar("T")

WRITE_ATTEMPTS = 30
FIRST_PAUSE_SECONDS = 0.002
LONGEST_PAUSE_SECONDS = 0.1


class JitteredBackoff:
    """Runs a command up to 30 times: after each conflict it pauses a random
    time of up to 2 ms, doubled with each conflict, up to 100 ms. Each run
    again is counted in ``retried``, which the metrics show."""

    def __init__(
        self,
        attempts: int = WRITE_ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.attempts = attempts
        self.sleep = sleep
        self.retried = 0

    def run(self, command: Callable[[], T]) -> T:
        for attempt in range(self.attempts):
            if attempt:
                self.retried += 1
            try:
                return command()
            except IntegrityError:
                longest = FIRST_PAUSE_SECONDS * 2**attempt
                self.sleep(random.uniform(0, min(LONGEST_PAUSE_SECONDS, longest)))
        raise WriteConflict("并发写入冲突，请稍后重试")

"""Duplicates of one request (one Idempotency-Key) take turns within a process,
leaving no lock behind; requests of other keys, and writes without a key,
never wait for them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, cast
from uuid import UUID, uuid4

from api.auth import Principal
from api.writes import Write
from domain.results import Result
from infrastructure.request_turns import RequestTurns


def test_duplicates_of_one_request_take_turns_and_leave_no_lock_behind() -> None:
    turns = RequestTurns()
    request = uuid4()
    running: list[int] = []
    most = 0

    def answer(duplicate: int) -> None:
        nonlocal most
        with turns.taken(request):
            running.append(duplicate)
            most = max(most, len(running))
            # A thread switch here lets another duplicate in, unless it waits.
            time.sleep(0.001)
            running.remove(duplicate)

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(answer, range(32)))
    assert most == 1
    assert len(turns) == 0


def test_a_request_of_another_key_does_not_wait() -> None:
    turns = RequestTurns()
    answered = threading.Event()

    def other() -> None:
        with turns.taken(uuid4()):
            answered.set()

    with turns.taken(uuid4()), ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(other).result(timeout=5)
    assert answered.is_set()


class NoTurns(RequestTurns):
    """Turns that no write may take."""

    @contextmanager
    def taken(self, request_id: UUID) -> Iterator[None]:
        raise AssertionError("a write without a key took a turn")
        yield


def test_a_write_without_a_key_takes_no_turn() -> None:
    headers: dict[str, str] = {}
    principal = Principal("admin:test", "admin")
    app = cast(Any, None)
    write = Write(app, principal, None, "POST", "/v1/teams", headers, NoTurns())

    def command(*, request: object) -> Result:
        assert request is None
        return Result(position=7)

    assert write(None, command) == Result(position=7)
    assert headers == {"X-Event-Position": "7"}

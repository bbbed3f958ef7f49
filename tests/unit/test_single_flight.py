"""Costly work one piece at a time, shared by whoever asks for it meanwhile
(``infrastructure.single_flight``)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from infrastructure.single_flight import SingleFlight


@pytest.fixture
def flight() -> Iterator[SingleFlight]:
    guard = SingleFlight("test-checks")
    yield guard
    guard.close()


def gated(
    answer: object, calls: list[object]
) -> tuple[Callable[[], object], threading.Event]:
    release = threading.Event()

    def work() -> object:
        calls.append(answer)
        assert release.wait(10)
        return answer

    return work, release


def test_callers_asking_while_a_run_waits_or_runs_share_its_answer(
    flight: SingleFlight,
) -> None:
    calls: list[object] = []
    work, release = gated("verdict", calls)
    first = flight.submit("audit", work)
    others = [flight.submit("audit", work) for _ in range(9)]
    release.set()
    assert [f.result(10) for f in (first, *others)] == ["verdict"] * 10
    assert calls == ["verdict"]


def test_a_caller_after_the_run_ended_starts_another(flight: SingleFlight) -> None:
    calls: list[object] = []
    work, release = gated("verdict", calls)
    release.set()
    assert flight.submit("audit", work).result(10) == "verdict"
    assert flight.submit("audit", work).result(10) == "verdict"
    assert calls == ["verdict", "verdict"]


def test_work_for_other_keys_runs_one_at_a_time(flight: SingleFlight) -> None:
    running = 0
    most = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        threading.Event().wait(0.02)
        with lock:
            running -= 1

    runs = [flight.submit(("report", n), work) for n in range(5)]
    for run in runs:
        run.result(10)
    assert most == 1


def test_a_failure_is_every_waiters_and_the_next_caller_tries_again(
    flight: SingleFlight,
) -> None:
    release = threading.Event()
    tries: list[int] = []

    def failing() -> None:
        tries.append(1)
        assert release.wait(10)
        raise OSError("database gone")

    runs = [flight.submit("audit", failing) for _ in range(3)]
    release.set()
    for run in runs:
        with pytest.raises(OSError, match="database gone"):
            run.result(10)
    with pytest.raises(OSError, match="database gone"):
        flight.submit("audit", failing).result(10)
    assert len(tries) == 2

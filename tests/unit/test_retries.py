"""A command waits its turn with the writers of its aggregates in its process;
one that lost a race with another process for one of them is run again, after
a pause, and given up on at the deadline; each run again is counted."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from eventsourcing.persistence import IntegrityError

from domain.commands.saving import in_turn
from domain.errors import WriteConflict
from infrastructure.retries import LONGEST_PAUSE_SECONDS, JitteredBackoff, Turns

T = TypeVar("T")


class Losing:
    """A command that loses the race a number of times, then saves."""

    def __init__(self, losses: int) -> None:
        self.losses = losses
        self.runs = 0

    def __call__(self) -> str:
        self.runs += 1
        if self.runs <= self.losses:
            raise IntegrityError("another writer saved first")
        return "saved"


def test_a_command_that_lost_a_race_is_run_again_and_each_run_again_counted() -> None:
    pauses: list[float] = []
    retries = JitteredBackoff(sleep=pauses.append)
    command = Losing(losses=3)

    assert retries.run(command) == "saved"
    assert command.runs == 4
    assert retries.retried == 3
    assert len(pauses) == 3
    assert all(0 <= pause <= LONGEST_PAUSE_SECONDS for pause in pauses)


class Clock:
    """A monotonic clock that moves only when the retries pause."""

    def __init__(self) -> None:
        self.now = 100.0
        self.pauses: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def test_a_command_that_keeps_losing_is_a_write_conflict_at_the_deadline() -> None:
    clock = Clock()
    retries = JitteredBackoff(deadline=2.0, sleep=clock.sleep, clock=clock)
    command = Losing(losses=10**9)

    with pytest.raises(WriteConflict):
        retries.run(command)
    assert 100.0 + 2.0 - LONGEST_PAUSE_SECONDS <= clock.now <= 100.0 + 2.0
    assert command.runs == len(clock.pauses) + 1
    assert retries.retried == len(clock.pauses)
    assert max(clock.pauses) <= LONGEST_PAUSE_SECONDS


def test_a_command_that_loses_until_just_before_the_deadline_is_saved() -> None:
    clock = Clock()
    retries = JitteredBackoff(deadline=2.0, sleep=clock.sleep, clock=clock)
    command = Losing(losses=5)

    assert retries.run(command) == "saved"
    assert clock.now < 100.0 + 2.0


def test_a_command_that_saves_at_once_is_not_counted() -> None:
    retries = JitteredBackoff(sleep=lambda _: pytest.fail("paused"))

    assert retries.run(Losing(losses=0)) == "saved"
    assert retries.retried == 0


def test_writers_of_one_aggregate_take_turns_and_leave_no_lock_behind() -> None:
    retries = JitteredBackoff(sleep=lambda _: pytest.fail("paused"))
    running: list[int] = []
    most = 0

    def command(worker: int) -> int:
        nonlocal most
        running.append(worker)
        most = max(most, len(running))
        # A thread switch here lets another writer in, unless it waits its turn.
        time.sleep(0.001)
        running.remove(worker)
        return worker

    def write(worker: int) -> int:
        return retries.run(lambda: command(worker), ["activity", f"other-{worker}"])

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert sorted(pool.map(write, range(64))) == list(range(64))
    assert most == 1
    assert retries.retried == 0
    assert len(retries.turns) == 0


def test_a_writer_takes_the_turn_of_every_aggregate_it_writes_in_one_order() -> None:
    turns = Turns()
    with turns.taken(["b", "a", "b"]):
        assert len(turns) == 2
        with turns.taken(["a"]):
            assert len(turns) == 2
    assert len(turns) == 0


class Recording:
    """Retries that remember which aggregates each command said it writes."""

    retried = 0

    def __init__(self) -> None:
        self.writing: list[Sequence[Hashable]] = []

    def run(self, command: Callable[[], T], writing: Sequence[Hashable] = ()) -> T:
        self.writing.append(writing)
        return command()


class Commands:
    def __init__(self) -> None:
        self.retries = Recording()

    @in_turn("activity_id", lambda app, arguments: f"claim-{arguments['claim_id']}")
    def approve(self, claim_id: str, activity_id: str, note: str = "") -> str:
        return f"{claim_id} {activity_id} {note}"


def test_a_command_names_what_it_writes_by_its_arguments_however_passed() -> None:
    commands = Commands()
    assert commands.approve("c1", "a1") == "c1 a1 "
    assert commands.approve("c2", activity_id="a2", note="ok") == "c2 a2 ok"
    assert commands.approve(claim_id="c3", activity_id="a3") == "c3 a3 "
    assert commands.retries.writing == [
        ["a1", "claim-c1"],
        ["a2", "claim-c2"],
        ["a3", "claim-c3"],
    ]

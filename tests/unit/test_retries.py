"""A command that lost a race for one of its aggregates is run again, after a
pause, and given up on after its last attempt; each run again is counted."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import IntegrityError

from domain.errors import WriteConflict
from infrastructure.retries import LONGEST_PAUSE_SECONDS, JitteredBackoff


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


def test_a_command_that_keeps_losing_is_given_up_as_a_write_conflict() -> None:
    retries = JitteredBackoff(attempts=5, sleep=lambda _: None)
    command = Losing(losses=10)

    with pytest.raises(WriteConflict):
        retries.run(command)
    assert command.runs == 5
    assert retries.retried == 4


def test_a_command_that_saves_at_once_is_not_counted() -> None:
    retries = JitteredBackoff(sleep=lambda _: pytest.fail("paused"))

    assert retries.run(Losing(losses=0)) == "saved"
    assert retries.retried == 0

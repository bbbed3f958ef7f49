"""The application's contract on refusals, the same on memory, SQLite and
PostgreSQL: an invalid command raises its domain error and records nothing,
and the application works on."""

from __future__ import annotations

import pytest

from domain.application import VolunteerPoints
from domain.errors import DomainError
from tests.conftest import Clock
from tests.contract.contract_world import World, on_every_store, states
from tests.contract.invalid_commands import ORGANISATION, Command
from tests.contract.invalid_commands_activities import ACTIVITIES_AND_TOKENS

# Every invalid command raises the domain error and records nothing.
INVALID: dict[str, tuple[Command, str]] = ORGANISATION | ACTIVITIES_AND_TOKENS


@on_every_store
@pytest.mark.parametrize("name", list(INVALID))
def test_an_invalid_command_raises_its_domain_error_and_records_nothing(
    app: VolunteerPoints, world: World, clock: Clock, name: str
) -> None:
    command, code = INVALID[name]
    position = app.position()
    before = states(app, world.ids())

    with pytest.raises(DomainError) as raised:
        command(app, world, clock)

    assert raised.value.code == code, raised.value.message
    assert app.position() == position
    assert states(app, world.ids()) == before


@on_every_store
def test_the_application_still_works_after_a_refused_command(
    app: VolunteerPoints, world: World
) -> None:
    with pytest.raises(DomainError):
        app.record_attendance(world.running, [(world.bob, 1), (world.alice, 0)], "a")

    written = app.record_attendance(world.running, [(world.bob, 1)], "admin")

    assert written.recorded == 1
    assert app.activity(world.running).attendance_count == 2

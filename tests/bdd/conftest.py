"""What every feature shares: the world of one scenario, the read side, the
journey through the API, and the steps of time, of who acts and of what a
command left behind. The steps of each subject are in ``steps/``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from typing import Any

import pytest
from pytest_bdd import then

from domain.application import VolunteerPoints
from projections.runner import Projector
from tests.api.support import problem, running_api
from tests.bdd.drivers import Journey, ReadSide, World, event_name
from tests.bdd.vocabulary import EVENT_NAMES, given_or_when, shanghai, step
from tests.conftest import Clock


@pytest.fixture
def world(app: VolunteerPoints) -> World:
    return World(app)


@pytest.fixture
def read_side(world: World) -> ReadSide:
    return ReadSide(world, Projector(world.app))


@pytest.fixture
def journey(database_url: str, clock: Clock) -> Iterator[Journey]:
    with running_api(database_url, clock) as api:
        trip = Journey(api)
        yield trip
        trip.check_no_unexpected_refusal()


def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    """A refusal that no step expected fails the scenario."""
    request.getfixturevalue("world").check_no_unexpected_refusal()


# Time and who acts.


@given_or_when('操作人是"{actor}"')
def operator_is(world: World, actor: str) -> None:
    world.actor = actor


@given_or_when("今天是 {day:Date}")
def today_is(clock: Any, day: date) -> None:
    """Moves the application's clock to 10:00 of that day in Shanghai."""
    clock.now = shanghai(day, time(10, 0))


@given_or_when("现在是 {day:Date} {at:Time}")
def now_is(clock: Any, day: date, at: time) -> None:
    clock.now = shanghai(day, at)


# What a command to the application left behind.


@then(step('操作被拒绝，错误代码为"{code:Code}"'))
def refused_with(world: World, code: str) -> None:
    assert world.error is not None, "命令没有被拒绝"
    world.error_seen = True
    assert world.error.code == code, world.error.message


@then("没有记录任何事件")
def nothing_recorded(world: World) -> None:
    assert world.app.position() == world.before, [
        event_name(e) for e in world.new_events()
    ]


@then(step('记录了一条"{label}"事件，操作人为"{actor}"'))
def one_event_recorded(world: World, label: str, actor: str) -> None:
    events = world.new_events()
    assert [event_name(e) for e in events] == [EVENT_NAMES[label]]
    assert events[0].actor == actor


@then(step('事件记录的原因是"{reason}"'))
def event_reason(world: World, reason: str) -> None:
    assert world.new_events()[-1].reason == reason


@then(step('"{name}"属于"{community}"'))
def belongs_to(world: World, name: str, community: str) -> None:
    aggregate = world.app.repository.get(world.id(name))
    assert aggregate.community_id == world.id(community)


# What a request through the API was answered.


@then(step("请求成功，状态码为 {status:d}"))
def request_succeeded(journey: Journey, status: int) -> None:
    journey.answer()
    assert journey.response is not None
    assert journey.response.status_code == status


@then(step('请求被拒绝，状态码为 {status:d}，错误代码为"{code}"'))
def request_refused(journey: Journey, status: int, code: str) -> None:
    problem(journey.refusal(), status, code)


@then("事件日志没有变化")
def log_unchanged(journey: Journey) -> None:
    assert journey.log_position() == journey.before

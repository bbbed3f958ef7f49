"""Merging a duplicate member record into the survivor."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pytest_bdd import given, then, when

from domain.errors import MemberMerged
from tests.bdd.drivers import ReadSide, World
from tests.bdd.vocabulary import step


def merge(
    world: World, read_side: ReadSide, duplicate: str, survivor: str, reason: str
) -> Any:
    """Merges as the API does: with the activities and teams where the read
    side, caught up, has seen the duplicate."""
    activities, teams = read_side.caught_up().involvement(str(world.id(duplicate)))
    return world.attempt(
        world.app.merge_members,
        world.id(survivor),
        world.id(duplicate),
        reason,
        world.actor,
        activity_ids=[UUID(a) for a in activities],
        team_ids=[UUID(t) for t in teams],
    )


@when(step('把"{duplicate}"合并到"{survivor}"，原因是"{reason}"'))
def merge_members(
    world: World, read_side: ReadSide, duplicate: str, survivor: str, reason: str
) -> None:
    merge(world, read_side, duplicate, survivor, reason)


@given(step('已把"{duplicate}"合并到"{survivor}"'))
def members_merged(
    world: World, read_side: ReadSide, duplicate: str, survivor: str
) -> None:
    merge(world, read_side, duplicate, survivor, "同一人重复登记")
    world.check_no_unexpected_refusal()


@then(step('操作被拒绝，错误代码为"{code}"，指出保留的是"{survivor}"'))
def refused_naming_survivor(world: World, code: str, survivor: str) -> None:
    error = world.error
    assert isinstance(error, MemberMerged), error
    world.error_seen = True
    assert error.code == code
    assert error.survivor_id == world.id(survivor)

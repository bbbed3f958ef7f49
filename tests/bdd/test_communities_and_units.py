"""社区与单位党组织: registering communities and units' party organisations."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from tests.bdd.conftest import World

scenarios("社区与单位.feature")


@when(parsers.parse('登记社区"{name}"，所属街道为"{street}"'))
def register_community(world: World, name: str, street: str) -> None:
    written = world.attempt(
        lambda: world.app.register_community(name, street, world.actor)
    )
    if written is not None:
        world.ids[name] = written.id


@when(parsers.parse('登记单位党组织"{name}"'))
def register_unit(world: World, name: str) -> None:
    written = world.attempt(lambda: world.app.register_unit(name, world.actor))
    if written is not None:
        world.ids[name] = written.id


@then(parsers.parse('社区"{name}"属于"{street}"'))
def community_street(world: World, name: str, street: str) -> None:
    community = world.app.community(world.id(name))
    assert (community.name, community.street) == (name, street)


@then(parsers.parse('单位党组织"{name}"还没有到任何社区报到'))
def unit_not_reported(world: World, name: str) -> None:
    unit = world.app.unit(world.id(name))
    assert (unit.name, unit.reported_to) == (name, {})

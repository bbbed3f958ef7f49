"""The organisation: district (区县) → street (街道) → community → grid, and
units' party organisations (单位党组织)."""

from __future__ import annotations

from pytest_bdd import given, then, when

from tests.bdd.drivers import ADMIN, Journey, World
from tests.bdd.vocabulary import step


@given(step('已登记区县"{name}"'))
def district_registered(world: World, name: str) -> None:
    world.ids[name] = world.app.register_district(name, world.actor).id


@given(step('"{district}"已登记街道"{name}"'))
def street_registered(world: World, district: str, name: str) -> None:
    written = world.app.register_street(name, world.id(district), world.actor)
    world.ids[name] = written.id


@given(step('已登记社区"{name}"'))
def community_registered(world: World, name: str) -> None:
    world.ids[name] = world.app.register_community(name, "城关街道", world.actor).id


@given(step('"{street}"已登记社区"{name}"'))
def community_in_street_registered(world: World, street: str, name: str) -> None:
    written = world.app.register_community(
        name, None, world.actor, street_id=world.id(street)
    )
    world.ids[name] = written.id


def grid_registered(
    world: World, community: str, name: str, party_organisation: bool
) -> None:
    written = world.app.register_grid(
        name, world.id(community), party_organisation, world.actor
    )
    world.ids[name] = written.id


@given(step('"{community}"已登记网格"{name}"'))
def grid_without_party_organisation(world: World, community: str, name: str) -> None:
    grid_registered(world, community, name, False)


@given(step('"{community}"已登记网格"{name}"，有网格党组织'))
def grid_with_party_organisation(world: World, community: str, name: str) -> None:
    grid_registered(world, community, name, True)


@given(step('已登记单位党组织"{name}"'))
def unit_registered(world: World, name: str) -> None:
    world.ids[name] = world.app.register_unit(name, world.actor).id


@when(step('登记社区"{name}"，所属街道为"{street}"'))
def register_community(world: World, name: str, street: str) -> None:
    written = world.attempt(
        lambda: world.app.register_community(name, street, world.actor)
    )
    if written is not None:
        world.ids[name] = written.id


@when(step('登记单位党组织"{name}"'))
def register_unit(world: World, name: str) -> None:
    written = world.attempt(lambda: world.app.register_unit(name, world.actor))
    if written is not None:
        world.ids[name] = written.id


@then(step('社区"{name}"属于"{street}"'))
def community_street(world: World, name: str, street: str) -> None:
    community = world.app.community(world.id(name))
    assert (community.name, community.street) == (name, street)


@then(step('单位党组织"{name}"还没有到任何社区报到'))
def unit_not_reported(world: World, name: str) -> None:
    unit = world.app.unit(world.id(name))
    assert (unit.name, unit.reported_to) == (name, {})


# Through the API, by the admin.


@given(step('管理员已登记区县"{name}"'))
def district_registered_by_admin(journey: Journey, name: str) -> None:
    made = journey.made(ADMIN, "POST", "/v1/districts", {"name": name})
    journey.ids[name], journey.kinds[name] = made["id"], "district"


@given(step('管理员已在"{district}"登记街道"{name}"'))
def street_registered_by_admin(journey: Journey, district: str, name: str) -> None:
    body = {"name": name, "district_id": journey.id(district)}
    made = journey.made(ADMIN, "POST", "/v1/streets", body)
    journey.ids[name], journey.kinds[name] = made["id"], "street"


@given(step('管理员已登记社区"{name}"'))
def community_registered_by_admin(journey: Journey, name: str) -> None:
    made = journey.made(ADMIN, "POST", "/v1/communities", {"name": name})
    journey.ids[name], journey.kinds[name] = made["id"], "community"


@given(step('管理员已在"{street}"登记社区"{name}"'))
def community_in_street_by_admin(journey: Journey, street: str, name: str) -> None:
    body = {"name": name, "street_id": journey.id(street)}
    made = journey.made(ADMIN, "POST", "/v1/communities", body)
    journey.ids[name], journey.kinds[name] = made["id"], "community"

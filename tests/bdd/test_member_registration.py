"""志愿者注册: registering members with their community and optional details."""

from __future__ import annotations

from uuid import uuid4

from pytest_bdd import parsers, scenarios, then, when

from tests.bdd.conftest import World, names

scenarios("志愿者注册.feature")

PARTY = {"党员": True, "非党员": False}


def register(world: World, community_id: object, name: str, details: str) -> None:
    party, *rest = names(details.replace("，", "、"))
    optional: dict[str, object] = {}
    for detail in rest:
        label, value = detail[:2], detail[2:].strip('"')
        if label == "单位":
            optional["unit_id"] = world.ids.get(value, uuid4())
        elif label == "网格":
            optional["grid"] = value
        elif label == "电话":
            optional["phone"] = value
        else:
            raise ValueError(detail)
    written = world.attempt(
        lambda: world.app.register_member(
            name, community_id, PARTY[party], world.actor, **optional
        )
    )
    if written is not None:
        world.ids[name] = written.id


@when(parsers.parse('在"{community}"登记志愿者"{name}"，{details}'))
def register_member(world: World, community: str, name: str, details: str) -> None:
    register(world, world.id(community), name, details)


@when(parsers.parse('在未登记的社区登记志愿者"{name}"，{details}'))
def register_member_in_unknown_community(world: World, name: str, details: str) -> None:
    register(world, uuid4(), name, details)


@then(parsers.parse('"{name}"登记在"{community}"，{party}'))
def registered_in(world: World, name: str, community: str, party: str) -> None:
    member = world.app.member(world.id(name))
    assert member.name == name
    assert member.community_id == world.id(community)
    assert member.party_member is {"是党员": True, "不是党员": False}[party]


@then(parsers.parse('"{name}"的单位是"{unit}"，网格是"{grid}"，电话是"{phone}"'))
def member_details(world: World, name: str, unit: str, grid: str, phone: str) -> None:
    member = world.app.member(world.id(name))
    assert (member.unit_id, member.grid, member.phone) == (world.id(unit), grid, phone)


@then(parsers.parse('"{name}"没有登记单位、网格和电话'))
def member_without_details(world: World, name: str) -> None:
    member = world.app.member(world.id(name))
    assert (member.unit_id, member.grid, member.phone) == (None, None, None)

"""Members: registered in a community, on a date or today, with optional
details; moved and deregistered; registered and read through the API."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from pytest_bdd import given, then, when

from tests.bdd.drivers import Journey, World
from tests.bdd.vocabulary import given_or_when, names, step

PARTY = {"党员": True, "非党员": False}


@given(step('"{community}"已登记志愿者"{name}"'))
def member_registered(world: World, community: str, name: str) -> None:
    written = world.app.register_member(
        name, world.id(community), party_member=True, actor=world.actor
    )
    world.ids[name] = written.id


def register_party_member(
    world: World, name: str, community: str, day: date | None, grid: str | None
) -> None:
    """Registers a party member; without a day, the registration dates from today."""
    world.make(
        name,
        world.app.register_member,
        name,
        world.id(community),
        party_member=True,
        actor=world.actor,
        registered_on=day,
        grid_id=None if grid is None else world.id(grid),
    )


@given_or_when('"{name}"于 {day:Date} 在"{community}"注册')
def registered_on(world: World, name: str, day: date, community: str) -> None:
    register_party_member(world, name, community, day, None)


@given_or_when('"{name}"于 {day:Date} 在"{community}"注册，网格为"{grid}"')
def registered_in_grid_on(
    world: World, name: str, day: date, community: str, grid: str
) -> None:
    register_party_member(world, name, community, day, grid)


@when(step('"{name}"在"{community}"注册'))
def register_today(world: World, name: str, community: str) -> None:
    register_party_member(world, name, community, None, None)


@given_or_when('"{member}"于 {day:Date} 把登记迁到"{community}"')
def moved_on(world: World, member: str, day: date, community: str) -> None:
    world.attempt(
        world.app.move_member,
        world.id(member),
        world.id(community),
        world.actor,
        moved_on=day,
    )


@given_or_when('"{member}"于 {day:Date} 注销，原因是"{reason}"')
def deregistered_on(world: World, member: str, day: date, reason: str) -> None:
    world.attempt(
        world.app.deregister_member, world.id(member), reason, world.actor, left_on=day
    )


# A member's details at registration.


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


@when(step('在"{community}"登记志愿者"{name}"，{details}'))
def register_member(world: World, community: str, name: str, details: str) -> None:
    register(world, world.id(community), name, details)


@when(step('在未登记的社区登记志愿者"{name}"，{details}'))
def register_member_in_unknown_community(world: World, name: str, details: str) -> None:
    register(world, uuid4(), name, details)


@then(step('"{name}"登记在"{community}"，{party}'))
def registered_in(world: World, name: str, community: str, party: str) -> None:
    member = world.app.member(world.id(name))
    assert member.name == name
    assert member.community_id == world.id(community)
    assert member.party_member is {"是党员": True, "不是党员": False}[party]


@then(step('"{name}"的单位是"{unit}"，网格是"{grid}"，电话是"{phone}"'))
def member_details(world: World, name: str, unit: str, grid: str, phone: str) -> None:
    member = world.app.member(world.id(name))
    assert (member.unit_id, member.grid, member.phone) == (world.id(unit), grid, phone)


@then(step('"{name}"没有登记单位、网格和电话'))
def member_without_details(world: World, name: str) -> None:
    member = world.app.member(world.id(name))
    assert (member.unit_id, member.grid, member.phone) == (None, None, None)


# Through the API.


def member_registered_through_api(
    journey: Journey, who: str, done: bool, community: str, name: str, **details: str
) -> None:
    body = {"name": name, "community_id": journey.id(community), "party_member": True}
    response = journey.post(who, "/v1/members", body | details, done=done)
    journey.remember(name, response)


@given_or_when('{who:Role}{done:Done}在"{community}"登记志愿者"{name}"')
def member_registered_by(
    journey: Journey, who: str, done: bool, community: str, name: str
) -> None:
    member_registered_through_api(journey, who, done, community, name)


@given_or_when('{who:Role}{done:Done}在"{community}"登记志愿者"{name}"，手机号 {phone}')
def member_registered_with_phone_by(
    journey: Journey, who: str, done: bool, community: str, name: str, phone: str
) -> None:
    member_registered_through_api(journey, who, done, community, name, phone=phone)


@when(step('{who}查看"{member}"的志愿者记录'))
def member_record(journey: Journey, who: str, member: str) -> None:
    journey.read(who, f"/v1/members/{journey.id(member)}")


@then(step('记录中的手机号是"{phone}"'))
def phone_shown(journey: Journey, phone: str) -> None:
    assert journey.answer()["phone"] == phone


@then("记录中没有手机号")
def phone_hidden(journey: Journey) -> None:
    assert journey.answer().get("phone") is None

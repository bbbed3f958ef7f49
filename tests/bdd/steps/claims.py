"""志愿时长申报: a member claims hours; an organiser approves or rejects, once."""

from __future__ import annotations

from decimal import Decimal

from pytest_bdd import given, then, when

from domain.claim import APPROVED, PENDING, REJECTED
from tests.bdd.drivers import World, event_name
from tests.bdd.vocabulary import step


def claim_of(member: str) -> str:
    return f"{member}的申报"


def decide(world: World, member: str, decision: str, reason: str = "再次审核") -> None:
    claim = world.id(claim_of(member))
    if decision == "批准":
        world.attempt(world.app.approve_claim, claim, world.actor)
    else:
        world.attempt(world.app.reject_claim, claim, reason, world.actor)


@when(step('"{member}"申报参加"{activity}" {hours:Dec} 小时{note:Note}'))
def claim_hours(
    world: World, member: str, activity: str, hours: Decimal, note: str | None
) -> None:
    world.make(
        claim_of(member),
        world.app.claim_hours,
        world.id(member),
        world.id(activity),
        hours,
        member,
        note,
    )


@given(step('"{member}"已申报参加"{activity}" {hours:Dec} 小时'))
def hours_claimed(world: World, member: str, activity: str, hours: Decimal) -> None:
    claimed = world.app.claim_hours(world.id(member), world.id(activity), hours, member)
    world.ids[claim_of(member)] = claimed.id


@given(step('已{decision:Decision}"{member}"的申报'))
def claim_decided(world: World, decision: str, member: str) -> None:
    decide(world, member, decision)
    world.check_no_unexpected_refusal()


@when(step('批准"{member}"的申报'))
def approve(world: World, member: str) -> None:
    decide(world, member, "批准")


@when(step('批准"{member}"的申报，时长改为 {hours:Dec} 小时'))
def approve_other_hours(world: World, member: str, hours: Decimal) -> None:
    claim = world.id(claim_of(member))
    world.attempt(world.app.approve_claim, claim, world.actor, hours)


@when(step('驳回"{member}"的申报，原因是"{reason}"'))
def reject(world: World, member: str, reason: str) -> None:
    decide(world, member, "驳回", reason)


@when(step('再次{decision:Decision}"{member}"的申报'))
def decide_again(world: World, decision: str, member: str) -> None:
    decide(world, member, decision)


@then(step('记录了一条时长申报，申报人为"{actor}"，说明为"{note}"'))
def claim_recorded(world: World, actor: str, note: str) -> None:
    [claimed] = world.new_events()
    assert event_name(claimed) == "HoursClaim.Claimed"
    assert (claimed.actor, claimed.note) == (actor, note)


@then(step('一并记录了批准申报和登记参加，操作人为"{actor}"'))
def approval_recorded(world: World, actor: str) -> None:
    events = world.new_events()
    assert sorted(event_name(e) for e in events) == [
        "Activity.AttendanceRecorded",
        "HoursClaim.Approved",
    ]
    assert {e.actor for e in events} == {actor}


@then(step('更正的原因是"{member}"的申报'))
def corrected_for_the_claim(world: World, member: str) -> None:
    claim = world.app.claim(world.id(claim_of(member)))
    [corrected] = [
        e for e in world.new_events() if event_name(e) == "Activity.AttendanceCorrected"
    ]
    assert corrected.reason == claim.attendance_reason
    assert str(claim.id) in corrected.reason


@then(step('"{member}"的申报待审核'))
def claim_pending(world: World, member: str) -> None:
    assert world.app.claim(world.id(claim_of(member))).status == PENDING


@then(step('"{member}"的申报已批准，时长 {hours:Dec} 小时'))
def claim_approved(world: World, member: str, hours: Decimal) -> None:
    claim = world.app.claim(world.id(claim_of(member)))
    assert (claim.status, claim.decided_hours) == (APPROVED, hours)


@then(step('"{member}"的申报已驳回'))
def claim_rejected(world: World, member: str) -> None:
    assert world.app.claim(world.id(claim_of(member))).status == REJECTED

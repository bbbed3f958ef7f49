"""Activities: scheduled with a points rule or a capacity, closed, cancelled;
the year an activity counts to; scheduled and read through the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from pytest_bdd import given, then, when

from domain.dates import local_date
from tests.bdd.drivers import ORGANIZER, Journey, World, schedule
from tests.bdd.vocabulary import WINDOW, Rule, given_or_when, names, shanghai, step

STATUSES = {"已安排": "scheduled", "已结束登记": "closed", "已取消": "cancelled"}


@given(step('"{team}"已安排活动"{title}"，' + WINDOW))
def activity_scheduled(
    world: World, team: str, title: str, day: date, start: time, end: time, rule: Rule
) -> None:
    schedule(world, team, title, shanghai(day, start), shanghai(day, end), **rule)


@given(
    step(
        '"{team}"已安排活动"{title}"，时间为 {day:Date} {start:Time} '
        "至 {end_day:Date} {end:Time}"
    )
)
def activity_over_days(
    world: World,
    team: str,
    title: str,
    day: date,
    start: time,
    end_day: date,
    end: time,
) -> None:
    starts_at, ends_at = shanghai(day, start), shanghai(end_day, end)
    schedule(world, team, title, starts_at, ends_at, category="应急值守")


@when(step('"{team}"安排活动"{title}"，' + WINDOW))
def schedule_activity(
    world: World, team: str, title: str, day: date, start: time, end: time, rule: Rule
) -> None:
    starts_at, ends_at = shanghai(day, start), shanghai(day, end)
    world.attempt(schedule, world, team, title, starts_at, ends_at, **rule)


@given(step('"{activity}"已结束登记'))
def activity_closed(world: World, activity: str) -> None:
    world.app.close_activity(world.id(activity), world.actor)


@when(step('结束"{activity}"的登记'))
def close_activity(world: World, activity: str) -> None:
    world.attempt(lambda: world.app.close_activity(world.id(activity), world.actor))


@given(step('"{activity}"已取消，原因是"{reason}"'))
def activity_cancelled(world: World, activity: str, reason: str) -> None:
    world.app.cancel_activity(world.id(activity), reason, world.actor)


@when(step('取消"{activity}"，原因是"{reason}"'))
def cancel_activity(world: World, activity: str, reason: str) -> None:
    world.attempt(world.app.cancel_activity, world.id(activity), reason, world.actor)


@when(step('取消"{activity}"，但不说明原因'))
def cancel_without_reason(world: World, activity: str) -> None:
    world.attempt(
        lambda: world.app.cancel_activity(world.id(activity), " ", world.actor)
    )


@then(step('"{activity}"的状态是"{status}"'))
def activity_status(world: World, activity: str, status: str) -> None:
    assert world.app.activity(world.id(activity)).status == STATUSES[status]


@then(step('取消事件撤销了"{members}"的参加记录'))
def cancellation_revoked(world: World, members: str) -> None:
    (cancelled,) = world.new_events()
    expected = {world.id(name) for name in names(members)}
    assert set(cancelled.revoked_member_ids) == expected


# The year an activity counts to.


@then(step('"{activity}"按协调世界时开始于 {day:Date} {at:Time}'))
def starts_in_utc(world: World, activity: str, day: date, at: time) -> None:
    starts_at = world.app.activity(world.id(activity)).starts_at
    assert starts_at == datetime.combine(day, at, tzinfo=UTC)


@then(step('"{activity}"的当地日期是 {day:Date}，计入 {year:d} 年'))
def counts_to_year(world: World, activity: str, day: date, year: int) -> None:
    counted = local_date(world.app.activity(world.id(activity)).starts_at)
    assert counted == day
    assert counted.year == year


# Through the API.


@given_or_when('{who:Role}{done:Done}为"{team}"安排活动"{title}"，' + WINDOW)
def activity_scheduled_by(
    journey: Journey,
    who: str,
    done: bool,
    team: str,
    title: str,
    day: date,
    start: time,
    end: time,
    rule: Rule,
) -> None:
    body = {
        "title": title,
        "team_id": journey.id(team),
        "category": "志愿服务",
        "starts_at": shanghai(day, start).isoformat(),
        "ends_at": shanghai(day, end).isoformat(),
    } | {k: str(v) if isinstance(v, Decimal) else v for k, v in rule.items()}
    response = journey.post(who, "/v1/activities", body, done=done)
    journey.remember(title, response)


@when(step('组织者结束"{activity}"的登记'))
def organizer_closes_activity(journey: Journey, activity: str) -> None:
    journey.send(ORGANIZER, "POST", f"/v1/activities/{journey.id(activity)}/close")


@when(step('"{member}"查看活动"{activity}"'))
def read_activity(journey: Journey, member: str, activity: str) -> None:
    journey.read(member, f"/v1/activities/{journey.id(activity)}")

"""Steps shared by every feature: the world of one scenario and its setup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from parse import with_pattern
from pytest_bdd import given, parsers, then, when

from domain.application import VolunteerPoints
from domain.errors import DomainError
from domain.rules import SHANGHAI

EVENT_NAMES = {
    "社区登记": "Community.Registered",
    "单位登记": "Unit.Registered",
    "组织报到": "Unit.DoubleReported",
    "志愿者注册": "Member.Registered",
    "个人报到": "Member.DoubleReported",
    "成立服务队": "Team.Founded",
    "加入服务队": "Team.MemberJoined",
    "退出服务队": "Team.MemberLeft",
    "解散服务队": "Team.Dissolved",
    "安排活动": "Activity.Scheduled",
    "报名": "Activity.SignedUp",
    "取消报名": "Activity.Withdrew",
    "登记参加": "Activity.AttendanceRecorded",
    "更正时长": "Activity.AttendanceCorrected",
    "撤销参加记录": "Activity.AttendanceRevoked",
    "取消活动": "Activity.Cancelled",
    "结束登记": "Activity.Closed",
}


Rule = dict[str, Decimal | int]
RULES = {"每小时": "points_per_hour", "固定": "fixed_points", "限": "capacity"}


@with_pattern(r"(，(每小时|固定) \d+(\.\d+)? 积分|，限 \d+ 人)?")
def parse_rule(text: str) -> Rule:
    """An activity's points rule or capacity: "，每小时 7 积分", "，限 20 人"."""
    if not text:
        return {}
    label, number = text.strip("，").split()[:2]
    value = int(number) if label == "限" else Decimal(number)
    return {RULES[label]: value}


@with_pattern(r'(，原因是"[^"]+")?')
def parse_reason(text: str) -> str | None:
    return text.removeprefix("，原因是").strip('"') or None


TYPES = {
    "Date": with_pattern(r"\d{4}-\d{2}-\d{2}")(lambda t: date.fromisoformat(t)),
    "Time": with_pattern(r"\d{2}:\d{2}")(lambda t: time.fromisoformat(t)),
    "Dec": with_pattern(r"-?\d+(\.\d+)?")(lambda t: Decimal(t)),
    "Rule": parse_rule,
    "Reason": parse_reason,
}
WINDOW = "时间为 {day:Date} {start:Time} 至 {end:Time}{rule:Rule}"


def step(text: str) -> Any:
    return parsers.parse(text, extra_types=TYPES)


def shanghai(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=SHANGHAI)


def names(text: str) -> list[str]:
    return [name for name in text.split("、") if name]


@dataclass
class World:
    """What one scenario has made so far, by name, and what its last command did."""

    app: VolunteerPoints
    actor: str = "社区书记李华"
    ids: dict[str, UUID] = field(default_factory=dict)
    before: int = 0
    error: DomainError | None = None
    error_seen: bool = True

    def id(self, name: str) -> UUID:
        assert name in self.ids, f"场景中没有“{name}”"
        return self.ids[name]

    def attempt(self, command: Callable[[], Any]) -> Any:
        """Runs a command, keeping a refusal for a later step to inspect."""
        self.check_no_unexpected_refusal()
        self.before = self.app.position()
        self.error = None
        try:
            return command()
        except DomainError as error:
            self.error = error
            self.error_seen = False
            return None

    def check_no_unexpected_refusal(self) -> None:
        if self.error is not None and not self.error_seen:
            error, self.error = self.error, None
            pytest.fail(f"命令被意外拒绝: {error.code}: {error.message}")

    def new_events(self) -> list[Any]:
        notifications = self.app.recorder.select_notifications(
            start=self.before + 1, limit=1000
        )
        return [self.app.mapper.to_domain_event(n) for n in notifications]

    def stored_events(self, name: str) -> list[Any]:
        return list(self.app.events.get(self.id(name)))


@pytest.fixture
def world(app: VolunteerPoints) -> World:
    return World(app)


def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    """A refusal that no step expected fails the scenario."""
    request.getfixturevalue("world").check_no_unexpected_refusal()


def event_name(domain_event: Any) -> str:
    return type(domain_event).__qualname__


def schedule(
    world: World, team: str, title: str, day: date, start: time, end: time, rule: Rule
) -> None:
    written = world.app.schedule_activity(
        title=title,
        team_id=world.id(team),
        category="政策宣讲",
        starts_at=shanghai(day, start),
        ends_at=shanghai(day, end),
        actor=world.actor,
        location="社区党群服务中心",
        **rule,
    )
    world.ids[title] = written.id


# Setting the scene.


@given(step('操作人是"{actor}"'))
def operator_is(world: World, actor: str) -> None:
    world.actor = actor


@given(step('已登记社区"{name}"'))
def community_registered(world: World, name: str) -> None:
    world.ids[name] = world.app.register_community(name, "城关街道", world.actor).id


@given(step('已登记单位党组织"{name}"'))
def unit_registered(world: World, name: str) -> None:
    world.ids[name] = world.app.register_unit(name, world.actor).id


@given(step('"{community}"已登记志愿者"{name}"'))
def member_registered(world: World, community: str, name: str) -> None:
    written = world.app.register_member(
        name, world.id(community), party_member=True, actor=world.actor
    )
    world.ids[name] = written.id


@given(step('"{community}"已成立"{team}"'))
def team_founded(world: World, community: str, team: str) -> None:
    world.ids[team] = world.app.found_team(team, world.id(community), world.actor).id


@given(step('"{team}"已安排活动"{title}"，' + WINDOW))
def activity_scheduled(
    world: World, team: str, title: str, day: date, start: time, end: time, rule: Rule
) -> None:
    schedule(world, team, title, day, start, end, rule)


@given(step("现在是 {day:Date} {at:Time}"))
@when(step("时间来到 {day:Date} {at:Time}"))
def now_is(clock: Any, day: date, at: time) -> None:
    clock.now = shanghai(day, at)


@given(step('已登记"{member}"参加"{activity}" {hours:Dec} 小时'))
def attendance_recorded(
    world: World, member: str, activity: str, hours: Decimal
) -> None:
    world.app.record_attendance(
        world.id(activity), [(world.id(member), hours)], world.actor
    )


@given(step('"{activity}"已结束登记'))
def activity_closed(world: World, activity: str) -> None:
    world.app.close_activity(world.id(activity), world.actor)


@given(step('"{activity}"已取消，原因是"{reason}"'))
def activity_cancelled(world: World, activity: str, reason: str) -> None:
    world.app.cancel_activity(world.id(activity), reason, world.actor)


@given(step('已撤销"{member}"在"{activity}"的参加记录，原因是"{reason}"'))
def attendance_revoked(world: World, member: str, activity: str, reason: str) -> None:
    world.app.revoke_attendance(
        world.id(activity), world.id(member), reason, world.actor
    )


# Commands more than one feature gives.


@when(step('"{team}"安排活动"{title}"，' + WINDOW))
def schedule_activity(
    world: World, team: str, title: str, day: date, start: time, end: time, rule: Rule
) -> None:
    world.attempt(lambda: schedule(world, team, title, day, start, end, rule))


@when(step('登记"{member}"参加"{activity}" {hours:Dec} 小时{reason:Reason}'))
def record_attendance(
    world: World, member: str, activity: str, hours: Decimal, reason: str | None
) -> None:
    records = [(world.id(member), hours)]
    world.attempt(
        lambda: world.app.record_attendance(
            world.id(activity), records, world.actor, reason=reason
        )
    )


# Outcomes every feature checks.


@then(step('操作被拒绝，错误代码为"{code}"'))
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


STATUSES = {"已安排": "scheduled", "已结束登记": "closed", "已取消": "cancelled"}


@then(step('"{activity}"的状态是"{status}"'))
def activity_status(world: World, activity: str, status: str) -> None:
    assert world.app.activity(world.id(activity)).status == STATUSES[status]


@then(step('"{member}"在"{activity}"的参加记录为 {hours:Dec} 小时、{points} 积分'))
def attendance_is(
    world: World, member: str, activity: str, hours: Decimal, points: str
) -> None:
    attendance = world.app.activity(world.id(activity)).attendances[world.id(member)]
    assert not attendance.revoked
    assert isinstance(attendance.hours, Decimal)
    assert isinstance(attendance.points, Decimal)
    assert attendance.hours == hours
    assert str(attendance.points) == points


@then(step('"{member}"在"{activity}"的参加记录已撤销'))
def attendance_revoked_now(world: World, member: str, activity: str) -> None:
    attendances = world.app.activity(world.id(activity)).attendances
    assert attendances[world.id(member)].revoked


@then(step('"{member}"在"{activity}"没有参加记录'))
def no_attendance(world: World, member: str, activity: str) -> None:
    attendances = world.app.activity(world.id(activity)).attendances
    assert world.id(member) not in attendances

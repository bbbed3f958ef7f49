"""Steps shared by every feature: the world of one scenario and its setup."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

import pytest
from parse import with_pattern
from pytest_bdd import given, parsers, then, when

from domain.application import VolunteerPoints
from domain.community import Community
from domain.dates import SHANGHAI, figure_date
from domain.errors import DomainError
from domain.member import Member
from domain.team import Team
from domain.tree import District, Grid, Street
from projections.queries import Queries
from projections.runner import Projector
from tests.api.support import problem, running_api
from tests.bdd.api_steps import ADMIN, ORGANIZER, Journey
from tests.conftest import Clock

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
Step = TypeVar("Step", bound=Callable[..., Any])
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
    # Who makes a request through the API, whether the scene has it done
    # already ("已"), and the level an organiser's token is for.
    "Role": with_pattern(r"管理员|组织者")(lambda t: t),
    "Done": with_pattern(r"已?")(lambda t: t == "已"),
    "Level": with_pattern(r"(街道|区县)?")(lambda t: t),
}
WINDOW = "时间为 {day:Date} {start:Time} 至 {end:Time}{rule:Rule}"


def step(text: str) -> Any:
    return parsers.parse(text, extra_types=TYPES)


def given_or_when(text: str) -> Callable[[Step], Step]:
    """One step for a fact, whether the scene is set with it or a step does it."""
    parser = step(text)

    def register(function: Step) -> Step:
        given(parser, stacklevel=2)(function)
        when(parser, stacklevel=2)(function)
        return function

    return register


def shanghai(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=SHANGHAI)


def names(text: str) -> list[str]:
    return [name for name in text.split("、") if name]


def table_rows(datatable: list[list[str]]) -> list[dict[str, str]]:
    """A table's rows, each keyed by the table's header."""
    header, *body = datatable
    return [dict(zip(header, row, strict=True)) for row in body]


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

    def attempt(self, command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Runs a command, keeping a refusal for a later step to inspect."""
        self.check_no_unexpected_refusal()
        self.before = self.app.position()
        self.error = None
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            self.error = error
            self.error_seen = False
            return None

    def make(
        self, name: str, command: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> None:
        """Attempts a command that makes something, and names what it made."""
        written = self.attempt(command, *args, **kwargs)
        if written is not None:
            self.ids[name] = written.id

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
    world: World,
    team: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    **details: Any,
) -> None:
    """Schedules a policy talk at the community centre unless ``details`` say
    otherwise (a points rule, a capacity, another category)."""
    written = world.app.schedule_activity(
        title=title,
        team_id=world.id(team),
        starts_at=starts_at,
        ends_at=ends_at,
        actor=world.actor,
        **({"category": "政策宣讲", "location": "社区党群服务中心"} | details),
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
    schedule(world, team, title, shanghai(day, start), shanghai(day, end), **rule)


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
    starts_at, ends_at = shanghai(day, start), shanghai(day, end)
    world.attempt(schedule, world, team, title, starts_at, ends_at, **rule)


@when(step('登记"{member}"参加"{activity}" {hours:Dec} 小时{reason:Reason}'))
def record_attendance(
    world: World, member: str, activity: str, hours: Decimal, reason: str | None
) -> None:
    records = [(world.id(member), hours)]
    world.attempt(
        world.app.record_attendance,
        world.id(activity),
        records,
        world.actor,
        reason=reason,
    )


@when(step('撤销"{member}"在"{activity}"的参加记录，原因是"{reason}"'))
def revoke_attendance(world: World, member: str, activity: str, reason: str) -> None:
    world.attempt(
        world.app.revoke_attendance,
        world.id(activity),
        world.id(member),
        reason,
        world.actor,
    )


@when(step('取消"{activity}"，原因是"{reason}"'))
def cancel_activity(world: World, activity: str, reason: str) -> None:
    world.attempt(world.app.cancel_activity, world.id(activity), reason, world.actor)


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


# Business dates: the world's today, and facts that took effect on a date.


@given_or_when("今天是 {day:Date}")
def today_is(clock: Any, day: date) -> None:
    """Moves the application's clock to 10:00 of that day in Shanghai."""
    clock.now = shanghai(day, time(10, 0))


@given_or_when('操作人换成"{actor}"')
def operator_changes(world: World, actor: str) -> None:
    world.actor = actor


def register(
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


def found(world: World, team: str, community: str, day: date | None) -> None:
    world.make(
        team,
        world.app.found_team,
        team,
        world.id(community),
        world.actor,
        founded_on=day,
    )


def join(world: World, member: str, team: str, day: date | None) -> None:
    world.attempt(
        world.app.join_team,
        world.id(team),
        world.id(member),
        world.actor,
        joined_on=day,
    )


@given_or_when('"{name}"于 {day:Date} 在"{community}"注册')
def registered_on(world: World, name: str, day: date, community: str) -> None:
    register(world, name, community, day, None)


@given_or_when('"{name}"于 {day:Date} 在"{community}"注册，网格为"{grid}"')
def registered_in_grid_on(
    world: World, name: str, day: date, community: str, grid: str
) -> None:
    register(world, name, community, day, grid)


@given_or_when('"{team}"于 {day:Date} 在"{community}"成立')
def founded_on(world: World, team: str, day: date, community: str) -> None:
    found(world, team, community, day)


@given_or_when('"{member}"于 {day:Date} 加入"{team}"')
def joined_on(world: World, member: str, day: date, team: str) -> None:
    join(world, member, team, day)


@given_or_when('"{member}"于 {day:Date} 退出"{team}"')
def left_team_on(world: World, member: str, day: date, team: str) -> None:
    world.attempt(
        world.app.leave_team, world.id(team), world.id(member), world.actor, left_on=day
    )


@given_or_when('"{team}"于 {day:Date} 解散')
def dissolved_on(world: World, team: str, day: date) -> None:
    reason = "队员已并入其他服务队"
    world.attempt(
        world.app.dissolve_team, world.id(team), reason, world.actor, dissolved_on=day
    )


@given_or_when('"{member}"于 {day:Date} 向"{community}"个人报到')
def member_reported_on(world: World, member: str, day: date, community: str) -> None:
    world.attempt(
        world.app.double_report_member,
        world.id(member),
        world.id(community),
        day,
        world.actor,
    )


@given_or_when('"{member}"于 {day:Date} 结束个人报到')
def member_report_ended_on(world: World, member: str, day: date) -> None:
    world.attempt(
        world.app.end_member_double_report, world.id(member), world.actor, ended_on=day
    )


@given_or_when('"{unit}"于 {day:Date} 向"{community}"组织报到')
def unit_reported_on(world: World, unit: str, day: date, community: str) -> None:
    world.attempt(
        world.app.double_report_unit,
        world.id(unit),
        world.id(community),
        day,
        world.actor,
    )


@given_or_when('"{unit}"于 {day:Date} 结束向"{community}"的组织报到')
def unit_report_ended_on(world: World, unit: str, day: date, community: str) -> None:
    world.attempt(
        world.app.end_unit_double_report,
        world.id(unit),
        world.id(community),
        world.actor,
        ended_on=day,
    )


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


# The organisation tree: district (区县) → street (街道) → community → grid.


@given(step('已登记区县"{name}"'))
def district_registered(world: World, name: str) -> None:
    world.ids[name] = world.app.register_district(name, world.actor).id


@given(step('"{district}"已登记街道"{name}"'))
def street_registered(world: World, district: str, name: str) -> None:
    written = world.app.register_street(name, world.id(district), world.actor)
    world.ids[name] = written.id


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


# Figures as of a date, read through the queries once the projector has caught up.


@dataclass
class ReadSide:
    world: World
    projector: Projector

    def caught_up(self) -> Queries:
        """The queries once they reflect every command of the scenario so far."""
        self.world.check_no_unexpected_refusal()
        self.projector.catch_up()
        return Queries(self.projector.view)


@pytest.fixture
def read_side(world: World) -> ReadSide:
    return ReadSide(world, Projector(world.app))


# The whole deployment, as the features call it: a city or, in some, a district.
WHOLE = {"全市", "全区"}
SCOPE_FIGURES = {
    "截至": "as_of",
    "社区": "communities",
    "网格": "grids",
    "网格党组织": "grid_party_organisations",
    "服务队": "teams",
    "服务队志愿者": "volunteers",
    "活动": "activities",
    "人次": "participations",
    "时长": "hours",
    "积分": "points",
    "注册志愿者": "members",
    "人均年积分": "avg_annual_points",
    "报到单位": "units_reported",
    "报到党员": "members_reported",
}
TEAM_FIGURES = {
    "截至": "as_of",
    "队员": "members",
    "活动": "activities",
    "人次": "participations",
    "时长": "hours",
    "积分": "points",
}
MEMBER_FIGURES = {
    "截至": "as_of",
    "积分": "points",
    "时长": "hours",
    "人次": "activities",
    "累计积分": "lifetime_points",
    "累计时长": "lifetime_hours",
    "星级": "star",
}
SCOPE_KINDS: dict[type[Any], str] = {
    District: "district",
    Street: "street",
    Community: "community",
    Grid: "grid",
}


@with_pattern(r'"[^"]+"|全市|全区')
def parse_scope(text: str) -> str:
    return text.strip('"')


FIGURE_TYPES = TYPES | {"Scope": parse_scope}


def figure_step(text: str) -> Any:
    return parsers.parse(text, extra_types=FIGURE_TYPES)


def scope_of(world: World, name: str) -> tuple[str, str | None]:
    """The scope and scope id a figure of the whole deployment, a district, a
    street, a community or a grid is asked for with."""
    if name in WHOLE:
        return "all", None
    aggregate: Any = world.app.repository.get(world.id(name))
    assert type(aggregate) in SCOPE_KINDS, f"“{name}”不是统计范围"
    return SCOPE_KINDS[type(aggregate)], str(aggregate.id)


def figures_of(
    world: World, queries: Queries, name: str, year: int, on: date
) -> dict[str, str]:
    """The figures of the whole deployment, a scope, a team or a member for a
    year as of ``on``, under the names the features use."""
    if name not in WHOLE:
        aggregate: Any = world.app.repository.get(world.id(name))
        if isinstance(aggregate, Member):
            found = queries.member_points(str(aggregate.id), year, on)
            return {k: str(found[v]) for k, v in MEMBER_FIGURES.items()}
        if isinstance(aggregate, Team):
            team = queries.team(str(aggregate.id), year, on)
            assert team is not None, f"读模型中没有服务队“{name}”"
            return {k: str(team[v]) for k, v in TEAM_FIGURES.items()}
    scope, scope_id = scope_of(world, name)
    stats = queries.stats(scope, scope_id, year, on)
    return {k: str(stats[v]) for k, v in SCOPE_FIGURES.items() if v in stats}


def figures_table(
    world: World,
    read_side: ReadSide,
    year: int,
    as_of: date | None,
    datatable: list[list[str]],
) -> None:
    """Compares a table of figures, one row per scope, team or member; "—"
    stands for a figure that row's kind does not have."""
    on = figure_date(year, as_of, world.app.today())
    queries = read_side.caught_up()
    header, *expected = datatable
    actual = []
    for row in expected:
        found = figures_of(world, queries, row[0], year, on)
        actual.append([row[0], *(found.get(label, "—") for label in header[1:])])
    assert actual == expected


@then(figure_step("{year:d} 年的数字是："))
def figures_in_year(
    world: World, read_side: ReadSide, year: int, datatable: list[list[str]]
) -> None:
    figures_table(world, read_side, year, None, datatable)


@then(figure_step("截至 {day:Date} 的数字是："))
def figures_as_of(
    world: World, read_side: ReadSide, day: date, datatable: list[list[str]]
) -> None:
    figures_table(world, read_side, day.year, day, datatable)


def one_figure(
    world: World,
    read_side: ReadSide,
    name: str,
    year: int,
    as_of: date | None,
    label: str,
    value: str,
) -> None:
    on = figure_date(year, as_of, world.app.today())
    found = figures_of(world, read_side.caught_up(), name, year, on)
    assert label in found, f"“{name}”没有“{label}”这个数字"
    assert found[label] == value, f"{name} {on} 的{label}: {found[label]}"


@then(figure_step("{scope:Scope} {year:d} 年的{label}是 {value}"))
def figure_in_year(
    world: World, read_side: ReadSide, scope: str, year: int, label: str, value: str
) -> None:
    one_figure(world, read_side, scope, year, None, label, value)


@then(figure_step("{scope:Scope}截至 {day:Date} 的{label}是 {value}"))
def figure_as_of(
    world: World, read_side: ReadSide, scope: str, day: date, label: str, value: str
) -> None:
    one_figure(world, read_side, scope, day.year, day, label, value)


# A member's statement, as the queries give it.

STATEMENT_STATUSES = {
    "recorded": "已登记",
    "corrected": "已更正",
    "revoked": "已撤销",
    "cancelled": "已取消",
}


def shown(value: Any) -> str:
    """A value as a table cell shows it: nothing for a value that is absent."""
    return "" if value is None else str(value)


def rows_are(datatable: list[list[str]], items: list[dict[str, str]]) -> None:
    """Compares a table with items keyed by its column names."""
    header, *expected = datatable
    assert [[item.get(column, "") for column in header] for item in items] == expected


@then(step('"{member}"现在报到的社区是"{community}"，报到日期是 {day:Date}'))
def member_reports_to(
    world: World, read_side: ReadSide, member: str, community: str, day: date
) -> None:
    record = read_side.caught_up().member(str(world.id(member)))
    assert record is not None
    assert record["double_report"] == {
        "community_id": str(world.id(community)),
        "reported_on": day.isoformat(),
    }


def statement_items(
    world: World, read_side: ReadSide, member: str, year: int
) -> list[dict[str, Any]]:
    on = figure_date(year, None, world.app.today())
    statement = read_side.caught_up().statement(str(world.id(member)), year, on)
    items: list[dict[str, Any]] = statement["items"]
    return items


@then(step('"{member}" {year:d} 年的明细是：'))
@then(step('"{member}" {year:d} 年的积分明细是：'))
def statement_is(
    world: World,
    read_side: ReadSide,
    member: str,
    year: int,
    datatable: list[list[str]],
) -> None:
    items = [
        {
            "活动": item["title"],
            "日期": item["date"],
            "时长": shown(item["hours"]),
            "积分": shown(item["points"]),
            "状态": STATEMENT_STATUSES[item["status"]],
            "登记人": shown(item["recorded_by"]),
            "原因": shown(item["reason"]),
        }
        for item in statement_items(world, read_side, member, year)
    ]
    rows_are(datatable, items)


# The HTTP API, for the features told through it (``api_steps.THROUGH_THE_API``).
# With "已" a step finds a write done in the scene, so it must have succeeded;
# without, the step makes the request and a refusal waits for a "请求被拒绝" step.


# The tree, made by the admin through the API.


@given(step('管理员已登记区县"{name}"'))
def district_registered_by_admin(journey: Journey, name: str) -> None:
    made = journey.made(ADMIN, "POST", "/v1/districts", {"name": name})
    journey.ids[name], journey.kinds[name] = made["id"], "district"


@given(step('管理员已在"{district}"登记街道"{name}"'))
def street_registered_by_admin(journey: Journey, district: str, name: str) -> None:
    body = {"name": name, "district_id": journey.id(district)}
    made = journey.made(ADMIN, "POST", "/v1/streets", body)
    journey.ids[name], journey.kinds[name] = made["id"], "street"


@given(step('管理员已在"{street}"登记社区"{name}"'))
def community_in_street_by_admin(journey: Journey, street: str, name: str) -> None:
    body = {"name": name, "street_id": journey.id(street)}
    made = journey.made(ADMIN, "POST", "/v1/communities", body)
    journey.ids[name], journey.kinds[name] = made["id"], "community"


@pytest.fixture
def journey(database_url: str, clock: Clock) -> Iterator[Journey]:
    with running_api(database_url, clock) as api:
        trip = Journey(api)
        yield trip
        trip.check_no_unexpected_refusal()


@given(step('管理员已登记社区"{name}"'))
def community_registered_by_admin(journey: Journey, name: str) -> None:
    made = journey.made(ADMIN, "POST", "/v1/communities", {"name": name})
    journey.ids[name], journey.kinds[name] = made["id"], "community"


ORGANIZER_SCOPES = {"": "community_ids", "街道": "street_ids", "区县": "district_ids"}


@given(step('管理员已为"{place}"签发{level:Level}组织者令牌'))
def organizer_token(journey: Journey, place: str, level: str) -> None:
    scope = {"role": "organizer", ORGANIZER_SCOPES[level]: [journey.id(place)]}
    made = journey.made(ADMIN, "POST", "/v1/tokens", scope)
    journey.tokens[ORGANIZER] = made["token"]


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


@given_or_when('{who:Role}{done:Done}在"{community}"成立服务队"{team}"')
def team_founded_by(
    journey: Journey, who: str, done: bool, community: str, team: str
) -> None:
    body = {"name": team, "community_id": journey.id(community)}
    response = journey.post(who, "/v1/teams", body, done=done)
    journey.remember(team, response, "team")


@given_or_when('{who:Role}{done:Done}把"{member}"加入"{team}"')
def member_joined_by(
    journey: Journey, who: str, done: bool, member: str, team: str
) -> None:
    url = f"/v1/teams/{journey.id(team)}/members"
    journey.post(who, url, {"member_id": journey.id(member)}, done=done)


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


@given_or_when('{who:Role}{done:Done}登记"{activity}"的参加记录')
def attendance_recorded_by(
    journey: Journey, who: str, done: bool, activity: str, datatable: list[list[str]]
) -> None:
    records = [
        {"member_id": journey.id(row["志愿者"]), "hours": row["时长"]}
        for row in table_rows(datatable)
    ]
    url = f"/v1/activities/{journey.id(activity)}/attendance"
    journey.post(who, url, {"records": records}, done=done)


CORRECTION = (
    '{who:Role}把"{member}"在"{activity}"的时长更正为 {hours:Dec} 小时，'
    '原因是"{reason}"'
)


@when(step(CORRECTION))
def attendance_corrected_by(
    journey: Journey, who: str, member: str, activity: str, hours: Decimal, reason: str
) -> None:
    body = {
        "records": [{"member_id": journey.id(member), "hours": str(hours)}],
        "reason": reason,
    }
    url = f"/v1/activities/{journey.id(activity)}/attendance"
    journey.send(who, "POST", url, body)


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

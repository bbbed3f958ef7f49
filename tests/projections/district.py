"""A district at work: valid commands chosen at random, through the application.

The choices come from a ``Chooser``: hypothesis draws in the property test, a
seeded ``random.Random`` elsewhere. Every command it gives is one the domain
accepts, with business dates back-dated but never after today; a refusal is a
bug in this driver and fails the test. Now and then it gives a date after
today on purpose, and checks that the command is refused and records nothing."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from domain.activity import CANCELLED, CLOSED, SCHEDULED
from domain.application import VolunteerPoints
from domain.errors import FutureDate
from tests.conftest import Clock

T = TypeVar("T")

BEIJING_TIME = ZoneInfo("Asia/Shanghai")
ACTOR = "区委组织部王敏"
RECORDER = "社区书记李红"


def beijing(day: str, at: str) -> datetime:
    return datetime.combine(
        date.fromisoformat(day), time.fromisoformat(at), tzinfo=BEIJING_TIME
    )


# The clock starts on New Year's Eve 2025, so that facts can be back-dated into
# earlier years, activities scheduled around midnight and in later years.
START = beijing("2025-12-31", "20:00")
DURATIONS = [timedelta(minutes=30), timedelta(hours=1), timedelta(hours=2.5)]
RULES: list[dict[str, Any]] = [
    {},
    {"points_per_hour": "7"},
    {"points_per_hour": "4.2"},  # 0.25 h earns 1.05, shown 1.1 (half-up)
    {"points_per_hour": "0"},
    {"fixed_points": "5"},
    {"fixed_points": "2.25"},  # shown 2.3 (half-up)
]
HOURS = ["0.25", "0.5", "0.75", "1", "1.25", "2", "2.5"]
NAMES = ["张伟", "李娜", "王芳", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周丽", "吴强"]
DISTRICTS = ["秦皇岛经济技术开发区", "北戴河新区"]
STREETS = ["船厂路街道", "戴河镇", "团林乡"]
COMMUNITIES = ["阳光社区", "幸福里社区", "和平社区", "海滨村"]
PARTY_ORGANISATIONS = [None, "党委", "党总支", "党支部"]
GRIDS = ["第一网格", "第二网格"]
UNITS = ["区教育局党委", "区人民医院党委", "城投公司党支部"]
TEAMS = ["夕阳红志愿服务队", "红马甲服务队", "巾帼志愿队", "青年突击队", "护河队"]
TITLES = ["政策宣讲", "垃圾分类宣传", "义诊", "跨年夜安全巡查", "农忙帮扶"]
REASONS = ["当天实际未到场", "登记错人", "暴雨", "核对签到表后更正"]


class Chooser(Protocol):
    def choice(self, options: Sequence[T]) -> T: ...

    def integer(self, low: int, high: int) -> int: ...


class RandomChooser:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def choice(self, options: Sequence[T]) -> T:
        return self.random.choice(options)

    def integer(self, low: int, high: int) -> int:
        return self.random.randint(low, high)


@dataclass
class Member:
    """What the driver must know of a member to give only valid commands."""

    community: UUID
    since: date
    left: bool = False
    reported_to: UUID | None = None
    reported_on: date | None = None
    report_ended: date | None = None


@dataclass
class Team:
    founded_on: date
    members: dict[UUID, date] = field(default_factory=dict)
    last_left: dict[UUID, date] = field(default_factory=dict)
    dissolved: bool = False


@dataclass
class Activity:
    starts_at: datetime
    longest: Decimal
    capacity: int | None
    status: str = SCHEDULED
    signups: set[UUID] = field(default_factory=set)
    counting: set[UUID] = field(default_factory=set)


class District:
    """Drives an application with commands that are valid when given.

    It keeps a small model of what it did (ids, dates, team members, sign-ups,
    which attendances still count) so that choosing costs no reads of the
    store. Its first step builds the organisation tree: two districts, their
    streets, communities in a street and without one, grids with and without
    a party organisation."""

    def __init__(
        self,
        app: VolunteerPoints,
        clock: Clock,
        choose: Chooser,
        *,
        most_members: int = 10,
        most_activities: int = 12,
    ) -> None:
        self.app = app
        self.clock = clock
        self.choose = choose
        self.most_members = most_members
        self.most_activities = most_activities
        self.streets: list[UUID] = []
        self.communities: list[UUID] = []
        self.grids: dict[UUID, list[UUID]] = {}
        self.units: list[UUID] = []
        self.unit_reports: dict[tuple[UUID, UUID], date] = {}
        self.unit_reports_ended: dict[tuple[UUID, UUID], date] = {}
        self.members: dict[UUID, Member] = {}
        self.teams: dict[UUID, Team] = {}
        self.activities: dict[UUID, Activity] = {}
        self.refusals = 0
        self.clock.now = START

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.step()

    def step(self) -> str:
        """Gives one command that is possible now; returns its name."""
        if not self.communities:
            self.build_tree()
            return "build_tree"
        name, command = self.choose.choice(self.possible())
        command()
        return name

    def possible(self) -> list[tuple[str, Callable[[], None]]]:
        """The commands that are valid now, the likelier ones repeated."""
        standing = self.standing_teams()
        registered = self.registered()
        can: list[tuple[str, Callable[[], None]]] = [
            ("advance_clock", self.advance_clock),
            ("refuse_a_future_date", self.refuse_a_future_date),
        ]
        if len(self.units) < len(UNITS):
            can.append(("register_unit", self.register_unit))
        if len(self.teams) < len(TEAMS):
            can.append(("found_team", self.found_team))
        if len(self.members) < self.most_members:
            can += [("register_member", self.register_member)] * 3
        if self.units:
            can.append(("double_report_unit", self.double_report_unit))
        if self.unit_reports:
            can.append(("end_unit_double_report", self.end_unit_double_report))
        if registered:
            can += [
                ("double_report_member", self.double_report_member),
                ("double_report_member", self.double_report_member),
                ("change_member", self.change_member),
                ("move_member", self.move_member),
            ]
        if len(registered) > 3:
            can.append(("deregister_member", self.deregister_member))
        if self.reported_members():
            can.append(("end_member_double_report", self.end_member_double_report))
        if registered and standing:
            can += [("join_team", self.join_team)] * 3
        if len(standing) > 1:
            can.append(("dissolve_team", self.dissolve_team))
        if standing and len(self.activities) < self.most_activities:
            can += [("schedule_activity", self.schedule_activity)] * 2
        if self.teams_with_members():
            can.append(("leave_team", self.leave_team))
        if self.upcoming():
            can.append(("jump_to_an_activity", self.jump_to_an_activity))
        if registered and self.open_for_sign_up():
            can += [("sign_up", self.sign_up)] * 2
        if self.withdrawable():
            can.append(("withdraw", self.withdraw))
        if registered and self.open_for_attendance():
            can += [("record_attendance", self.record_attendance)] * 5
            can.append(("close_activity", self.close_activity))
        if self.revocable():
            can.append(("revoke_attendance", self.revoke_attendance))
        if self.cancellable():
            can.append(("cancel_activity", self.cancel_activity))
        return can

    # What is possible now.

    def today(self) -> date:
        return self.app.today()

    def on_or_after(self, earliest: date | None = None) -> date | None:
        """A business date from ``earliest`` through today, back-dated into
        earlier years as often as not; None leaves the domain's default
        (today)."""
        today = self.today()
        year = today.year
        candidates = [
            today,
            today - timedelta(days=1),
            today - timedelta(days=40),
            date(year, 1, 1),
            date(year - 1, 12, 31),
            date(year - 1, 7, 1),
            date(year - 1, 1, 1),
        ]
        lowest = earliest or date.min
        chosen = [d for d in dict.fromkeys(candidates) if lowest <= d <= today]
        return self.choose.choice([None, *sorted(chosen)])

    def registered(self) -> list[UUID]:
        return [i for i, m in self.members.items() if not m.left]

    def reported_members(self) -> list[UUID]:
        return [i for i in self.registered() if self.members[i].reported_to]

    def standing_teams(self) -> list[UUID]:
        return [i for i, t in self.teams.items() if not t.dissolved]

    def teams_with_members(self) -> list[UUID]:
        return [i for i, t in self.teams.items() if not t.dissolved and t.members]

    def among(self, members: Iterable[UUID]) -> list[UUID]:
        """Members in the order they registered: ids are random, so sorting
        them would make hypothesis's choices mean different things each run."""
        wanted = set(members)
        return [m for m in self.members if m in wanted]

    def _activities(self, accept: Callable[[Activity], bool]) -> list[UUID]:
        return [i for i, a in self.activities.items() if accept(a)]

    def upcoming(self) -> list[UUID]:
        """Activities starting within the next 60 days."""
        now = self.clock.now
        soon = now + timedelta(days=60)
        return self._activities(lambda a: now < a.starts_at <= soon)

    def open_for_sign_up(self) -> list[UUID]:
        now = self.clock.now
        return self._activities(
            lambda a: (
                a.status == SCHEDULED
                and now < a.starts_at
                and (a.capacity is None or len(a.signups) < a.capacity)
            )
        )

    def withdrawable(self) -> list[UUID]:
        now = self.clock.now
        return self._activities(
            lambda a: a.status == SCHEDULED and now < a.starts_at and bool(a.signups)
        )

    def open_for_attendance(self) -> list[UUID]:
        now = self.clock.now
        return self._activities(lambda a: a.status == SCHEDULED and a.starts_at <= now)

    def revocable(self) -> list[UUID]:
        return self._activities(lambda a: a.status != CANCELLED and bool(a.counting))

    def cancellable(self) -> list[UUID]:
        return self._activities(lambda a: a.status == SCHEDULED)

    # The clock.

    def advance_clock(self) -> None:
        self.clock.advance(
            minutes=self.choose.choice([10, 45, 6 * 60, 3 * 24 * 60, 40 * 24 * 60])
        )

    def jump_to_an_activity(self) -> None:
        activity = self.activities[self.choose.choice(self.upcoming())]
        self.clock.now = activity.starts_at + timedelta(
            minutes=self.choose.choice([0, 20])
        )

    # The organisation tree and units.

    def build_tree(self) -> None:
        districts = [self.app.register_district(n, ACTOR).id for n in DISTRICTS]
        for index, name in enumerate(STREETS):
            # The first district has two streets, the second one.
            district = districts[0] if index < 2 else districts[1]
            self.streets.append(self.app.register_street(name, district, ACTOR).id)
        for index, name in enumerate(COMMUNITIES):
            # The first is in a street, the second in none, the others either.
            places: list[UUID | None] = [None, *self.streets]
            if index == 0:
                street = self.choose.choice(self.streets)
            elif index == 1:
                street = None
            else:
                street = self.choose.choice(places)
            community = self.app.register_community(
                name,
                None if street is not None else "城关街道",
                ACTOR,
                street_id=street,
                party_organisation=self.choose.choice(PARTY_ORGANISATIONS),
            ).id
            self.communities.append(community)
            self.grids[community] = [
                self.app.register_grid(
                    GRIDS[g], community, self.choose.choice([True, False]), ACTOR
                ).id
                for g in range(self.choose.integer(0, len(GRIDS)))
            ]

    def register_unit(self) -> None:
        name = UNITS[len(self.units)]
        self.units.append(self.app.register_unit(name, ACTOR).id)

    def double_report_unit(self) -> None:
        unit = self.choose.choice(self.units)
        community = self.choose.choice(self.communities)
        key = (unit, community)
        on = self.on_or_after(self.unit_reports_ended.get(key))
        written = self.app.double_report_unit(unit, community, on, ACTOR)
        self.unit_reports.setdefault(key, written.reported_on)

    def end_unit_double_report(self) -> None:
        key = self.choose.choice(list(self.unit_reports))
        on = self.on_or_after(self.unit_reports.pop(key))
        written = self.app.end_unit_double_report(*key, ACTOR, ended_on=on)
        self.unit_reports_ended[key] = written.ended_on

    # Members.

    def register_member(self) -> None:
        community = self.choose.choice(self.communities)
        grid: dict[str, Any] = self.choose.choice(
            [{}, {"grid": self.choose.choice(GRIDS)}]
            + [{"grid_id": g} for g in self.grids[community]] * 2
        )
        written = self.app.register_member(
            self.choose.choice(NAMES),
            community,
            party_member=self.choose.choice([True, False]),
            actor=ACTOR,
            unit_id=self.choose.choice([None, *self.units]),
            phone=self.choose.choice([None, "13800138000"]),
            registered_on=self.on_or_after(),
            **grid,
        )
        assert written.registered_on is not None
        self.members[written.id] = Member(community, written.registered_on)

    def change_member(self) -> None:
        member_id = self.choose.choice(self.registered())
        member = self.members[member_id]
        change: dict[str, Any] = self.choose.choice(
            [
                {"name": self.choose.choice(NAMES)},
                {"party_member": self.choose.choice([True, False])},
                {"unit_id": self.choose.choice([None, *self.units])},
                {"grid_id": self.choose.choice([None, *self.grids[member.community]])},
                {"grid_id": self.choose.choice([None, *self.grids[member.community]])},
            ]
        )
        self.app.change_member(member_id, ACTOR, **change)

    def move_member(self) -> None:
        member_id = self.choose.choice(self.registered())
        member = self.members[member_id]
        elsewhere = [c for c in self.communities if c != member.community]
        community = self.choose.choice(elsewhere)
        written = self.app.move_member(
            member_id, community, ACTOR, moved_on=self.on_or_after(member.since)
        )
        member.community, member.since = community, written.moved_on

    def deregister_member(self) -> None:
        member_id = self.choose.choice(self.registered())
        member = self.members[member_id]
        earliest = max(member.since, member.reported_on or member.since)
        self.app.deregister_member(
            member_id, "搬离本区", ACTOR, left_on=self.on_or_after(earliest)
        )
        member.left = True
        member.reported_to = member.reported_on = None

    def double_report_member(self) -> None:
        member_id = self.choose.choice(self.registered())
        member = self.members[member_id]
        community = self.choose.choice(self.communities)
        # One report at a time: never back-dated before the last one began or ended.
        earliest = member.reported_on or member.report_ended
        written = self.app.double_report_member(
            member_id, community, self.on_or_after(earliest), ACTOR
        )
        if written.changed:
            member.reported_to, member.reported_on = community, written.reported_on

    def end_member_double_report(self) -> None:
        member_id = self.choose.choice(self.reported_members())
        member = self.members[member_id]
        written = self.app.end_member_double_report(
            member_id, ACTOR, ended_on=self.on_or_after(member.reported_on)
        )
        member.reported_to = member.reported_on = None
        member.report_ended = written.ended_on

    # Teams.

    def found_team(self) -> None:
        community = self.choose.choice(self.communities)
        name = TEAMS[len(self.teams)]
        written = self.app.found_team(
            name, community, ACTOR, founded_on=self.on_or_after()
        )
        assert written.founded_on is not None
        self.teams[written.id] = Team(written.founded_on)

    def join_team(self) -> None:
        team_id = self.choose.choice(self.standing_teams())
        team = self.teams[team_id]
        member = self.choose.choice(self.registered())
        earliest = max(team.founded_on, team.last_left.get(member, team.founded_on))
        written = self.app.join_team(
            team_id, member, ACTOR, joined_on=self.on_or_after(earliest)
        )
        assert written.on is not None
        team.members.setdefault(member, written.on)

    def leave_team(self) -> None:
        team_id = self.choose.choice(self.teams_with_members())
        team = self.teams[team_id]
        member = self.choose.choice(self.among(team.members))
        joined_on = team.members.pop(member)
        written = self.app.leave_team(
            team_id, member, ACTOR, left_on=self.on_or_after(joined_on)
        )
        assert written.on is not None
        team.last_left[member] = written.on

    def dissolve_team(self) -> None:
        team_id = self.choose.choice(self.standing_teams())
        team = self.teams[team_id]
        self.app.dissolve_team(
            team_id,
            "队员已并入其他服务队",
            ACTOR,
            dissolved_on=self.on_or_after(team.founded_on),
        )
        team.dissolved = True

    # Activities and attendance.

    def starts(self) -> list[datetime]:
        """Start times around this year: last year (back-filled), around
        midnight (in Shanghai and in UTC), later this year and next year."""
        now = self.clock.now
        y = now.astimezone(BEIJING_TIME).year
        fixed = [
            beijing(f"{y - 1}-03-15", "09:00"),
            beijing(f"{y - 1}-12-31", "23:59"),
            beijing(f"{y}-01-01", "00:00"),
            beijing(f"{y}-01-01", "07:59"),  # still 31 December in UTC
            beijing(f"{y}-06-30", "19:00"),
            beijing(f"{y}-12-31", "23:30"),
            beijing(f"{y + 1}-01-01", "00:30"),
            beijing(f"{y + 1}-06-30", "09:00"),
        ]
        return fixed + [now - timedelta(hours=3), now + timedelta(hours=2)] * 2

    def schedule_activity(self) -> None:
        starts_at = self.choose.choice(self.starts()).replace(microsecond=0)
        duration = self.choose.choice(DURATIONS)
        capacity = self.choose.choice([None, None, 1, 2])
        written = self.app.schedule_activity(
            self.choose.choice(TITLES),
            self.choose.choice(self.standing_teams()),
            "政策宣讲",
            starts_at,
            starts_at + duration,
            ACTOR,
            location=self.choose.choice([None, "社区党群服务中心"]),
            capacity=capacity,
            **self.choose.choice(RULES),
        )
        longest = Decimal(int(duration.total_seconds())) / 3600
        self.activities[written.id] = Activity(starts_at, longest, capacity)

    def sign_up(self) -> None:
        activity = self.choose.choice(self.open_for_sign_up())
        member = self.choose.choice(self.registered())
        self.app.sign_up(activity, member, "member")
        self.activities[activity].signups.add(member)

    def withdraw(self) -> None:
        activity = self.choose.choice(self.withdrawable())
        member = self.choose.choice(self.among(self.activities[activity].signups))
        self.app.withdraw(activity, member, "member")
        self.activities[activity].signups.remove(member)

    def record_attendance(self) -> None:
        activity = self.choose.choice(self.open_for_attendance())
        longest = self.activities[activity].longest
        hours = [h for h in HOURS if Decimal(h) <= longest]
        registered = self.registered()
        chosen = {
            self.choose.choice(registered) for _ in range(self.choose.integer(1, 3))
        }
        records = [(m, Decimal(self.choose.choice(hours))) for m in self.among(chosen)]
        reason = self.choose.choice([None, *REASONS])
        actor = self.choose.choice([ACTOR, RECORDER])
        self.app.record_attendance(activity, records, actor, reason=reason)
        self.activities[activity].counting |= chosen

    def revoke_attendance(self) -> None:
        activity = self.choose.choice(self.revocable())
        member = self.choose.choice(self.among(self.activities[activity].counting))
        reason = self.choose.choice(REASONS)
        self.app.revoke_attendance(activity, member, reason, RECORDER)
        self.activities[activity].counting.remove(member)

    def cancel_activity(self) -> None:
        activity = self.choose.choice(self.cancellable())
        self.app.cancel_activity(activity, "暴雨，活动取消", ACTOR)
        self.activities[activity].status = CANCELLED
        self.activities[activity].counting.clear()

    def close_activity(self) -> None:
        activity = self.choose.choice(self.open_for_attendance())
        self.app.close_activity(activity, ACTOR)
        self.activities[activity].status = CLOSED

    # Dates after today, refused.

    def refuse_a_future_date(self) -> None:
        """A command dated after today is refused with ``future_date`` and
        records nothing."""
        today = self.today()
        later = self.choose.choice(
            [today + timedelta(days=1), date(today.year + 1, 1, 1)]
        )
        attempts: list[Callable[[], object]] = [
            lambda: self.app.register_member(
                "张伟", self.communities[0], True, ACTOR, registered_on=later
            ),
            lambda: self.app.found_team(
                "未来服务队", self.communities[0], ACTOR, founded_on=later
            ),
        ]
        if self.units:
            unit = self.units[0]
            attempts.append(
                lambda: self.app.double_report_unit(
                    unit, self.communities[-1], later, ACTOR
                )
            )
        registered = self.registered()
        if registered:
            member = registered[0]
            attempts += [
                lambda: self.app.move_member(
                    member, self.communities[-1], ACTOR, moved_on=later
                ),
                lambda: self.app.deregister_member(
                    member, "搬离本区", ACTOR, left_on=later
                ),
                lambda: self.app.double_report_member(
                    member, self.communities[-1], later, ACTOR
                ),
            ]
        standing = self.standing_teams()
        if standing:
            team = standing[0]
            attempts.append(
                lambda: self.app.dissolve_team(team, "并队", ACTOR, dissolved_on=later)
            )
            if registered:
                attempts.append(
                    lambda: self.app.join_team(
                        team, registered[-1], ACTOR, joined_on=later
                    )
                )
        before = self.app.position()
        with pytest.raises(FutureDate):
            self.choose.choice(attempts)()
        assert self.app.position() == before
        self.refusals += 1

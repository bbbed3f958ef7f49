"""A district at work: valid commands chosen at random, through the application.

The choices come from a ``Chooser``: hypothesis draws in the property test, a
seeded ``random.Random`` elsewhere. Every command it gives is one the domain
accepts; a refusal is a bug in this driver and fails the test."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.activity import CANCELLED, CLOSED, SCHEDULED
from domain.application import VolunteerPoints
from tests.conftest import Clock

T = TypeVar("T")

BEIJING_TIME = ZoneInfo("Asia/Shanghai")
ACTOR = "区委组织部王敏"


def beijing(day: str, at: str) -> datetime:
    return datetime.combine(
        date.fromisoformat(day), time.fromisoformat(at), tzinfo=BEIJING_TIME
    )


# The clock starts on New Year's Eve 2025, so that activities can be scheduled
# in the past (back-filled), around midnight, and in the future.
START = beijing("2025-12-31", "20:00")
STARTS = [
    beijing("2025-03-15", "09:00"),
    beijing("2025-12-31", "23:00"),
    beijing("2025-12-31", "23:59"),
    beijing("2026-01-01", "00:00"),
    beijing("2026-01-01", "00:30"),
    beijing("2026-01-01", "07:59"),  # still 31 December in UTC
    beijing("2026-01-01", "08:00"),
    beijing("2026-06-30", "19:00"),
    beijing("2026-12-31", "23:30"),
    beijing("2027-01-01", "00:30"),
]
DURATIONS = [timedelta(minutes=30), timedelta(hours=1), timedelta(hours=2.5)]
RULES: list[dict[str, Any]] = [
    {},
    {"points_per_hour": "7"},
    {"points_per_hour": "4.2"},  # 0.25 h earns 1.05, shown 1.1 (half-up)
    {"points_per_hour": "0"},
    {"fixed_points": "5"},
    {"fixed_points": "2.25"},  # shown 2.3 (half-up)
]
REGISTERED_ON: list[date | None] = [
    None,  # the clock's date in Shanghai
    date(2025, 1, 1),
    date(2025, 12, 31),
    date(2026, 1, 1),
    date(2026, 7, 1),
    date(2026, 12, 31),
    date(2027, 1, 1),
]
REPORTED_ON = [date(2025, 3, 1), date(2025, 12, 31), date(2026, 1, 1), date(2026, 9, 9)]
HOURS = ["0.25", "0.5", "0.75", "1", "1.25", "2", "2.5"]
NAMES = ["张伟", "李娜", "王芳", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周丽", "吴强"]
COMMUNITIES = ["阳光社区", "幸福里社区", "和平社区"]
UNITS = ["区教育局党委", "区人民医院党委", "城投公司党支部"]
TEAMS = ["夕阳红志愿服务队", "红马甲服务队", "巾帼志愿队", "青年突击队"]
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
class Team:
    """What the driver must know of a team to give only valid commands."""

    members: set[UUID] = field(default_factory=set)
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

    It keeps a small model of what it did (ids, team members, sign-ups, which
    attendances still count) so that choosing costs no reads of the store."""

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
        self.communities: list[UUID] = []
        self.units: list[UUID] = []
        self.members: list[UUID] = []
        self.teams: dict[UUID, Team] = {}
        self.activities: dict[UUID, Activity] = {}
        self.clock.now = START

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.step()

    def step(self) -> str:
        """Gives one command that is possible now; returns its name."""
        name, command = self.choose.choice(self.possible())
        command()
        return name

    def possible(self) -> list[tuple[str, Callable[[], None]]]:
        """The commands that are valid now, the likelier ones repeated."""
        standing = self.standing_teams()
        can: list[tuple[str, Callable[[], None]]] = [
            ("advance_clock", self.advance_clock)
        ]
        if len(self.communities) < len(COMMUNITIES):
            can.append(("register_community", self.register_community))
        if len(self.units) < len(UNITS):
            can.append(("register_unit", self.register_unit))
        if self.communities and len(self.teams) < len(TEAMS):
            can.append(("found_team", self.found_team))
        if self.communities and len(self.members) < self.most_members:
            can += [("register_member", self.register_member)] * 2
        if self.units and self.communities:
            can.append(("double_report_unit", self.double_report_unit))
        if self.members:
            can.append(("double_report_member", self.double_report_member))
        if self.members and standing:
            can += [("join_team", self.join_team)] * 2
        if len(standing) > 1:
            can.append(("dissolve_team", self.dissolve_team))
        if standing and len(self.activities) < self.most_activities:
            can += [("schedule_activity", self.schedule_activity)] * 2
        if self.teams_with_members():
            can.append(("leave_team", self.leave_team))
        if self.activities:
            can.append(("jump_to_an_activity", self.jump_to_an_activity))
        if self.members and self.open_for_sign_up():
            can += [("sign_up", self.sign_up)] * 4
        if self.withdrawable():
            can += [("withdraw", self.withdraw)] * 2
        if self.members and self.open_for_attendance():
            can += [("record_attendance", self.record_attendance)] * 4
            can.append(("close_activity", self.close_activity))
        if self.revocable():
            can.append(("revoke_attendance", self.revoke_attendance))
        if self.cancellable():
            can.append(("cancel_activity", self.cancel_activity))
        return can

    # What is possible now.

    def among(self, members: Iterable[UUID]) -> list[UUID]:
        """Members in the order they registered: ids are random, so sorting
        them would make hypothesis's choices mean different things each run."""
        wanted = set(members)
        return [m for m in self.members if m in wanted]

    def standing_teams(self) -> list[UUID]:
        return [i for i, t in self.teams.items() if not t.dissolved]

    def teams_with_members(self) -> list[UUID]:
        return [i for i, t in self.teams.items() if not t.dissolved and t.members]

    def _activities(self, accept: Callable[[Activity], bool]) -> list[UUID]:
        return [i for i, a in self.activities.items() if accept(a)]

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

    # Commands.

    def advance_clock(self) -> None:
        self.clock.advance(
            minutes=self.choose.choice([10, 45, 6 * 60, 3 * 24 * 60, 40 * 24 * 60])
        )

    def jump_to_an_activity(self) -> None:
        activity = self.activities[self.choose.choice(list(self.activities))]
        later = activity.starts_at + timedelta(minutes=self.choose.choice([0, 20]))
        self.clock.now = max(self.clock.now, later)

    def register_community(self) -> None:
        name = COMMUNITIES[len(self.communities)]
        self.communities.append(self.app.register_community(name, "城关街道", ACTOR).id)

    def register_unit(self) -> None:
        name = UNITS[len(self.units)]
        self.units.append(self.app.register_unit(name, ACTOR).id)

    def register_member(self) -> None:
        unit = self.choose.choice([None, *self.units])
        written = self.app.register_member(
            self.choose.choice(NAMES),
            self.choose.choice(self.communities),
            party_member=self.choose.choice([True, False]),
            actor=ACTOR,
            unit_id=unit,
            grid=self.choose.choice([None, "第一网格", "第二网格"]),
            phone=self.choose.choice([None, "13800138000"]),
            registered_on=self.choose.choice(REGISTERED_ON),
        )
        self.members.append(written.id)

    def double_report_unit(self) -> None:
        self.app.double_report_unit(
            self.choose.choice(self.units),
            self.choose.choice(self.communities),
            self.choose.choice(REPORTED_ON),
            ACTOR,
        )

    def double_report_member(self) -> None:
        self.app.double_report_member(
            self.choose.choice(self.members),
            self.choose.choice(self.communities),
            self.choose.choice(REPORTED_ON),
            ACTOR,
        )

    def found_team(self) -> None:
        community = self.choose.choice(self.communities)
        name = TEAMS[len(self.teams)]
        self.teams[self.app.found_team(name, community, ACTOR).id] = Team()

    def join_team(self) -> None:
        team = self.choose.choice(self.standing_teams())
        member = self.choose.choice(self.members)
        self.app.join_team(team, member, ACTOR)
        self.teams[team].members.add(member)

    def leave_team(self) -> None:
        team = self.choose.choice(self.teams_with_members())
        member = self.choose.choice(self.among(self.teams[team].members))
        self.app.leave_team(team, member, ACTOR)
        self.teams[team].members.remove(member)

    def dissolve_team(self) -> None:
        team = self.choose.choice(self.standing_teams())
        self.app.dissolve_team(team, "队员已并入其他服务队", ACTOR)
        self.teams[team].dissolved = True

    def schedule_activity(self) -> None:
        now = self.clock.now
        relative = [now - timedelta(hours=3), now + timedelta(hours=2)] * 2
        starts_at = self.choose.choice(STARTS + relative).replace(microsecond=0)
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
        member = self.choose.choice(self.members)
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
        chosen = {
            self.choose.choice(self.members) for _ in range(self.choose.integer(1, 3))
        }
        records = [(m, Decimal(self.choose.choice(hours))) for m in self.among(chosen)]
        reason = self.choose.choice([None, *REASONS])
        self.app.record_attendance(activity, records, ACTOR, reason=reason)
        self.activities[activity].counting |= chosen

    def revoke_attendance(self) -> None:
        activity = self.choose.choice(self.revocable())
        member = self.choose.choice(self.among(self.activities[activity].counting))
        reason = self.choose.choice(REASONS)
        self.app.revoke_attendance(activity, member, reason, ACTOR)
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

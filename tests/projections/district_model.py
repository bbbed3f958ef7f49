"""What the district driver knows and chooses with: the names and rules it
picks from, a ``Chooser``, its small model of members, teams and activities,
and what is possible now."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.activity import CANCELLED, SCHEDULED
from domain.application import VolunteerPoints
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


class DistrictState:
    """What the driver did (ids, dates, team members, sign-ups, which
    attendances still count), so that choosing costs no reads of the store,
    and the choices it leaves open now."""

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

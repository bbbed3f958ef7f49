"""A province's year written with the domain's own aggregates: the plan at a
scale, and each community's members, teams and activities saved in batches
through the application's recorder."""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.activity import Activity
from domain.application import VolunteerPoints
from domain.community import Community, Unit
from domain.member import Member
from domain.team import Team
from domain.tree import District, Grid, Street

BEIJING_TIME = ZoneInfo("Asia/Shanghai")
ACTOR = "省委组织部王敏"
RECORDER = "社区书记李红"

FULL = {
    "districts": 10,
    "streets": 150,
    "communities": 1_500,
    "members": 1_000_000,
    "teams": 50_000,
    "activities": 500_000,
    "attendances": 10_000_000,
}
GRIDS = 4
ACTIVITIES_PER_SAVE = 200
HOURS = [Decimal(h) for h in ("0.5", "1", "1.5", "2", "2.5", "3", "4")]
RULES: list[dict[str, Decimal | None]] = [
    {"points_per_hour": None, "fixed_points": None},
    {"points_per_hour": Decimal("4.2"), "fixed_points": None},
    {"points_per_hour": None, "fixed_points": Decimal("2.25")},
]
TITLES = ["政策宣讲", "垃圾分类宣传", "义诊", "环境整治", "敬老助残", "文明交通劝导"]
PARTY_ORGANISATIONS = [None, "党委", "党总支", "党支部"]


@dataclass(frozen=True)
class Plan:
    districts: int
    streets: int
    communities: int
    members: int
    teams: int
    activities: int
    attendances: int

    @classmethod
    def at(cls, scale: float) -> Plan:
        n = {name: max(1, round(full * scale)) for name, full in FULL.items()}
        n["streets"] = max(n["streets"], n["districts"])
        n["communities"] = max(n["communities"], n["streets"])
        return cls(**n)


@dataclass
class Tally:
    events: int = 0
    members: int = 0
    teams: int = 0
    activities: int = 0
    attendances: int = 0
    attendance_events: int = 0
    corrections: int = 0
    revocations: int = 0
    cancelled: int = 0


def share(total: int, parts: int, index: int) -> int:
    return total // parts + (index < total % parts)


def figures_year(today: date) -> tuple[int, date, date]:
    """The year the province's activities fall in, its first day and the last
    day held so far (yesterday, or on 1 January the whole of last year)."""
    if today.timetuple().tm_yday == 1:
        return today.year - 1, date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return today.year, date(today.year, 1, 1), today - timedelta(days=1)


@dataclass
class Province:
    """Writes a province's year with the domain's aggregates, community by
    community, keeping only the ids it still needs."""

    app: VolunteerPoints
    plan: Plan
    rng: random.Random
    tally: Tally = field(default_factory=Tally)

    def __post_init__(self) -> None:
        self.today = self.app.today()
        self.year, self.first, self.last = figures_year(self.today)
        self.per_activity = self.plan.attendances / self.plan.activities

    def save(self, *aggregates: Any) -> None:
        self.tally.events += len(self.app.save(*aggregates))

    def write(self) -> Tally:
        plan, rng = self.plan, self.rng
        districts = [
            District(name=f"第{i + 1}区", actor=ACTOR) for i in range(plan.districts)
        ]
        streets = [
            Street(
                name=f"第{i + 1}街道",
                district_id=districts[i % plan.districts].id,
                actor=ACTOR,
            )
            for i in range(plan.streets)
        ]
        communities = [
            Community(
                name=f"第{i + 1}社区",
                street=streets[i % plan.streets].name,
                street_id=streets[i % plan.streets].id,
                party_organisation=rng.choice(PARTY_ORGANISATIONS),
                actor=ACTOR,
            )
            for i in range(plan.communities)
        ]
        units = [
            Unit(name=f"单位党组织{i + 1}", actor=ACTOR)
            for i in range(max(1, plan.communities // 10))
        ]
        for unit in units:
            for community in rng.sample(communities, min(2, len(communities))):
                unit.report_to(community.id, date(self.year - 1, 3, 1), ACTOR)
        self.save(*districts, *streets, *communities, *units)
        started = time.monotonic()
        for index, community in enumerate(communities):
            self.community(community, index)
            if time.monotonic() - started > 30 or index == len(communities) - 1:
                done = f"{index + 1:,}/{len(communities):,} communities"
                say(f"write: {done}, {self.tally.events:,} events")
                started = time.monotonic()
        return self.tally

    def community(self, community: Community, index: int) -> None:
        count = self.plan.communities
        members = self.members(community, share(self.plan.members, count, index))
        teams = self.teams(community, share(self.plan.teams, count, index), members)
        activities = share(self.plan.activities, count, index)
        batch: list[Activity] = []
        for n in range(activities):
            batch.append(self.activity(teams[n % len(teams)], members))
            if len(batch) == ACTIVITIES_PER_SAVE or n == activities - 1:
                self.save(*batch)
                batch = []

    def members(self, community: Community, count: int) -> list[UUID]:
        rng = self.rng
        grids = [
            Grid(
                name=f"第{g + 1}网格",
                community_id=community.id,
                party_organisation=g % 2 == 0,
                actor=ACTOR,
            )
            for g in range(GRIDS)
        ]
        since = date(self.year - 3, 1, 1)
        people = []
        for i in range(count):
            grid = grids[i % GRIDS]
            person = Member(
                name=f"志愿者{self.tally.members + i + 1}",
                community_id=community.id,
                party_member=rng.random() < 0.4,
                unit_id=None,
                grid_id=grid.id,
                grid=grid.name,
                phone=None,
                registered_on=since
                + timedelta(days=rng.randrange((self.first - since).days)),
                actor=ACTOR,
            )
            if person.party_member and rng.random() < 0.25:
                days = (self.today - person.registered_on).days
                person.report_to(
                    community.id,
                    person.registered_on + timedelta(days=rng.randrange(days + 1)),
                    ACTOR,
                )
            people.append(person)
        self.save(*grids, *people)
        self.tally.members += count
        return [person.id for person in people]

    def teams(
        self, community: Community, count: int, members: list[UUID]
    ) -> list[Team]:
        rng = self.rng
        teams = []
        for i in range(count):
            founded_on = date(self.year - 2, 1, 1) + timedelta(days=rng.randrange(365))
            team = Team(
                name=f"志愿服务队{i + 1}",
                community_id=community.id,
                founded_on=founded_on,
                actor=ACTOR,
            )
            for member in rng.sample(members, min(len(members), rng.randint(10, 30))):
                joined_on = founded_on + timedelta(
                    days=rng.randrange((self.first - founded_on).days)
                )
                team.join(member, joined_on, ACTOR)
            teams.append(team)
        self.save(*teams)
        self.tally.teams += count
        return teams

    def activity(self, team: Team, members: list[UUID]) -> Activity:
        rng = self.rng
        held = self.first + timedelta(
            days=rng.randrange((self.last - self.first).days + 1)
        )
        length = rng.randint(1, 4)
        local = datetime.combine(
            held, clock_time(rng.randrange(8, 18)), tzinfo=BEIJING_TIME
        )
        starts_at = local.astimezone(UTC)
        ends_at = starts_at + timedelta(hours=length)
        activity = Activity(
            title=rng.choice(TITLES),
            team_id=team.id,
            community_id=team.community_id,
            category=rng.choice(TITLES),
            starts_at=starts_at,
            ends_at=ends_at,
            location=None,
            capacity=None,
            actor=RECORDER,
            **rng.choice(RULES),
        )
        hours = [h for h in HOURS if h <= length]
        mean = self.per_activity
        size = min(len(members), rng.randint(round(mean / 2), round(mean * 3 / 2)))
        records = [(m, rng.choice(hours)) for m in rng.sample(members, size)]
        outcome = activity.record_attendance(records, ends_at, RECORDER)
        self.tally.attendances += outcome.recorded
        self.tally.attendance_events += 1
        if rng.random() < 0.05:
            member, given = records[0]
            other = [h for h in hours if h != given] or hours
            activity.record_attendance(
                [(member, rng.choice(other))], ends_at, RECORDER, "核对签到表后更正"
            )
            self.tally.corrections += 1
        if rng.random() < 0.03:
            activity.revoke_attendance(records[-1][0], "当天实际未到场", RECORDER)
            self.tally.revocations += 1
        if rng.random() < 0.02:
            activity.cancel("暴雨，活动取消", RECORDER)
            self.tally.cancelled += 1
        else:
            activity.close(ends_at, RECORDER)
        self.tally.activities += 1
        return activity


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)

"""A demo district whose figures for the current year match a real district report:
20 communities, 68 teams, 1,225 volunteers in teams, 300+ activities, 90 units and
2,741 members double-reported, 5,500+ participations (人次), 人均年积分 ≈ 102."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from domain.application import VolunteerPoints
from domain.rules import SHANGHAI

SEED = 20261126
COMMUNITIES = 20
TEAMS = 68
VOLUNTEERS = 1225
UNITS = 90
MEMBERS = 2741
ACTIVITIES = 320
TARGET_AVERAGE = Decimal(102)
ACTOR = "demo"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强海燕"
COMMUNITY_NAMES = (
    "幸福里",
    "和平",
    "光明",
    "向阳",
    "新华",
    "建设",
    "友谊",
    "团结",
    "民主",
    "文化",
    "东风",
    "红旗",
    "长青",
    "春晖",
    "锦绣",
    "安康",
    "康乐",
    "桂园",
    "枫林",
    "滨江",
)
CATEGORIES = (
    "政策宣讲",
    "环境整治",
    "义诊",
    "治安巡逻",
    "助农",
    "爱心捐赠",
    "关爱老人",
)
TEAM_KINDS = (
    "红色先锋",
    "邻里守望",
    "银发先锋",
    "青年突击",
    "巾帼",
    "平安",
    "文明实践",
)


@dataclass(frozen=True)
class DemoSummary:
    communities: int
    teams: int
    members: int
    activities: int
    participations: int
    position: int


def load_demo(
    app: VolunteerPoints,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> DemoSummary:
    """Loads the demo district into an empty event log."""
    rng = random.Random(SEED)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    today = now.astimezone(SHANGHAI).date()
    year_start = datetime(today.year, 1, 1, tzinfo=SHANGHAI).astimezone(UTC)

    progress("社区与单位")
    communities = [
        app.register_community(f"{name}社区", "东城街道", ACTOR).id
        for name in COMMUNITY_NAMES[:COMMUNITIES]
    ]
    units = [
        app.register_unit(f"区直机关第{i + 1}党支部", ACTOR).id for i in range(UNITS)
    ]
    for i, unit_id in enumerate(units):
        for community_id in {communities[i % COMMUNITIES], rng.choice(communities)}:
            app.double_report_unit(unit_id, community_id, _day(rng, today), ACTOR)

    progress("志愿者")
    members: list[UUID] = []
    home: dict[UUID, UUID] = {}
    for i in range(MEMBERS):
        community_id = communities[i % COMMUNITIES]
        member_id = app.register_member(
            name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
            community_id=community_id,
            party_member=rng.random() < 0.8,
            actor=ACTOR,
            unit_id=rng.choice(units),
            grid=f"第{rng.randint(1, 9)}网格",
            phone=f"13{rng.randint(100000000, 999999999)}",
            registered_on=date(today.year, 1, 1),
        ).id
        app.double_report_member(member_id, community_id, _day(rng, today), ACTOR)
        members.append(member_id)
        home[member_id] = community_id

    progress("志愿服务队")
    teams = [
        app.found_team(
            f"{COMMUNITY_NAMES[i % COMMUNITIES]}社区{TEAM_KINDS[i % len(TEAM_KINDS)]}"
            f"志愿服务队{i // COMMUNITIES + 1}",
            communities[i % COMMUNITIES],
            ACTOR,
        ).id
        for i in range(TEAMS)
    ]
    volunteers = rng.sample(members, VOLUNTEERS)
    roster: dict[UUID, list[UUID]] = {team_id: [] for team_id in teams}
    for i, member_id in enumerate(volunteers):
        team_id = teams[i % TEAMS]
        app.join_team(team_id, member_id, ACTOR)
        roster[team_id].append(member_id)

    progress("活动与参加记录")
    window = max(now - year_start - timedelta(hours=5), timedelta(0))
    plan: list[tuple[UUID, datetime, list[UUID]]] = []
    for i in range(ACTIVITIES):
        team_id = teams[i % TEAMS]
        offset = timedelta(hours=int(window.total_seconds() // 3600 * i / ACTIVITIES))
        starts_at = year_start + offset
        attendees = rng.sample(roster[team_id], min(len(roster[team_id]), 28))
        plan.append((team_id, starts_at, attendees))
    hours = _hours_for(rng, plan)
    participations = 0
    for (team_id, starts_at, attendees), given in zip(plan, hours, strict=True):
        activity_id = app.schedule_activity(
            title=f"{rng.choice(CATEGORIES)}志愿服务",
            team_id=team_id,
            category=rng.choice(CATEGORIES),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=5),
            actor=ACTOR,
            location="社区党群服务中心",
        ).id
        app.record_attendance(
            activity_id, list(zip(attendees, given, strict=True)), ACTOR
        )
        participations += len(attendees)
    return DemoSummary(
        COMMUNITIES, TEAMS, MEMBERS, ACTIVITIES, participations, app.position()
    )


def _day(rng: random.Random, today: date) -> date:
    return date(today.year, 1, 1) + timedelta(
        days=rng.randint(0, today.timetuple().tm_yday - 1)
    )


def _hours_for(
    rng: random.Random, plan: list[tuple[UUID, datetime, list[UUID]]]
) -> list[list[Decimal]]:
    """Hours per attendance whose points (10 an hour) make 人均年积分 102.0."""
    steps = [Decimal("2"), Decimal("2.5"), Decimal("3"), Decimal("3.5"), Decimal("4")]
    hours = [[rng.choice(steps) for _ in attendees] for _, _, attendees in plan]
    target = TARGET_AVERAGE * MEMBERS / 10
    total = sum((h for row in hours for h in row), Decimal(0))
    step = Decimal("0.25")
    cells = [(i, j) for i, row in enumerate(hours) for j in range(len(row))]
    rng.shuffle(cells)
    index = 0
    while abs(total - target) >= step and cells:
        i, j = cells[index % len(cells)]
        index += 1
        if total > target and hours[i][j] > 1:
            hours[i][j] -= step
            total -= step
        elif total < target and hours[i][j] < 5:
            hours[i][j] += step
            total += step
    return hours

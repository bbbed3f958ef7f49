"""A large event log, written fast: many attendance batches per transaction.

Commands are given to the aggregates themselves (so every event is one the
domain would accept, dated by the application's clock and never after today)
and each activity's events are saved in one ``app.save(...)``, instead of one
transaction per command. Its business dates and activities fall in the
previous year and the current one up to today, whatever today is."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.activity import Activity
from domain.application import VolunteerPoints
from domain.community import Community, Unit
from domain.member import Member
from domain.team import Team

BEIJING_TIME = ZoneInfo("Asia/Shanghai")
ACTOR = "区委组织部王敏"
HOURS = [Decimal(h) for h in ("0.25", "0.5", "1", "1.5", "2", "2.5", "3")]
RULES: list[dict[str, Decimal | None]] = [
    {"points_per_hour": None, "fixed_points": None},
    {"points_per_hour": Decimal("4.2"), "fixed_points": None},
    {"points_per_hour": None, "fixed_points": Decimal("2.25")},
]
# Local start times; those in the first hours of 1 January are still
# 31 December in UTC.
STARTS = [(12, 31, 23, 30), (1, 1, 0, 30), (1, 1, 7, 0), (3, 5, 9, 0), (6, 30, 19, 0)]
LENGTH = timedelta(hours=3)


@dataclass(frozen=True)
class Log:
    events: int
    entries: int
    activities: int
    members: int


def write_log(
    app: VolunteerPoints,
    events: int,
    *,
    batch: int = 3,
    members: int = 300,
    seed: int = 1,
) -> Log:
    """Writes at least ``events`` events; ``batch`` members per attendance event."""
    rng = random.Random(seed)
    now, today = app.clock(), app.today()
    last_year = date(today.year - 1, 1, 1)
    days = (today - last_year).days + 1
    communities = [Community(name=n, street="城关街道", actor=ACTOR) for n in "东南西"]
    units = [Unit(name=f"单位党组织{i}", actor=ACTOR) for i in range(3)]
    for i, unit in enumerate(units):
        unit.report_to(communities[i % 3].id, date(today.year - 1, 3, 1), ACTOR)
        unit.report_to(communities[(i + 1) % 3].id, date(today.year, 1, 1), ACTOR)
    people = [
        Member(
            name=f"志愿者{i}",
            community_id=communities[i % 3].id,
            party_member=i % 4 != 0,
            unit_id=units[i % 3].id if i % 2 else None,
            grid_id=None,
            grid=None,
            phone=None,
            registered_on=last_year + timedelta(days=rng.randrange(days)),
            actor=ACTOR,
        )
        for i in range(members)
    ]
    for i, person in enumerate(people[::3]):
        person.report_to(communities[i % 3].id, date(today.year - 1, 5, 1), ACTOR)
        if i % 2:
            reported_on = min(date(today.year, 2, 1), today)
            person.report_to(communities[(i + 1) % 3].id, reported_on, ACTOR)
    teams = [
        Team(
            name=f"服务队{i}",
            community_id=communities[i % 3].id,
            founded_on=last_year,
            actor=ACTOR,
        )
        for i in range(6)
    ]
    for team in teams:
        for person in rng.sample(people, min(len(people), 40)):
            joined_on = last_year + timedelta(days=rng.randrange(days))
            team.join(person.id, joined_on, ACTOR)
    teams[-1].leave(next(iter(sorted(teams[-1].members, key=str))), today, ACTOR)
    teams[-1].dissolve("并入其他服务队", today, ACTOR)
    written = app.save(*communities, *units, *people, *teams)
    total, entries, activities = len(written), 0, 0
    standing = teams[:-1]
    ids = [p.id for p in people]
    local_starts = [
        datetime(year, month, day, hour, minute, tzinfo=BEIJING_TIME)
        for year in (today.year - 1, today.year)
        for month, day, hour, minute in STARTS
    ]
    # Attendance is recorded as each activity ends, so it must have ended.
    starts = [start for start in local_starts if start + LENGTH <= now]
    while total < events:
        team = standing[activities % len(standing)]
        activity = _activity(rng, team, rng.choice(starts))
        entries += _attend(rng, activity, ids, min(events - total, 400), batch)
        total += len(app.save(activity))
        activities += 1
    return Log(total, entries, activities, members)


def _activity(rng: random.Random, team: Team, local: datetime) -> Activity:
    starts_at = local.astimezone(UTC)  # as the application stores it
    return Activity(
        title="政策宣讲",
        team_id=team.id,
        community_id=team.community_id,
        category="政策宣讲",
        starts_at=starts_at,
        ends_at=starts_at + LENGTH,
        location=None,
        capacity=None,
        actor=ACTOR,
        **rng.choice(RULES),
    )


def _attend(
    rng: random.Random, activity: Activity, members: list[UUID], events: int, batch: int
) -> int:
    """Gives the activity about ``events`` events; returns the entries they carry."""
    before = activity.starts_at - timedelta(days=1)
    for member in rng.sample(members, 3):
        activity.sign_up(member, before, ACTOR)
    activity.withdraw(member, before, ACTOR)
    now = activity.starts_at + LENGTH
    entries = 0
    given = 3
    while given < events:
        if rng.random() < 0.1 and activity.attendance_count:
            counting = [m for m, a in activity.attendances.items() if not a.revoked]
            activity.revoke_attendance(rng.choice(counting), "登记错人", ACTOR)
            given += 1
            continue
        records = [(m, rng.choice(HOURS)) for m in rng.sample(members, batch)]
        outcome = activity.record_attendance(records, now, ACTOR, "核对签到表后更正")
        entries += outcome.recorded + outcome.corrected
        given += bool(outcome.recorded) + bool(outcome.corrected)
    if rng.random() < 0.1:
        activity.cancel("暴雨，活动取消", ACTOR)
    else:
        activity.close(now, ACTOR)
    return entries

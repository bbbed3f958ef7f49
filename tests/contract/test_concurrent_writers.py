"""Several applications (as in several API processes) writing to one activity
and one team at once: nothing lost, nothing recorded twice."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

import pytest

from domain.activity import Activity
from domain.application import AttendanceWritten, VolunteerPoints
from domain.errors import ActivityFull
from domain.team import Team
from tests.conftest import Clock

WRITERS = 8
MEMBERS_PER_WRITER = 5

SHARED_STORES = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))
on_shared_stores = pytest.mark.parametrize("database_url", SHARED_STORES, indirect=True)


@dataclass
class Setting:
    team: UUID
    activity: UUID
    batches: list[list[UUID]]

    @property
    def everyone(self) -> set[UUID]:
        return {member for batch in self.batches for member in batch}


@pytest.fixture
def setting(make_app: Callable[[], VolunteerPoints], clock: Clock) -> Setting:
    organiser = make_app()
    community = organiser.register_community("幸福社区", None, "admin").id
    team = organiser.found_team("红色先锋队", community, "admin").id
    activity = organiser.schedule_activity(
        "社区清洁",
        team,
        "环境整治",
        clock.now + timedelta(hours=1),
        clock.now + timedelta(hours=4),
        "admin",
    ).id
    batches = [
        [
            organiser.register_member(f"志愿者{w}-{i}", community, True, "admin").id
            for i in range(MEMBERS_PER_WRITER)
        ]
        for w in range(WRITERS)
    ]
    clock.advance(hours=2)
    return Setting(team, activity, batches)


def at_once(
    make_app: Callable[[], VolunteerPoints],
    work: Callable[[VolunteerPoints, int], list[AttendanceWritten]],
) -> list[AttendanceWritten]:
    """Runs ``work`` in WRITERS threads, each with its own application,
    so no two share an aggregate cache."""
    writers = [make_app() for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    results: list[AttendanceWritten] = []
    failures: list[BaseException] = []

    def run(app: VolunteerPoints, index: int) -> None:
        try:
            start.wait()
            results.extend(work(app, index))
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    threads = [
        threading.Thread(target=run, args=(app, index))
        for index, app in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    return results


def recorded_per_member(app: VolunteerPoints, activity_id: UUID) -> Counter[UUID]:
    counts: Counter[UUID] = Counter()
    for stored in app.events.get(activity_id):
        if isinstance(stored, Activity.AttendanceRecorded):
            counts.update(entry["member_id"] for entry in stored.entries)
    return counts


def joined_per_member(app: VolunteerPoints, team_id: UUID) -> Counter[UUID]:
    return Counter(
        stored.member_id
        for stored in app.events.get(team_id)
        if isinstance(stored, Team.MemberJoined)
    )


@on_shared_stores
def test_writers_recording_different_members_at_once_lose_nothing(
    make_app: Callable[[], VolunteerPoints], setting: Setting
) -> None:
    def work(app: VolunteerPoints, index: int) -> list[AttendanceWritten]:
        written = []
        for member in setting.batches[index]:
            app.join_team(setting.team, member, "organiser")
            written.append(
                app.record_attendance(setting.activity, [(member, "2.5")], "o")
            )
        return written

    results = at_once(make_app, work)

    everyone = setting.everyone
    assert sum(r.recorded for r in results) == len(everyone)
    reader = make_app()
    assert set(reader.activity(setting.activity).attendances) == everyone
    assert set(reader.team(setting.team).members) == everyone
    assert recorded_per_member(reader, setting.activity) == dict.fromkeys(everyone, 1)
    assert joined_per_member(reader, setting.team) == dict.fromkeys(everyone, 1)


@on_shared_stores
def test_writers_submitting_the_same_attendance_at_once_record_it_once(
    make_app: Callable[[], VolunteerPoints], setting: Setting
) -> None:
    everyone = sorted(setting.everyone, key=str)

    def work(app: VolunteerPoints, index: int) -> list[AttendanceWritten]:
        app.join_team(setting.team, everyone[0], "organiser")
        return [
            app.record_attendance(setting.activity, [(m, 3) for m in everyone], "o")
        ]

    results = at_once(make_app, work)

    assert sum(r.recorded for r in results) == len(everyone)
    assert sum(r.unchanged for r in results) == (WRITERS - 1) * len(everyone)
    assert sum(r.corrected for r in results) == 0
    reader = make_app()
    assert recorded_per_member(reader, setting.activity) == dict.fromkeys(everyone, 1)
    assert joined_per_member(reader, setting.team) == {everyone[0]: 1}


@on_shared_stores
def test_writers_signing_up_at_once_never_go_beyond_capacity(
    make_app: Callable[[], VolunteerPoints], setting: Setting, clock: Clock
) -> None:
    organiser = make_app()
    small = organiser.schedule_activity(
        "义诊",
        setting.team,
        "义诊",
        clock.now + timedelta(hours=1),
        clock.now + timedelta(hours=2),
        "admin",
        capacity=3,
    ).id
    refused: list[str] = []

    def work(app: VolunteerPoints, index: int) -> list[AttendanceWritten]:
        try:
            app.sign_up(small, setting.batches[index][0], "member")
        except ActivityFull as error:
            refused.append(error.code)
        return []

    at_once(make_app, work)

    assert len(make_app().activity(small).signups) == 3
    assert refused == ["activity_full"] * (WRITERS - 3)

"""Whatever commands arrive, the stored events rebuild exactly the live state,
and a refused command leaves no trace."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from domain.activity import CANCELLED, CLOSED, SCHEDULED
from domain.application import VolunteerPoints
from domain.errors import DomainError
from infrastructure.storage import open_application, parse_database_url
from tests.conftest import Clock

T = TypeVar("T")

NOBODY = UUID(int=1)
VALID_HOURS = ["0.25", "0.5", 1, "1.50", Decimal("2"), "2.75", 3]
INVALID_HOURS = [0, -1, "0.3", "0.1", "1e30", "NaN", "Infinity", 1.5, 2.0, "", True]
NAMES = ["张三", "李四", "王五", " 赵六 ", "", "  ", "a\nb"]
REASONS = ["重复登记", "暴雨", "", " "]
DURATIONS = [timedelta(hours=1), timedelta(minutes=70), timedelta(hours=2.5)]
RULES: list[dict[str, object]] = [
    {},
    {"points_per_hour": "12"},
    {"points_per_hour": "2.5"},
    {"fixed_points": "5"},
    {"points_per_hour": 10.0},
]

pick = st.integers(min_value=-1, max_value=30)
attendance_records = st.lists(
    st.tuples(pick, st.sampled_from(VALID_HOURS + INVALID_HOURS)),
    min_size=1,
    max_size=3,
)


def is_invalid(hours: object) -> bool:
    # By identity: 1 == True and Decimal(2) == 2.0, yet only one of each is valid.
    return any(hours is bad for bad in INVALID_HOURS)


def chosen(ids: list[UUID], index: int) -> UUID:
    """-1 names something that does not exist; otherwise one of the ids."""
    if index < 0 or not ids:
        return NOBODY
    return ids[index % len(ids)]


def state_of(app: VolunteerPoints, aggregate_id: UUID) -> dict[str, Any]:
    aggregate = app.repository.get(aggregate_id)
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


class Replay(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="vpoints-replay-"))
        storage = parse_database_url(f"sqlite:///{self.folder / 'vpoints.db'}")
        self.clock = Clock(datetime(2026, 3, 1, 1, 0, tzinfo=UTC))
        self.app = open_application(storage, clock=self.clock)
        # No aggregate cache: every read replays the stored events.
        self.replayer = open_application(
            storage, clock=self.clock, extra_env={"AGGREGATE_CACHE_MAXSIZE": ""}
        )
        self.community = self.app.register_community("幸福社区", None, "admin").id
        self.members: list[UUID] = []
        self.teams: list[UUID] = []
        self.activities: list[UUID] = []
        # A model of what attendance should be: hours, or None once revoked.
        self.attendance: dict[UUID, dict[UUID, Decimal | None]] = {}
        self.status: dict[UUID, str] = {}
        for name in ("张三", "李四", "王五"):
            self.register_member(name, unknown_community=False)
        self.found_team("红色先锋队")
        self.found_team("巾帼志愿队")
        self.schedule_activity(0, 2, timedelta(hours=3), None, {})

    def teardown(self) -> None:
        self.app.close()
        self.replayer.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def everything(self) -> list[UUID]:
        return [self.community, *self.members, *self.teams, *self.activities]

    def snapshot(self) -> dict[UUID, dict[str, Any]]:
        return {i: state_of(self.app, i) for i in self.everything()}

    def attempt(self, command: Callable[[], T]) -> T | None:
        """Runs a command; if refused, checks that it changed nothing."""
        position = self.app.position()
        before = self.snapshot()
        try:
            result = command()
        except DomainError as error:
            event(f"refused: {error.code}")
            assert self.app.position() == position
            assert self.snapshot() == before
            return None
        event("accepted")
        return result

    # Members and teams.

    @rule(name=st.sampled_from(NAMES), unknown_community=st.booleans())
    def register_member(self, name: str, unknown_community: bool) -> None:
        community = NOBODY if unknown_community else self.community
        written = self.attempt(
            lambda: self.app.register_member(name, community, True, "admin")
        )
        if written is not None:
            self.members.append(written.id)

    @rule(name=st.sampled_from(NAMES))
    def found_team(self, name: str) -> None:
        written = self.attempt(lambda: self.app.found_team(name, self.community, "a"))
        if written is not None:
            self.teams.append(written.id)

    @rule(team=pick, member=pick)
    def join_team(self, team: int, member: int) -> None:
        team_id, member_id = chosen(self.teams, team), chosen(self.members, member)
        self.attempt(lambda: self.app.join_team(team_id, member_id, "admin"))

    @rule(team=pick, member=pick)
    def leave_team(self, team: int, member: int) -> None:
        team_id, member_id = chosen(self.teams, team), chosen(self.members, member)
        self.attempt(lambda: self.app.leave_team(team_id, member_id, "admin"))

    @precondition(lambda self: len(self.teams) > 1)
    @rule(team=pick, reason=st.sampled_from(REASONS))
    def dissolve_team(self, team: int, reason: str) -> None:
        team_id = chosen(self.teams, team)
        self.attempt(lambda: self.app.dissolve_team(team_id, reason, "admin"))

    # Activities.

    @rule(
        team=pick,
        starts_in=st.integers(min_value=-8, max_value=16),
        duration=st.sampled_from(DURATIONS),
        capacity=st.sampled_from([None, 1, 2, 0]),
        points=st.sampled_from(RULES),
    )
    def schedule_activity(
        self,
        team: int,
        starts_in: int,
        duration: timedelta,
        capacity: int | None,
        points: dict[str, Any],
    ) -> None:
        starts_at = self.clock.now + timedelta(minutes=15 * starts_in)
        written = self.attempt(
            lambda: self.app.schedule_activity(
                "社区清洁",
                chosen(self.teams, team),
                "环境整治",
                starts_at,
                starts_at + duration,
                "admin",
                capacity=capacity,
                **points,
            )
        )
        if written is not None:
            self.activities.append(written.id)
            self.attendance[written.id] = {}
            self.status[written.id] = SCHEDULED

    @rule(activity=pick, member=pick)
    def sign_up(self, activity: int, member: int) -> None:
        activity_id = chosen(self.activities, activity)
        member_id = chosen(self.members, member)
        self.attempt(lambda: self.app.sign_up(activity_id, member_id, "member"))

    @rule(activity=pick, member=pick)
    def withdraw(self, activity: int, member: int) -> None:
        activity_id = chosen(self.activities, activity)
        member_id = chosen(self.members, member)
        self.attempt(lambda: self.app.withdraw(activity_id, member_id, "member"))

    @rule(activity=pick, records=attendance_records)
    def record_attendance(
        self, activity: int, records: list[tuple[int, object]]
    ) -> None:
        self.record(chosen(self.activities, activity), records)

    @rule(activity=pick, records=attendance_records)
    def record_attendance_once_started(
        self, activity: int, records: list[tuple[int, object]]
    ) -> None:
        activity_id = chosen(self.activities, activity)
        if activity_id in self.status:
            starts_at = self.app.activity(activity_id).starts_at
            self.clock.now = max(self.clock.now, starts_at)
        self.record(activity_id, records)

    def record(self, activity_id: UUID, records: list[tuple[int, object]]) -> None:
        given = [(chosen(self.members, m), hours) for m, hours in records]
        written = self.attempt(
            lambda: self.app.record_attendance(activity_id, given, "admin")
        )
        if written is None:
            return
        assert not any(is_invalid(hours) for _, hours in given)
        model = self.attendance[activity_id]
        recorded = unchanged = corrected = 0
        seen: set[UUID] = set()
        for member_id, raw in given:
            hours = Decimal(str(raw))
            if member_id in seen:
                unchanged += 1
                continue
            seen.add(member_id)
            current = model.get(member_id)
            if current is None:
                recorded += 1
            elif current == hours:
                unchanged += 1
            else:
                corrected += 1
            model[member_id] = hours
        assert (written.recorded, written.unchanged, written.corrected) == (
            recorded,
            unchanged,
            corrected,
        )

    @rule(activity=pick, member=pick, reason=st.sampled_from(REASONS))
    def revoke_attendance(self, activity: int, member: int, reason: str) -> None:
        activity_id = chosen(self.activities, activity)
        member_id = chosen(self.members, member)
        written = self.attempt(
            lambda: self.app.revoke_attendance(activity_id, member_id, reason, "a")
        )
        if written is not None:
            self.attendance[activity_id][member_id] = None

    @rule(activity=pick, reason=st.sampled_from(REASONS))
    def cancel_activity(self, activity: int, reason: str) -> None:
        activity_id = chosen(self.activities, activity)
        written = self.attempt(
            lambda: self.app.cancel_activity(activity_id, reason, "admin")
        )
        if written is not None:
            model = self.attendance[activity_id]
            self.attendance[activity_id] = dict.fromkeys(model)
            self.status[activity_id] = CANCELLED

    @rule(activity=pick)
    def close_activity(self, activity: int) -> None:
        activity_id = chosen(self.activities, activity)
        written = self.attempt(lambda: self.app.close_activity(activity_id, "admin"))
        if written is not None:
            self.status[activity_id] = CLOSED

    @rule(minutes=st.sampled_from([15, 45, 90, 240]))
    def move_the_clock(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    # What must always hold.

    @invariant()
    def stored_events_rebuild_the_live_aggregates(self) -> None:
        assert self.replayer.position() == self.app.position()
        for aggregate_id in self.everything():
            assert state_of(self.replayer, aggregate_id) == state_of(
                self.app, aggregate_id
            )

    @invariant()
    def attendance_is_what_was_recorded_corrected_and_revoked(self) -> None:
        for activity_id in self.activities:
            activity = self.app.activity(activity_id)
            assert activity.status == self.status[activity_id]
            assert {
                m: None if a.revoked else a.hours
                for m, a in activity.attendances.items()
            } == self.attendance[activity_id]


TestReplay = Replay.TestCase
TestReplay.settings = settings(
    max_examples=50,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

"""The application's contract, the same on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.activity import CANCELLED, CLOSED, Activity
from domain.application import RequestAlreadyAnswered, RequestKey, VolunteerPoints
from domain.errors import DomainError
from tests.conftest import STORES, Clock

SHARED_STORES = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))

on_every_store = pytest.mark.parametrize("database_url", STORES, indirect=True)
on_shared_stores = pytest.mark.parametrize("database_url", SHARED_STORES, indirect=True)


@dataclass
class World:
    """A small community with a team, members and activities in every state."""

    community: UUID
    elsewhere: UUID
    unit: UUID
    alice: UUID
    bob: UUID
    team: UUID
    dissolved_team: UUID
    upcoming: UUID
    running: UUID
    closed: UUID
    cancelled: UUID

    def ids(self) -> list[UUID]:
        return list(vars(self).values())


def build_world(app: VolunteerPoints, clock: Clock) -> World:
    now = clock.now
    community = app.register_community("幸福社区", "城关街道", "admin").id
    elsewhere = app.register_community("和平社区", None, "admin").id
    unit = app.register_unit("区教育局党委", "admin").id
    alice = app.register_member("张三", community, True, "admin", unit_id=unit).id
    bob = app.register_member("李四", community, False, "admin").id
    team = app.found_team("红色先锋队", community, "admin").id
    app.join_team(team, alice, "admin")
    dissolved_team = app.found_team("旧队", community, "admin").id
    app.dissolve_team(dissolved_team, "合并", "admin")

    def schedule(title: str, starts_in: float, **options: Any) -> UUID:
        return app.schedule_activity(
            title,
            team,
            "环境整治",
            now + timedelta(hours=starts_in),
            now + timedelta(hours=starts_in + 3),
            "admin",
            **options,
        ).id

    upcoming = schedule("政策宣讲", 1, capacity=1)
    app.sign_up(upcoming, alice, "alice")
    running = schedule("社区清洁", -1)
    app.record_attendance(running, [(alice, 1)], "admin")
    closed = schedule("义诊", -2)
    app.close_activity(closed, "admin")
    cancelled = schedule("巡逻", 2)
    app.cancel_activity(cancelled, "暴雨", "admin")
    return World(
        community,
        elsewhere,
        unit,
        alice,
        bob,
        team,
        dissolved_team,
        upcoming,
        running,
        closed,
        cancelled,
    )


def state_of(app: VolunteerPoints, aggregate_id: UUID) -> dict[str, Any]:
    aggregate = app.repository.get(aggregate_id)
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def states(app: VolunteerPoints, ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    return {i: state_of(app, i) for i in ids}


@pytest.fixture
def world(app: VolunteerPoints, clock: Clock) -> World:
    return build_world(app, clock)


# Every command, end to end.


@on_every_store
def test_communities_units_and_members_are_registered(app: VolunteerPoints) -> None:
    community = app.register_community(" 幸福社区 ", "城关街道", "admin")
    unit = app.register_unit("区教育局党委", "admin")
    member = app.register_member(
        "张三",
        community.id,
        True,
        "admin",
        unit_id=unit.id,
        grid="第三网格",
        phone="+86 138-0000-0000",
        registered_on=date(2025, 12, 31),
    )

    assert app.community(community.id).name == "幸福社区"
    assert app.unit(unit.id).name == "区教育局党委"
    registered = app.member(member.id)
    assert (registered.name, registered.community_id) == ("张三", community.id)
    assert registered.party_member is True
    assert (registered.unit_id, registered.grid) == (unit.id, "第三网格")
    assert registered.registered_on == date(2025, 12, 31)
    assert community.position < unit.position < member.position == app.position()


@on_every_store
def test_a_member_registered_without_a_date_is_registered_on_the_local_day(
    app: VolunteerPoints, clock: Clock
) -> None:
    clock.now = datetime.fromisoformat("2025-12-31T17:00:00+00:00")
    community = app.register_community("幸福社区", None, "admin").id

    member = app.register_member("张三", community, True, "admin").id

    assert app.member(member).registered_on == date(2026, 1, 1)


@on_every_store
def test_units_and_members_double_report(
    app: VolunteerPoints, world: World, clock: Clock
) -> None:
    clock.now = datetime.fromisoformat("2026-07-01T01:00:00+00:00")
    unit_report = app.double_report_unit(
        world.unit, world.community, date(2026, 3, 1), "admin"
    )
    again = app.double_report_unit(
        world.unit, world.community, date(2026, 3, 2), "admin"
    )
    first = app.double_report_member(
        world.alice, world.community, date(2026, 3, 1), "admin"
    )
    moved = app.double_report_member(
        world.alice, world.elsewhere, date(2026, 6, 1), "admin"
    )

    assert unit_report.changed
    assert not again.changed
    assert again.position == unit_report.position
    assert app.unit(world.unit).reported_to == {world.community: date(2026, 3, 1)}
    assert first.changed
    assert moved.changed
    member = app.member(world.alice)
    assert (member.reported_to, member.reported_on) == (
        world.elsewhere,
        date(2026, 6, 1),
    )
    assert member.community_id == world.community


@on_every_store
def test_teams_are_founded_joined_left_and_dissolved(
    app: VolunteerPoints, world: World
) -> None:
    team = app.found_team("志愿服务队", world.community, "admin").id

    joined = app.join_team(team, world.bob, "admin")
    joined_again = app.join_team(team, world.bob, "admin")
    assert joined.changed
    assert not joined_again.changed
    assert joined_again.position == joined.position == app.position()
    assert app.team(team).members == {world.bob: date(2026, 3, 1)}

    app.leave_team(team, world.bob, "admin")
    assert app.team(team).members == {}

    app.dissolve_team(team, "人员调整", "admin")
    assert app.team(team).dissolved is True


@on_every_store
def test_an_activity_runs_from_sign_up_to_closing(
    app: VolunteerPoints, world: World, clock: Clock
) -> None:
    activity = app.schedule_activity(
        "义诊",
        world.team,
        "义诊",
        clock.now + timedelta(hours=1),
        clock.now + timedelta(hours=3),
        "admin",
        location="社区卫生站",
        capacity=2,
        points_per_hour="12",
    ).id
    app.sign_up(activity, world.alice, "alice")
    app.sign_up(activity, world.bob, "bob")
    app.withdraw(activity, world.bob, "bob")
    assert app.activity(activity).signups == {world.alice}

    clock.advance(hours=2)
    first = app.record_attendance(
        activity, [(world.alice, "1.5"), (world.bob, 2)], "admin"
    )
    assert (first.recorded, first.unchanged, first.corrected) == (2, 0, 0)
    assert first.position == app.position()

    before = app.position()
    same = app.record_attendance(activity, [(world.alice, "1.50")], "admin")
    assert (same.recorded, same.unchanged, same.corrected) == (0, 1, 0)
    assert same.position == app.position() == before

    corrected = app.record_attendance(
        activity, [(world.alice, 2)], "admin", reason="签到表有误"
    )
    assert corrected.corrected == 1
    assert app.activity(activity).attendances[world.alice].points == Decimal("24.0")

    app.revoke_attendance(activity, world.bob, "未到场", "admin")
    assert app.activity(activity).attendances[world.bob].revoked is True

    closed = app.close_activity(activity, "admin")
    closed_again = app.close_activity(activity, "admin")
    assert closed.changed
    assert not closed_again.changed
    assert app.activity(activity).status == CLOSED


@on_every_store
def test_points_are_stored_and_read_back_as_decimals(
    app: VolunteerPoints, world: World
) -> None:
    app.record_attendance(world.running, [(world.bob, "0.75")], "admin")

    attendance = app.activity(world.running).attendances[world.bob]

    assert attendance.hours == Decimal("0.75")
    assert attendance.points == Decimal("7.5")
    assert isinstance(attendance.points, Decimal)


@on_every_store
def test_a_fixed_points_activity_awards_its_points_whatever_the_hours(
    app: VolunteerPoints, world: World, clock: Clock
) -> None:
    activity = app.schedule_activity(
        "捐款",
        world.team,
        "捐赠",
        clock.now - timedelta(hours=1),
        clock.now + timedelta(hours=1),
        "admin",
        fixed_points=Decimal("5"),
    ).id

    app.record_attendance(activity, [(world.alice, "0.25")], "admin")

    assert app.activity(activity).attendances[world.alice].points == Decimal("5.0")


@on_every_store
def test_cancelling_an_activity_revokes_its_attendance(
    app: VolunteerPoints, world: World
) -> None:
    app.cancel_activity(world.running, "暴雨", "admin")

    activity = app.activity(world.running)
    assert activity.status == CANCELLED
    assert activity.attendances[world.alice].revoked is True
    assert activity.attendance_count == 0


@on_every_store
def test_access_tokens_are_issued_found_by_secret_and_revoked(
    app: VolunteerPoints, world: World
) -> None:
    issued = app.issue_token(
        "s3cret", "organizer", "admin", community_ids=[world.community]
    )

    token = app.token_for("s3cret")
    assert token is not None
    assert token.id == issued.id
    assert token.community_ids == [world.community]
    assert app.token_for("guess") is None

    app.revoke_token(issued.id, "admin")
    assert app.token_for("s3cret") is None


@on_every_store
def test_a_commands_idempotency_record_is_saved_with_its_events(
    app: VolunteerPoints, world: World
) -> None:
    request = RequestKey("admin", "key-1", "fp")

    written = app.found_team("新队", world.community, "admin", request=request)
    answered = app.answered(request)
    assert answered is not None
    assert answered.result == replace(written, position=0)
    assert written.position == app.position()

    before = app.position()
    with pytest.raises(RequestAlreadyAnswered):
        app.found_team("新队", world.community, "admin", request=request)
    assert app.position() == before


# Every invalid command raises the domain error and records nothing.

Command = Callable[[VolunteerPoints, World, Clock], object]
NOBODY = UUID(int=7)
YES: Any = "yes"  # what a careless client sends for a boolean


def at(clock: Clock, hours: float) -> datetime:
    return clock.now + timedelta(hours=hours)


def schedule(
    team: Callable[[World], UUID] = lambda w: w.team,
    starts: Callable[[Clock], object] = lambda c: at(c, 1),
    ends: Callable[[Clock], object] = lambda c: at(c, 3),
    **options: object,
) -> Command:
    return lambda app, w, c: app.schedule_activity(
        "宣讲", team(w), "政策宣讲", starts(c), ends(c), "admin", **options
    )


def hours(value: object) -> Command:
    return lambda app, w, c: app.record_attendance(w.running, [(w.bob, value)], "admin")


INVALID: dict[str, tuple[Command, str]] = {
    "community without a name": (
        lambda app, w, c: app.register_community("  ", None, "admin"),
        "validation_error",
    ),
    "community name with a newline": (
        lambda app, w, c: app.register_community("幸福\n社区", None, "admin"),
        "validation_error",
    ),
    "unit without a name": (
        lambda app, w, c: app.register_unit("", "admin"),
        "validation_error",
    ),
    "unknown unit reports": (
        lambda app, w, c: app.double_report_unit(
            NOBODY, w.community, date(2026, 3, 1), "admin"
        ),
        "not_found",
    ),
    "unit reports to an unknown community": (
        lambda app, w, c: app.double_report_unit(
            w.unit, NOBODY, date(2026, 3, 1), "admin"
        ),
        "unknown_reference",
    ),
    "unit reports on a moment, not a date": (
        lambda app, w, c: app.double_report_unit(w.unit, w.community, c.now, "admin"),
        "validation_error",
    ),
    "member of an unknown community": (
        lambda app, w, c: app.register_member("王五", NOBODY, True, "admin"),
        "unknown_reference",
    ),
    "member of an unknown unit": (
        lambda app, w, c: app.register_member(
            "王五", w.community, True, "admin", unit_id=NOBODY
        ),
        "unknown_reference",
    ),
    "member of a unit that is a community": (
        lambda app, w, c: app.register_member(
            "王五", w.community, True, "admin", unit_id=w.community
        ),
        "unknown_reference",
    ),
    "member without a name": (
        lambda app, w, c: app.register_member("", w.community, True, "admin"),
        "validation_error",
    ),
    "party member given as text": (
        lambda app, w, c: app.register_member("王五", w.community, YES, "admin"),
        "validation_error",
    ),
    "phone with letters": (
        lambda app, w, c: app.register_member(
            "王五", w.community, True, "admin", phone="call me"
        ),
        "validation_error",
    ),
    "unknown member reports": (
        lambda app, w, c: app.double_report_member(
            NOBODY, w.community, date(2026, 3, 1), "admin"
        ),
        "not_found",
    ),
    "member reports to an unknown community": (
        lambda app, w, c: app.double_report_member(
            w.alice, NOBODY, date(2026, 3, 1), "admin"
        ),
        "unknown_reference",
    ),
    "team of an unknown community": (
        lambda app, w, c: app.found_team("新队", NOBODY, "admin"),
        "unknown_reference",
    ),
    "team without a name": (
        lambda app, w, c: app.found_team(" ", w.community, "admin"),
        "validation_error",
    ),
    "joining an unknown team": (
        lambda app, w, c: app.join_team(NOBODY, w.bob, "admin"),
        "not_found",
    ),
    "joining an activity as if it were a team": (
        lambda app, w, c: app.join_team(w.running, w.bob, "admin"),
        "not_found",
    ),
    "an unknown member joins": (
        lambda app, w, c: app.join_team(w.team, NOBODY, "admin"),
        "unknown_reference",
    ),
    "joining a dissolved team": (
        lambda app, w, c: app.join_team(w.dissolved_team, w.bob, "admin"),
        "team_dissolved",
    ),
    "leaving a team one is not in": (
        lambda app, w, c: app.leave_team(w.team, w.bob, "admin"),
        "not_found",
    ),
    "dissolving a team twice": (
        lambda app, w, c: app.dissolve_team(w.dissolved_team, "再次", "admin"),
        "team_dissolved",
    ),
    "dissolving without a reason": (
        lambda app, w, c: app.dissolve_team(w.team, "", "admin"),
        "validation_error",
    ),
    "activity of an unknown team": (
        schedule(team=lambda w: NOBODY),
        "unknown_reference",
    ),
    "activity of a dissolved team": (
        schedule(team=lambda w: w.dissolved_team),
        "team_dissolved",
    ),
    "activity with a naive start": (
        schedule(starts=lambda c: at(c, 1).replace(tzinfo=None)),
        "validation_error",
    ),
    "activity ending before it starts": (
        schedule(ends=lambda c: at(c, 0)),
        "validation_error",
    ),
    "activity ending when it starts": (
        schedule(ends=lambda c: at(c, 1)),
        "validation_error",
    ),
    "activity of 31 days": (
        schedule(ends=lambda c: at(c, 1 + 31 * 24)),
        "validation_error",
    ),
    "activity for nobody": (schedule(capacity=0), "validation_error"),
    "activity capacity as a boolean": (schedule(capacity=True), "validation_error"),
    "activity capacity as text": (schedule(capacity="3"), "validation_error"),
    "activity with both points rules": (
        schedule(points_per_hour="10", fixed_points="5"),
        "validation_error",
    ),
    "activity with a float rate": (
        schedule(points_per_hour=10.0),
        "validation_error",
    ),
    "activity with a negative rate": (
        schedule(points_per_hour="-1"),
        "validation_error",
    ),
    "activity with NaN fixed points": (
        schedule(fixed_points="NaN"),
        "validation_error",
    ),
    "activity with too many fixed points": (
        schedule(fixed_points="10000.1"),
        "validation_error",
    ),
    "activity without a title": (
        lambda app, w, c: app.schedule_activity(
            "", w.team, "宣讲", at(c, 1), at(c, 2), "admin"
        ),
        "validation_error",
    ),
    "signing up to an unknown activity": (
        lambda app, w, c: app.sign_up(NOBODY, w.bob, "bob"),
        "not_found",
    ),
    "an unknown member signs up": (
        lambda app, w, c: app.sign_up(w.upcoming, NOBODY, "admin"),
        "unknown_reference",
    ),
    "signing up beyond capacity": (
        lambda app, w, c: app.sign_up(w.upcoming, w.bob, "bob"),
        "activity_full",
    ),
    "signing up after the start": (
        lambda app, w, c: app.sign_up(w.running, w.bob, "bob"),
        "activity_started",
    ),
    "signing up to a cancelled activity": (
        lambda app, w, c: app.sign_up(w.cancelled, w.bob, "bob"),
        "activity_cancelled",
    ),
    "withdrawing without signing up": (
        lambda app, w, c: app.withdraw(w.upcoming, w.bob, "bob"),
        "not_found",
    ),
    "withdrawing after the start": (
        lambda app, w, c: (c.advance(hours=1), app.withdraw(w.upcoming, w.alice, "a")),
        "activity_started",
    ),
    "attendance before the start": (
        lambda app, w, c: app.record_attendance(w.upcoming, [(w.alice, 1)], "admin"),
        "activity_not_started",
    ),
    "zero hours": (hours(0), "invalid_hours"),
    "negative hours": (hours(-1), "invalid_hours"),
    "hours not in quarters": (hours("0.3"), "invalid_hours"),
    "hours beyond the activity": (hours("3.25"), "invalid_hours"),
    "astronomical hours": (hours("1e30"), "invalid_hours"),
    "NaN hours": (hours("NaN"), "invalid_hours"),
    "float hours": (hours(1.5), "invalid_hours"),
    "hours that are not a number": (hours("一小时"), "invalid_hours"),
    "attendance of an unknown member": (
        lambda app, w, c: app.record_attendance(w.running, [(NOBODY, 1)], "admin"),
        "unknown_reference",
    ),
    "attendance at an unknown activity": (
        lambda app, w, c: app.record_attendance(NOBODY, [(w.bob, 1)], "admin"),
        "not_found",
    ),
    "attendance with no records": (
        lambda app, w, c: app.record_attendance(w.running, [], "admin"),
        "validation_error",
    ),
    "attendance of 501 records": (
        lambda app, w, c: app.record_attendance(
            w.running, [(uuid4(), 1) for _ in range(501)], "admin"
        ),
        "validation_error",
    ),
    "one member twice with different hours": (
        lambda app, w, c: app.record_attendance(
            w.running, [(w.bob, 1), (w.bob, 2)], "admin"
        ),
        "validation_error",
    ),
    "one good and one bad record": (
        lambda app, w, c: app.record_attendance(
            w.running, [(w.bob, 1), (w.alice, 0)], "admin"
        ),
        "invalid_hours",
    ),
    "correction with an empty reason": (
        lambda app, w, c: app.record_attendance(
            w.running, [(w.alice, 2)], "admin", reason=" "
        ),
        "validation_error",
    ),
    "attendance at a closed activity": (
        lambda app, w, c: app.record_attendance(w.closed, [(w.bob, 1)], "admin"),
        "activity_closed",
    ),
    "attendance at a cancelled activity": (
        lambda app, w, c: (
            c.advance(hours=3),
            app.record_attendance(w.cancelled, [(w.bob, 1)], "admin"),
        ),
        "activity_cancelled",
    ),
    "revoking attendance that is not there": (
        lambda app, w, c: app.revoke_attendance(w.running, w.bob, "重复", "admin"),
        "not_found",
    ),
    "revoking without a reason": (
        lambda app, w, c: app.revoke_attendance(w.running, w.alice, "", "admin"),
        "validation_error",
    ),
    "cancelling twice": (
        lambda app, w, c: app.cancel_activity(w.cancelled, "再次", "admin"),
        "already_cancelled",
    ),
    "cancelling a closed activity": (
        lambda app, w, c: app.cancel_activity(w.closed, "暴雨", "admin"),
        "activity_closed",
    ),
    "cancelling without a reason": (
        lambda app, w, c: app.cancel_activity(w.running, "", "admin"),
        "validation_error",
    ),
    "closing before the start": (
        lambda app, w, c: app.close_activity(w.upcoming, "admin"),
        "activity_not_started",
    ),
    "closing a cancelled activity": (
        lambda app, w, c: app.close_activity(w.cancelled, "admin"),
        "activity_cancelled",
    ),
    "a token with an unknown role": (
        lambda app, w, c: app.issue_token("s", "superuser", "admin"),
        "validation_error",
    ),
    "an organiser token for an unknown community": (
        lambda app, w, c: app.issue_token(
            "s", "organizer", "admin", community_ids=[NOBODY]
        ),
        "unknown_reference",
    ),
    "revoking an unknown token": (
        lambda app, w, c: app.revoke_token(NOBODY, "admin"),
        "not_found",
    ),
}


@on_every_store
@pytest.mark.parametrize("name", list(INVALID))
def test_an_invalid_command_raises_its_domain_error_and_records_nothing(
    app: VolunteerPoints, world: World, clock: Clock, name: str
) -> None:
    command, code = INVALID[name]
    position = app.position()
    before = states(app, world.ids())

    with pytest.raises(DomainError) as raised:
        command(app, world, clock)

    assert raised.value.code == code, raised.value.message
    assert app.position() == position
    assert states(app, world.ids()) == before


@on_every_store
def test_the_application_still_works_after_a_refused_command(
    app: VolunteerPoints, world: World
) -> None:
    with pytest.raises(DomainError):
        app.record_attendance(world.running, [(world.bob, 1), (world.alice, 0)], "a")

    written = app.record_attendance(world.running, [(world.bob, 1)], "admin")

    assert written.recorded == 1
    assert app.activity(world.running).attendance_count == 2


# A second application on the same database sees the same state.


@on_shared_stores
def test_a_second_application_rebuilds_the_same_state_from_the_stored_events(
    make_app: Callable[[], VolunteerPoints], clock: Clock
) -> None:
    first = make_app()
    world = build_world(first, clock)
    first.record_attendance(world.running, [(world.bob, "2.5")], "admin")
    first.record_attendance(world.running, [(world.bob, 2)], "admin", reason="更正")
    first.double_report_member(world.alice, world.elsewhere, date(2026, 3, 1), "a")
    first.double_report_unit(world.unit, world.community, date(2026, 3, 1), "a")

    second = make_app()

    assert second.position() == first.position()
    assert states(second, world.ids()) == states(first, world.ids())
    assert second.activity(world.running).attendances[world.bob].points == Decimal(
        "20.0"
    )


@on_shared_stores
def test_applications_on_one_database_see_each_others_writes(
    make_app: Callable[[], VolunteerPoints], clock: Clock
) -> None:
    first = make_app()
    world = build_world(first, clock)
    second = make_app()
    second.activity(world.running)

    first.record_attendance(world.running, [(world.bob, 1)], "admin")
    second.revoke_attendance(world.running, world.alice, "重复", "admin")
    first.close_activity(world.running, "admin")

    for app in (first, second):
        activity = app.activity(world.running)
        assert activity.status == CLOSED
        assert activity.attendances[world.bob].revoked is False
        assert activity.attendances[world.alice].revoked is True
    assert states(first, world.ids()) == states(second, world.ids())


@on_shared_stores
def test_stored_events_name_their_aggregate_and_keep_every_correction(
    make_app: Callable[[], VolunteerPoints], clock: Clock
) -> None:
    first = make_app()
    world = build_world(first, clock)
    first.record_attendance(world.running, [(world.alice, 2)], "admin", reason="更正")

    stored = list(make_app().events.get(world.running))

    assert [type(e).__name__ for e in stored] == [
        "Scheduled",
        "AttendanceRecorded",
        "AttendanceCorrected",
    ]
    assert isinstance(stored[-1], Activity.AttendanceCorrected)
    assert stored[-1].entries[0]["previous_hours"] == Decimal(1)

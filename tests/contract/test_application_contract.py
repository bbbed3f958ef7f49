"""The application's contract, the same on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.activity import CANCELLED, CLOSED
from domain.application import RequestAlreadyAnswered, RequestKey, VolunteerPoints
from tests.conftest import Clock
from tests.contract.contract_world import World, on_every_store

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

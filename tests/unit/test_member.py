"""A member's rules: registration and the personal double report (个人报到)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from domain.member import Member


def a_member() -> Member:
    member = Member(
        name="张三",
        community_id=uuid4(),
        party_member=True,
        unit_id=uuid4(),
        grid_id=None,
        grid="第三网格",
        phone="138 0000 0000",
        registered_on=date(2026, 3, 1),
        actor="organiser",
    )
    member.collect_events()
    return member


def test_a_registered_member_has_not_double_reported() -> None:
    member = a_member()

    assert member.reported_to is None
    assert member.reported_on is None


def test_a_member_double_reports_to_a_residential_community() -> None:
    member, community = a_member(), uuid4()

    assert member.report_to(community, date(2026, 3, 5), "organiser") is True

    assert member.reported_to == community
    assert member.reported_on == date(2026, 3, 5)
    [reported] = member.collect_events()
    assert isinstance(reported, Member.DoubleReported)
    assert reported.previous_community_id is None


def test_reporting_to_the_same_community_again_changes_nothing() -> None:
    member, community = a_member(), uuid4()
    member.report_to(community, date(2026, 3, 5), "organiser")
    member.collect_events()

    assert member.report_to(community, date(2026, 4, 1), "organiser") is False

    assert member.reported_on == date(2026, 3, 5)
    assert member.collect_events() == []


def test_reporting_elsewhere_moves_the_member_and_ends_the_earlier_report() -> None:
    member, first, second = a_member(), uuid4(), uuid4()
    member.report_to(first, date(2026, 3, 5), "organiser")
    member.collect_events()

    assert member.report_to(second, date(2026, 6, 1), "organiser") is True

    assert member.reported_to == second
    assert member.reported_on == date(2026, 6, 1)
    [moved] = member.collect_events()
    assert moved.previous_community_id == first


def test_double_reporting_does_not_change_where_the_member_registered() -> None:
    member = a_member()
    registered_with = member.community_id

    member.report_to(uuid4(), date(2026, 3, 5), "organiser")

    assert member.community_id == registered_with

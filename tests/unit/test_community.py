"""Communities and the units that double-report to them (组织报到)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from domain.community import Community, Unit


def a_unit() -> Unit:
    unit = Unit(name="区教育局党委", actor="admin")
    unit.collect_events()
    return unit


def test_a_community_is_registered_with_its_name_and_street() -> None:
    community = Community(name="幸福社区", street="城关街道", actor="admin")

    assert (community.name, community.street) == ("幸福社区", "城关街道")
    [registered] = community.collect_events()
    assert isinstance(registered, Community.Registered)


def test_a_new_unit_has_reported_nowhere() -> None:
    assert a_unit().reported_to == {}


def test_a_unit_reports_to_a_community() -> None:
    unit, community = a_unit(), uuid4()

    assert unit.report_to(community, date(2026, 3, 1), "admin") is True

    assert unit.reported_to == {community: date(2026, 3, 1)}
    [reported] = unit.collect_events()
    assert isinstance(reported, Unit.DoubleReported)


def test_a_unit_reports_to_several_communities() -> None:
    unit, first, second = a_unit(), uuid4(), uuid4()

    unit.report_to(first, date(2026, 3, 1), "admin")
    unit.report_to(second, date(2026, 4, 1), "admin")

    assert set(unit.reported_to) == {first, second}


def test_a_unit_reporting_to_the_same_community_again_changes_nothing() -> None:
    unit, community = a_unit(), uuid4()
    unit.report_to(community, date(2026, 3, 1), "admin")
    unit.collect_events()

    assert unit.report_to(community, date(2026, 5, 1), "admin") is False

    assert unit.reported_to == {community: date(2026, 3, 1)}
    assert unit.collect_events() == []

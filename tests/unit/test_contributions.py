"""A member's and a unit's part in each scope's figures, read back as DESIGN's
rules state them: what is in effect on D, and what the year held up to D."""

from __future__ import annotations

from collections.abc import Sequence

from projections.contributions import (
    ALL,
    INDEX,
    Changes,
    Earned,
    Interval,
    MemberFacts,
    Membership,
    Path,
    Period,
    Report,
    member_changes,
    union,
    unit_changes,
)

TREE = {
    "a": (("community", "a"), ("street", "s"), ("district", "d"), ALL),
    "b": (("community", "b"), ("street", "s"), ("district", "d"), ALL),
    "c": (("community", "c"), ALL),
}


def path(community_id: str) -> Path:
    return TREE[community_id]


def in_effect(changes: Changes, scope: tuple[str, str], column: str, on: str) -> int:
    return sum(
        row[INDEX[column]]
        for (kind, scope_id, day), row in changes.items()
        if (kind, scope_id) == scope and day <= on
    )


def held(changes: Changes, scope: tuple[str, str], column: str, on: str) -> int:
    start = on[:4] + "-01-01"
    return sum(
        row[INDEX[column]]
        for (kind, scope_id, day), row in changes.items()
        if (kind, scope_id) == scope and start <= day <= on
    )


def facts(
    periods: Sequence[Period] = (),
    memberships: Sequence[Membership] = (),
    reports: Sequence[Report] = (),
    earned: Sequence[Earned] = (),
) -> MemberFacts:
    return MemberFacts(list(periods), list(memberships), list(reports), list(earned))


def test_union_joins_overlapping_and_touching_days_and_drops_empty_ones() -> None:
    assert union(
        [
            Interval("2026-03-01", "2026-04-01"),
            Interval("2026-01-01", "2026-02-01"),
            Interval("2026-02-01", "2026-02-10"),
            Interval("2026-05-01", "2026-05-01"),
            Interval("2026-03-15", None),
        ]
    ) == [Interval("2026-01-01", "2026-02-10"), Interval("2026-03-01", None)]


def test_a_member_in_two_teams_of_one_district_is_one_volunteer_there() -> None:
    changes = member_changes(
        facts(
            memberships=[
                Membership("a", "2026-02-01", "2026-06-01", "2025-01-01", None),
                Membership("b", "2026-03-01", None, "2025-01-01", "2026-09-01"),
            ]
        ),
        path,
    )
    district = ("district", "d")
    assert in_effect(changes, district, "volunteers", "2026-01-31") == 0
    assert in_effect(changes, district, "volunteers", "2026-04-01") == 1
    assert in_effect(changes, district, "volunteers", "2026-08-31") == 1
    # The second team is dissolved on 1 September: nobody from then on.
    assert in_effect(changes, district, "volunteers", "2026-09-01") == 0
    assert in_effect(changes, ("community", "a"), "volunteers", "2026-04-01") == 1
    assert in_effect(changes, ("community", "a"), "volunteers", "2026-06-01") == 0
    assert in_effect(changes, ("community", "b"), "volunteers", "2026-06-01") == 1


def test_annual_points_count_where_the_member_is_registered_on_the_date() -> None:
    changes = member_changes(
        facts(
            periods=[
                Period("a", "g1", "2025-05-01", "2026-06-01"),
                Period("c", None, "2026-06-01", None),
            ],
            earned=[
                Earned("2025-12-20", 1, 200, 20),
                Earned("2026-03-01", 1, 100, 10),
                Earned("2026-07-01", 1, 50, 5),
            ],
        ),
        path,
    )
    a, c, grid = ("community", "a"), ("community", "c"), ("grid", "g1")
    assert held(changes, a, "member_points10", "2025-12-31") == 20
    assert held(changes, a, "member_points10", "2026-05-31") == 10
    assert held(changes, grid, "points10", "2026-05-31") == 10
    assert held(changes, grid, "participations", "2026-05-31") == 1
    # Moved on 1 June: the year's points so far go with the member.
    assert held(changes, a, "member_points10", "2026-06-01") == 0
    assert held(changes, grid, "hours100", "2026-06-01") == 0
    assert held(changes, c, "member_points10", "2026-06-01") == 10
    assert held(changes, c, "member_points10", "2026-12-31") == 15
    assert held(changes, ALL, "member_points10", "2026-12-31") == 15
    assert in_effect(changes, a, "members", "2026-05-31") == 1
    assert in_effect(changes, a, "members", "2026-06-01") == 0
    # Two registrations in one district never count the member twice.
    assert in_effect(changes, ALL, "members", "2026-06-01") == 1


def test_points_earned_before_registering_that_year_come_with_the_member() -> None:
    changes = member_changes(
        facts(
            periods=[Period("b", None, "2026-04-01", "2026-10-01")],
            earned=[Earned("2026-02-01", 1, 100, 10), Earned("2025-02-01", 1, 100, 7)],
        ),
        path,
    )
    b = ("community", "b")
    assert held(changes, b, "member_points10", "2026-03-31") == 0
    assert held(changes, b, "member_points10", "2026-04-01") == 10
    assert held(changes, b, "member_points10", "2026-10-01") == 0
    assert held(changes, b, "member_points10", "2025-12-31") == 0


def test_a_grid_counts_its_members_double_reported_to_their_own_community() -> None:
    changes = member_changes(
        facts(
            periods=[Period("a", "g1", "2026-01-01", None)],
            reports=[
                Report("a", "2026-02-01", "2026-05-01"),
                Report("b", "2026-05-01", None),
            ],
        ),
        path,
    )
    grid = ("grid", "g1")
    assert in_effect(changes, grid, "members_reported", "2026-03-01") == 1
    assert in_effect(changes, grid, "members_reported", "2026-06-01") == 0
    assert in_effect(changes, ("district", "d"), "members_reported", "2026-06-01") == 1


def test_a_unit_reported_to_two_communities_of_a_street_counts_once_there() -> None:
    changes = unit_changes(
        [Report("a", "2026-01-01", None), Report("b", "2026-03-01", "2026-04-01")], path
    )
    assert in_effect(changes, ("street", "s"), "units_reported", "2026-03-15") == 1
    assert in_effect(changes, ("community", "b"), "units_reported", "2026-03-15") == 1
    assert in_effect(changes, ("community", "b"), "units_reported", "2026-04-01") == 0

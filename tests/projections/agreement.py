"""Comparing a read side (``projections.queries.Queries``, duck-typed) with the
oracle, question by question, naming the first figure that differs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.projections.oracle import Oracle


def differences(actual: Any, expected: Any) -> str:
    if isinstance(actual, dict) and isinstance(expected, dict):
        keys = sorted(set(actual) | set(expected))
        return "; ".join(
            f"{k}: {actual.get(k)!r} != {expected.get(k)!r}"
            for k in keys
            if actual.get(k) != expected.get(k)
        )
    return f"{actual!r} != {expected!r}"


def same(what: str, actual: Any, expected: Any) -> None:
    if actual != expected:
        raise AssertionError(f"{what}: {differences(actual, expected)}")


def every_page(fetch: Callable[[str | None], dict[str, Any]]) -> list[Any]:
    """All items of a paged query, following its cursors."""
    items: list[Any] = []
    cursor = None
    while True:
        page = fetch(cursor)
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def assert_agrees(queries: Any, oracle: Oracle, page: int = 3) -> int:
    """Checks every figure the read side answers; returns how many it checked."""
    checks = 0

    def check(what: str, actual: Any, expected: Any) -> None:
        nonlocal checks
        same(what, actual, expected)
        checks += 1

    communities, units = sorted(oracle.communities), sorted(oracle.units)
    for year in oracle.years():
        for scope in [None, *communities]:
            check(
                f"stats({scope}, {year})", *both(queries, oracle, "stats", scope, year)
            )
        for c in communities:
            check(
                f"leaderboard({c}, {year})",
                *both(queries, oracle, "leaderboard", c, year, 10_000),
            )
        for t in oracle.teams:
            check(f"team({t}, {year})", *both(queries, oracle, "team", t, year))
        for m in oracle.members:
            check(
                f"member_points({m}, {year})",
                *both(queries, oracle, "member_points", m, year),
            )
            check(
                f"statement({m}, {year})", *both(queries, oracle, "statement", m, year)
            )
    for m in oracle.members:
        check(f"member({m})", *both(queries, oracle, "member", m))
    for a in oracle.activities:
        check(f"activity({a})", *both(queries, oracle, "activity", a))
    for c in communities:
        check(
            f"community_double_reports({c})",
            *both(queries, oracle, "community_double_reports", c),
        )
        check(
            f"community_members({c})",
            every_page(lambda cursor, c=c: queries.community_members(c, page, cursor)),
            oracle.community_members(c),
        )
    for u in units:
        check(
            f"unit_double_reports({u})",
            *both(queries, oracle, "unit_double_reports", u),
        )
    for c in [None, *communities]:
        check(
            f"teams({c})",
            every_page(lambda cursor, c=c: queries.teams(c, page, cursor)),
            oracle.all_teams(c),
        )
    for team_id, community_id in (
        [(None, None)]
        + [(None, c) for c in communities]
        + [(t, None) for t in oracle.teams]
    ):
        check(
            f"activities(team={team_id}, community={community_id})",
            every_page(
                lambda cursor, t=team_id, c=community_id: queries.activities(
                    team_id=t,
                    community_id=c,
                    starts_from=None,
                    starts_to=None,
                    limit=page,
                    cursor=cursor,
                )
            ),
            oracle.all_activities(team_id, community_id),
        )
    nobody = "00000000-0000-0000-0000-000000000001"
    for name in ("member", "activity"):
        check(f"{name}(unknown)", getattr(queries, name)(nobody), None)
    check("team(unknown)", queries.team(nobody, 2026), None)
    return checks


def both(queries: Any, oracle: Oracle, name: str, *args: Any) -> tuple[Any, Any]:
    return getattr(queries, name)(*args), getattr(oracle, name)(*args)

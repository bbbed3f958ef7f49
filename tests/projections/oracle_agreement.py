"""Comparing a read side (``projections.queries.Queries``, duck-typed) with the
oracle, figure by figure, for several years and figure dates, naming the first
answer that differs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import pytest

from domain.dates import figure_date as domain_figure_date
from domain.errors import FutureDate, InvalidCommand
from tests.projections.oracle import Oracle, figure_date

NOBODY = "00000000-0000-0000-0000-000000000001"


def differences(actual: Any, expected: Any) -> str:
    if isinstance(actual, dict) and isinstance(expected, dict):
        keys = sorted(set(actual) | set(expected))
        return "; ".join(
            f"{k}: {actual.get(k)!r} != {expected.get(k)!r}"
            for k in keys
            if actual.get(k) != expected.get(k)
        )
    return f"{actual!r} != {expected!r}"


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


def years_around(today: date) -> list[int]:
    """The previous year, the current one and the next (not begun)."""
    return [today.year - 1, today.year, today.year + 1]


def as_of_candidates(oracle: Oracle, year: int, today: date) -> list[date]:
    """Dates in the year, not after today, where a figure may change: every
    business date the events carry, the day before each, and the year's ends."""
    found = {date(year, 1, 1), date(year, 12, 31), today}
    for day in oracle.dates():
        found |= {day, date.fromordinal(day.toordinal() - 1)}
    return sorted(d for d in found if d.year == year and d <= today)


class Comparison:
    """Asks both sides; the first difference fails, unless ``found`` collects
    every difference instead (to survey a read side)."""

    def __init__(
        self, queries: Any, oracle: Oracle, found: list[str] | None = None
    ) -> None:
        self.queries = queries
        self.oracle = oracle
        self.found = found
        self.checks = 0

    def check(self, what: str, actual: Any, expected: Any) -> None:
        self.checks += 1
        if actual != expected:
            difference = f"{what}: {differences(actual, expected)}"
            if self.found is None:
                raise AssertionError(difference)
            self.found.append(difference)

    def ask(self, name: str, *args: Any) -> None:
        shown = ", ".join(str(a) for a in args)
        self.check(
            f"{name}({shown})",
            getattr(self.queries, name)(*args),
            getattr(self.oracle, name)(*args),
        )

    def figures_on(self, year: int, on: date) -> None:
        """Every figure at every level of the tree, and every member's, team's
        and leaderboard's, for one year as of one date."""
        oracle = self.oracle
        scopes: list[tuple[str, str | None]] = [("all", None)]
        scopes += [("district", d) for d in oracle.districts]
        scopes += [("street", s) for s in oracle.streets]
        scopes += [("community", c) for c in sorted(oracle.communities)]
        scopes += [("grid", g) for g in sorted(oracle.grids)]
        for scope, scope_id in scopes:
            self.ask("stats", scope, scope_id, year, on)
        for community_id in sorted(oracle.communities):
            self.ask("leaderboard", community_id, year, on, 10_000)
        for team_id in sorted(oracle.teams):
            self.ask("team", team_id, year, on)
        for member_id in sorted(oracle.members):
            self.ask("member_points", member_id, year, on)
            self.ask("statement", member_id, year, on)

    def tree(self, page: int) -> None:
        """The lists of the tree, page by page."""
        queries, oracle = self.queries, self.oracle
        self.check(
            "districts",
            self.pages(queries.districts, None, page),
            oracle.district_items(),
        )
        for d in oracle.districts:
            self.check(
                f"streets({d})",
                self.pages(queries.streets, d, page),
                oracle.street_items(d),
            )
        for s in oracle.streets:
            self.check(
                f"communities({s})",
                self.pages(queries.communities, s, page),
                oracle.community_items(s),
            )
        for c in sorted(oracle.communities):
            self.check(
                f"grids({c})", self.pages(queries.grids, c, page), oracle.grid_items(c)
            )

    @staticmethod
    def pages(
        query: Callable[..., dict[str, Any]], parent: str | None, page: int
    ) -> list[Any]:
        """Every item of a list of the tree (under a parent, if it has one)."""

        def fetch(cursor: str | None) -> dict[str, Any]:
            if parent is None:
                return query(page, cursor)
            return query(parent, page, cursor)

        return every_page(fetch)


def assert_agrees(
    queries: Any,
    oracle: Oracle,
    today: date,
    as_of: Mapping[int, Sequence[date]] | None = None,
    page: int = 2,
    found: list[str] | None = None,
) -> int:
    """Checks every figure of the previous, current and next year, as of the
    year's own figure date and as of each date given for it; returns how many
    answers it checked."""
    comparison = Comparison(queries, oracle, found)
    for year in years_around(today):
        asked: list[date | None] = [None, *(as_of or {}).get(year, [])]
        for given in asked:
            on = figure_date(year, given, today)
            comparison.check(
                f"figure_date({year}, {given}, {today})",
                domain_figure_date(year, given, today),
                on,
            )
            comparison.figures_on(year, on)
    for year in years_around(today):
        # A figure date after today, or outside the year, is refused.
        with pytest.raises(FutureDate):
            domain_figure_date(year, today + timedelta(days=1), today)
        with pytest.raises(InvalidCommand):
            domain_figure_date(year, date(year - 1, 6, 1), today)
    comparison.tree(page)
    comparison.check(
        "team(unknown)",
        queries.team(NOBODY, today.year, today),
        oracle.team(NOBODY, today.year, today),
    )
    return comparison.checks

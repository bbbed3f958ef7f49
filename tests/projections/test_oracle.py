"""For any valid history, with back-dated facts, moves, departures, dissolutions
and activities in past and future years, every figure the read side answers
equals the oracle's, at every level of the tree, for the previous, current and
next year and several figure dates."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from infrastructure.storage import open_application, parse_database_url
from projections.queries import Queries
from projections.runner import Projector
from tests.conftest import Clock, drop_postgres_schema, postgres_test_url
from tests.projections.district import District
from tests.projections.district_model import START, RandomChooser
from tests.projections.oracle import Oracle, stored_events
from tests.projections.oracle_agreement import (
    as_of_candidates,
    assert_agrees,
    years_around,
)

T = TypeVar("T")


class Draws:
    """Hypothesis's choices, for the district."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def choice(self, options: Sequence[T]) -> T:
        return self.data.draw(st.sampled_from(options))

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(st.integers(low, high))


def project_and_compare(data: st.DataObject, database_url: str) -> None:
    clock = Clock(START)
    app = open_application(parse_database_url(database_url), clock=clock)
    projector = Projector(app, page_size=data.draw(st.integers(1, 40), "page size"))
    try:
        district = District(app, clock, Draws(data))
        for _ in range(data.draw(st.integers(20, 150), "commands")):
            event(district.step())
            # Catching up now and then splits the log at arbitrary places.
            if data.draw(st.integers(0, 7)) == 0:
                projector.catch_up()
        projector.catch_up()
        assert projector.position == app.position()
        event(f"events: {app.position() // 25 * 25}+")
        today = app.today()
        oracle = Oracle(stored_events(app))
        as_of: dict[int, list[date]] = {}
        for year in years_around(today):
            candidates = as_of_candidates(oracle, year, today)
            if candidates:
                as_of[year] = data.draw(
                    st.lists(st.sampled_from(candidates), max_size=2, unique=True),
                    f"as_of in {year}",
                )
        assert_agrees(Queries(projector.view), oracle, today, as_of)
    finally:
        app.close()


ORACLE_SETTINGS: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


@settings(max_examples=80, **ORACLE_SETTINGS)
@given(data=st.data())
def test_every_figure_as_of_every_date_equals_the_oracle_in_memory(
    data: st.DataObject,
) -> None:
    project_and_compare(data, "memory://")


@settings(max_examples=30, **ORACLE_SETTINGS)
@given(data=st.data())
def test_every_figure_as_of_every_date_equals_the_oracle_on_sqlite(
    data: st.DataObject,
) -> None:
    with tempfile.TemporaryDirectory(prefix="vpoints-oracle-") as folder:
        project_and_compare(data, f"sqlite:///{Path(folder) / 'vpoints.db'}")


@pytest.mark.postgres
@settings(max_examples=10, **ORACLE_SETTINGS)
@given(data=st.data())
def test_every_figure_as_of_every_date_equals_the_oracle_on_postgres(
    data: st.DataObject,
) -> None:
    url = postgres_test_url()
    try:
        project_and_compare(data, url)
    finally:
        drop_postgres_schema(url)


def seeded_history(seed: int) -> Oracle:
    """400 commands with catch-ups every 50, checked as of every date where a
    figure may change in the current year; returns the oracle."""
    clock = Clock(START)
    app = open_application(parse_database_url("memory://"), clock=clock)
    projector = Projector(app, page_size=7)
    try:
        district = District(
            app, clock, RandomChooser(seed), most_members=12, most_activities=30
        )
        for step in range(400):
            district.step()
            if step % 50 == 0:
                projector.catch_up()
        projector.catch_up()
        today = app.today()
        oracle = Oracle(stored_events(app))
        as_of = {
            year: as_of_candidates(oracle, year, today)[::3]
            for year in years_around(today)
        }
        assert district.refusals > 0
        assert assert_agrees(Queries(projector.view), oracle, today, as_of) > 500
        return oracle
    finally:
        app.close()


def test_long_seeded_histories_give_every_fact_and_agree_with_the_oracle() -> None:
    oracles = [seeded_history(seed) for seed in range(3)]
    kinds = {
        "District.Registered",
        "Street.Registered",
        "Community.Registered",
        "Grid.Registered",
        "Unit.Registered",
        "Unit.DoubleReported",
        "Unit.DoubleReportEnded",
        "Member.Registered",
        "Member.DetailsChanged",
        "Member.Moved",
        "Member.Deregistered",
        "Member.DoubleReported",
        "Member.DoubleReportEnded",
        "Team.Founded",
        "Team.MemberJoined",
        "Team.MemberLeft",
        "Team.Dissolved",
        "Activity.Scheduled",
        "Activity.SignedUp",
        "Activity.Withdrew",
        "Activity.AttendanceRecorded",
        "Activity.AttendanceCorrected",
        "Activity.AttendanceRevoked",
        "Activity.Cancelled",
        "Activity.Closed",
    }
    assert kinds == set().union(*(o.kinds for o in oracles))
    members = [m for o in oracles for m in o.members.values()]
    teams = [t for o in oracles for t in o.teams.values()]
    activities = [a for o in oracles for a in o.activities.values()]
    # Registered in the year before the clock's first day, moved, gone.
    assert any(m.registered_on < date(2025, 1, 1) for m in members)
    assert any(len(m.periods) > 1 for m in members)
    assert any(m.left_on is not None for m in members)
    assert any(m.periods[-1].grid_id is not None for m in members)
    # Teams founded and dissolved back-dated; memberships that ended.
    assert any(t.founded_on < date(2025, 12, 31) for t in teams)
    assert any(t.dissolved_on is not None for t in teams)
    assert any(m.end is not None for t in teams for m in t.memberships)
    # Activities held last year and this year, and scheduled for next year.
    earning = [a for a in activities if any(t.counts for t in a.attendances.values())]
    assert {a.day.year for a in earning} >= {2025, 2026}
    assert any(a.day.year == 2027 for a in activities)
    # Points earned where the year in UTC and the year in Shanghai differ.
    assert any(a.starts_at.year != a.day.year for a in earning)

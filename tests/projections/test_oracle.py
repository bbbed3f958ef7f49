"""For any valid history, every read model equals a recomputation from the events."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from infrastructure.storage import open_application, parse_database_url
from projections.projection import Projection as Figures
from projections.queries import Queries
from projections.runner import Projector
from tests.conftest import Clock
from tests.projections.agreement import assert_agrees
from tests.projections.district import START, District, RandomChooser
from tests.projections.oracle import Activity, Oracle, stored_events

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
        for _ in range(data.draw(st.integers(5, 150), "commands")):
            event(district.step())
            # Catching up now and then splits the log at arbitrary places.
            if data.draw(st.integers(0, 7)) == 0:
                projector.catch_up()
        projector.catch_up()
        assert projector.position == app.position()
        event(f"events: {app.position() // 25 * 25}+")
        assert_agrees(Queries(projector.view), Oracle(stored_events(app)))
    finally:
        app.close()


ORACLE_SETTINGS: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


@settings(max_examples=50, **ORACLE_SETTINGS)
@given(data=st.data())
def test_read_models_equal_a_recomputation_from_the_events_in_memory(
    data: st.DataObject,
) -> None:
    project_and_compare(data, "memory://")


@settings(max_examples=10, **ORACLE_SETTINGS)
@given(data=st.data())
def test_read_models_equal_a_recomputation_from_the_events_on_sqlite(
    data: st.DataObject,
) -> None:
    with tempfile.TemporaryDirectory(prefix="vpoints-oracle-") as folder:
        project_and_compare(data, f"sqlite:///{Path(folder) / 'vpoints.db'}")


def seeded_history(seed: int) -> list[Any]:
    """400 commands with catch-ups every 50; checked, and returns its events."""
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
        events = list(stored_events(app))
        assert_agrees(Queries(projector.view), Oracle(events))
        return events
    finally:
        app.close()


def test_long_seeded_histories_give_every_event_and_agree_with_the_oracle() -> None:
    kinds: set[str] = set()
    earning: list[Activity] = []
    for seed in range(3):
        events = seeded_history(seed)
        kinds |= {type(e).__qualname__ for e in events}
        earning += [
            activity
            for activity in Oracle(events).activities.values()
            if any(t.counts for t in activity.attendances.values())
        ]
    assert kinds == {cls.__qualname__ for cls in Figures().handlers}
    assert {activity.day.year for activity in earning} == {2025, 2026, 2027}
    # Points earned where the year in UTC and the year in Shanghai differ.
    assert any(activity.starts_at.year != activity.day.year for activity in earning)

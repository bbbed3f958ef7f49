"""The projector running in a process is handed the events that process's
saves commit: it projects them without reading them back, into the same read
models that reading them from the event log builds; another process's events
it reads from the log."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from domain.application import VolunteerPoints
from projections import runner
from projections.runner import Projector
from tests.conftest import STORES, Clock
from tests.projections.district import District
from tests.projections.district_model import RandomChooser
from tests.projections.test_rebuild import snapshot

SHARED_STORES = [store for store in STORES if store != "memory"]
on_shared_stores = pytest.mark.parametrize("database_url", SHARED_STORES, indirect=True)


@pytest.fixture(autouse=True)
def woken_by_this_process_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No LISTEN on PostgreSQL: its notification of this process's own write
    may wake the projector before the write hands its events over, and the
    projector then reads them from the log, as it may."""
    monkeypatch.setattr(runner, "listen", lambda *_: None)


def read_back(app: VolunteerPoints) -> list[int]:
    """The positions of the events the projector reads from the event log
    (SQLite's recorder gives it them by ``notifications_after``)."""
    positions: list[int] = []
    recorder: Any = app.recorder
    name = (
        "notifications_after"
        if hasattr(recorder, "notifications_after")
        else "select_notifications"
    )
    select = getattr(recorder, name)

    def selecting(*args: Any, **kwargs: Any) -> Sequence[Any]:
        found = select(*args, **kwargs)
        positions.extend(n.id for n in found)
        return found

    setattr(recorder, name, selecting)
    return positions


@on_shared_stores
def test_the_events_a_process_saves_are_projected_without_reading_them_back(
    make_app: Callable[[], VolunteerPoints], clock: Clock
) -> None:
    app = make_app()
    projector = Projector(app)
    positions = read_back(app)
    projector.start()
    try:
        District(app, clock, RandomChooser(5), most_members=15).run(300)
        assert projector.wait_for(app.position(), timeout=30)
    finally:
        projector.stop()
    assert app.position() > 200
    # Only an event whose save the projector overtook (it was woken between
    # the commit and the hand-over) is read back.
    assert len(positions) < app.position() // 10, positions
    handed = snapshot(projector.view)

    projector.rebuild_start()
    projector.catch_up()
    assert positions[-1] == app.position()
    assert snapshot(projector.view) == handed


@on_shared_stores
def test_another_process_s_events_are_read_from_the_event_log(
    make_app: Callable[[], VolunteerPoints], clock: Clock
) -> None:
    app = make_app()
    projector = Projector(app)
    positions = read_back(app)
    projector.start()
    try:
        District(app, clock, RandomChooser(3), most_members=5).run(20)
        ours = app.position()
        District(make_app(), clock, RandomChooser(4), most_members=5).run(40)
        theirs = app.position()
        District(app, clock, RandomChooser(6), most_members=5).run(20)
        assert projector.wait_for(app.position(), timeout=30)
    finally:
        projector.stop()
    assert ours < theirs < app.position()
    assert set(range(ours + 1, theirs + 1)) <= set(positions)

"""Read models caught up step by step equal the same read models rebuilt from zero."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from domain.application import VolunteerPoints
from projections.queries import Queries
from projections.runner import PAGE_SIZE, Projector
from projections.sql import Sql
from projections.view import TABLES, View
from tests.conftest import STORES, Clock
from tests.projections.district import District
from tests.projections.district_model import RandomChooser
from tests.projections.oracle import Oracle, stored_events
from tests.projections.oracle_agreement import assert_agrees

SHARED_STORES = [store for store in STORES if store != "memory"]
on_shared_stores = pytest.mark.parametrize("database_url", SHARED_STORES, indirect=True)

Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(view: View) -> Snapshot:
    """Every row of every read model table, in a stable order."""
    tables: Snapshot = {}
    with view.transaction() as c:
        for table in TABLES:
            every_row = Sql(f"SELECT * FROM {{t}}{table}")
            rows = c.execute(every_row).all()
            values = [tuple(r.values() if isinstance(r, dict) else r) for r in rows]
            if table == "vp_scope_change":
                # Changes that add up to nothing are the same as no row.
                values = [v for v in values if any(v[4:])]
            tables[table] = sorted(values, key=repr)
    return tables


@on_shared_stores
def test_rebuilding_from_zero_gives_the_tables_that_catching_up_built(
    make_app: Callable[[], VolunteerPoints], clock: Clock
) -> None:
    app = make_app()
    projector = Projector(app, page_size=37)
    district = District(
        app, clock, RandomChooser(7), most_members=15, most_activities=25
    )
    caught_up = []
    for steps in (60, 3, 120, 90, 150):
        district.run(steps)
        caught_up.append(projector.catch_up())
    assert len([n for n in caught_up if n]) >= 4, caught_up
    assert projector.position == app.position() == sum(caught_up)
    incremental = snapshot(projector.view)
    assert sum(len(rows) for rows in incremental.values()) > 150

    projector.rebuild_start()
    assert projector.view.position() == 0
    assert not any(snapshot(projector.view).values())
    assert projector.catch_up() == app.position()

    assert snapshot(projector.view) == incremental
    assert projector.view.position() == app.position()
    assert_agrees(Queries(projector.view), Oracle(stored_events(app)), app.today())


@on_shared_stores
def test_a_second_process_rebuilding_sees_what_the_first_built(
    make_app: Callable[[], VolunteerPoints], clock: Clock
) -> None:
    writer = make_app()
    first = Projector(writer)
    District(writer, clock, RandomChooser(11)).run(200)
    first.catch_up()
    built = snapshot(first.view)

    other = Projector(make_app(), page_size=1)
    assert other.position == writer.position()
    other.rebuild_start()
    other.catch_up()
    assert snapshot(other.view) == built


@on_shared_stores
def test_a_bulk_load_gives_the_tables_that_catching_up_built(
    make_app: Callable[[], VolunteerPoints], clock: Clock
) -> None:
    app = make_app()
    projector = Projector(app, page_size=23)
    district = District(app, clock, RandomChooser(5), most_members=12)
    for steps in (80, 140, 100):
        district.run(steps)
        projector.catch_up()
    incremental = snapshot(projector.view)

    bulk = Projector(make_app(), bulk_load_events=0)
    bulk.rebuild_start()
    assert bulk.catch_up() == app.position()
    assert bulk.page_size == PAGE_SIZE
    assert snapshot(bulk.view) == incremental
    assert_agrees(Queries(bulk.view), Oracle(stored_events(app)), app.today())

"""Read models left by a release of another shape are dropped and projected
again from the log, so an upgraded database reads what its events say."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.application import VolunteerPoints
from projections.queries import Queries
from projections.runner import Projector
from projections.sql import Sql
from projections.view import READ_MODEL_VERSION
from tests.conftest import STORES, Clock
from tests.projections.district import District
from tests.projections.district_model import RandomChooser
from tests.projections.oracle import Oracle, stored_events
from tests.projections.oracle_agreement import assert_agrees

SHARED_STORES = [store for store in STORES if store != "memory"]


OLD_SHAPE = (
    "DROP TABLE IF EXISTS {t}vp_team",
    "CREATE TABLE {t}vp_team (team_id TEXT PRIMARY KEY, name TEXT NOT NULL, "
    "community_id TEXT NOT NULL, dissolved INTEGER NOT NULL)",
    "DROP TABLE IF EXISTS {t}vp_schema",
    "CREATE TABLE {t}vp_team_year (team_id TEXT, year INTEGER)",
)


@pytest.mark.parametrize("database_url", SHARED_STORES, indirect=True)
def test_read_models_of_an_earlier_shape_are_projected_again(
    make_app: Callable[[], VolunteerPoints], clock: Clock
) -> None:
    app = make_app()
    District(app, clock, RandomChooser(5), most_members=12).run(120)
    earlier = Projector(app)
    earlier.catch_up()
    with earlier.view.transaction(commit=True) as c:
        for sql in OLD_SHAPE:
            c.execute(Sql(sql))

    upgraded = Projector(make_app())
    assert upgraded.position == 0
    upgraded.catch_up()

    assert upgraded.position == app.position()
    with upgraded.view.transaction() as c:
        version = c.execute(
            Sql("SELECT version FROM {t}vp_schema WHERE name = 'read_models'")
        ).one()
    assert version is not None
    assert int(version["version"]) == READ_MODEL_VERSION
    assert_agrees(Queries(upgraded.view), Oracle(stored_events(app)), app.today())

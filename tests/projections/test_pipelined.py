"""Writes sent in a page's pipeline never answer a read made between them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.application import VolunteerPoints
from projections.batch import Batch
from projections.sql import Sql
from projections.view import View
from tests.conftest import STORES

SHARED_STORES = [store for store in STORES if store != "memory"]

CREATE = Sql("CREATE TABLE {t}pipelined (n INTEGER PRIMARY KEY, m INTEGER NOT NULL)")
INSERT = Sql("INSERT INTO {t}pipelined VALUES (?, ?)")
DOUBLE = Sql("UPDATE {t}pipelined SET m = m * 2 WHERE n = ?")
COUNT = Sql("SELECT COUNT(*) AS n, SUM(m) AS m FROM {t}pipelined")
FIRST = Sql("SELECT n, m FROM {t}pipelined WHERE n <= ? ORDER BY n")
DROP = Sql("DROP TABLE {t}pipelined")
ROUNDS, WRITES = 40, 150


@pytest.mark.parametrize("database_url", SHARED_STORES, indirect=True)
def test_each_read_in_a_pipelined_page_sees_the_writes_sent_before_it(
    make_app: Callable[[], VolunteerPoints],
) -> None:
    """Hundreds of writes in flight before each read: their answers fill
    the server's output and reach the client while the read is being sent."""
    view = View.for_application(make_app())
    with view.transaction(commit=True) as c:
        c.execute(CREATE)
    try:
        with view.transaction() as c, c.pipelined():
            batch = Batch(c)
            n = 0
            for _ in range(ROUNDS):
                for _ in range(WRITES):
                    n += 1
                    # Two statements in turn: each is sent on its own.
                    batch.run(INSERT, (n, n))
                    batch.run(DOUBLE, (n,))
                found = batch.query(COUNT, ())
                assert found is not None
                assert (int(found["n"]), int(found["m"])) == (n, n * (n + 1))
                rows = c.execute(FIRST, (3,)).all()
                assert [(int(r["n"]), int(r["m"])) for r in rows] == [
                    (1, 2),
                    (2, 4),
                    (3, 6),
                ]
    finally:
        with view.transaction(commit=True) as c:
            c.execute(DROP)

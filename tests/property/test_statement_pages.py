"""For any history of two members' attendances across two years (recorded,
corrected, revoked, recorded again, their activities cancelled; activities
sharing a start time, and starting in the first hour of 1 January, still 31
December in UTC), a member's statement read a page at a time, for any page
size, is the whole statement the oracle computes from the events: every item
once, in start order, each with its history, and the year's totals on every
page."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import VolunteerPoints
from domain.dates import SHANGHAI
from domain.errors import DomainError
from infrastructure.storage import open_application, parse_database_url
from projections.queries import Queries
from projections.runner import Projector
from tests.conftest import Clock, drop_postgres_schema, postgres_test_url
from tests.projections.oracle import Oracle, stored_events

T = TypeVar("T")
ACTOR = "测试组织者"
NOW = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
DAYS = [date(2025, 1, 1), date(2025, 7, 1), date(2025, 12, 31), date(2026, 1, 1)]
DAYS += [date(2026, 2, 14), date(2026, 2, 28)]
HOURS_OF_DAY = [(0, 30), (9, 0), (9, 0), (19, 0)]  # two draws in three share 09:00
HOURS = [Decimal(h) for h in ("0.5", "1", "1.5", "2")]

activities = st.lists(
    st.tuples(st.sampled_from(DAYS), st.sampled_from(HOURS_OF_DAY)),
    min_size=1,
    max_size=14,
)
steps = st.lists(
    st.tuples(
        st.sampled_from(["record", "record", "record", "revoke", "cancel"]),
        st.integers(0, 13),  # which activity
        st.sampled_from([0, 0, 0, 1]),  # which member: mostly the first
        st.sampled_from(HOURS),
    ),
    max_size=40,
)
readings = st.lists(
    st.tuples(st.sampled_from([2025, 2026]), st.integers(0, 364), st.integers(1, 6)),
    min_size=1,
    max_size=4,
)


def attempt(command: Callable[..., T], *args: Any) -> T | None:
    """A command's result, or nothing if the domain refused it."""
    try:
        return command(*args)
    except DomainError:
        return None


def play(url: str, starts: list[Any], plan: list[Any], reads: list[Any]) -> None:
    clock = Clock(NOW)
    app = open_application(parse_database_url(url), clock=clock)
    try:
        reader, other = history(app, starts, plan)
        projector = Projector(app)
        projector.catch_up()
        queries = Queries(projector.view)
        oracle = Oracle(stored_events(app))
        today = app.today()
        for member in (reader, other):
            for year, day_of_year, limit in reads:
                on = min(date(year, 1, 1) + timedelta(days=day_of_year), today)
                whole = oracle.statement(member, year, on)
                assert queries.statement(member, year, on) == whole
                read_in_pages(queries, whole, limit)
    finally:
        app.close()


def history(
    app: VolunteerPoints, starts: list[Any], plan: list[Any]
) -> tuple[str, str]:
    """Two members' attendances as the plan has them; their ids."""
    community = app.register_community("阳光社区", None, ACTOR).id
    team = app.found_team("服务队", community, ACTOR, date(2015, 1, 1)).id
    members = [
        app.register_member(
            name, community, True, ACTOR, registered_on=date(2015, 1, 1)
        ).id
        for name in ("张伟", "李娜")
    ]
    ids: list[UUID] = []
    for day, (hour, minute) in starts:
        local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)
        scheduled = app.schedule_activity(
            "巡河", team, "环境保护", local, local + timedelta(hours=2), ACTOR
        )
        ids.append(scheduled.id)
    for kind, pick, who, hours in plan:
        activity, member = ids[pick % len(ids)], members[who]
        if kind == "record":
            attempt(app.record_attendance, activity, [(member, hours)], ACTOR, "更正")
        elif kind == "revoke":
            attempt(app.revoke_attendance, activity, member, "登记错人", ACTOR)
        else:
            attempt(app.cancel_activity, activity, "暴雨", ACTOR)
    return str(members[0]), str(members[1])


def read_in_pages(queries: Queries, whole: dict[str, Any], limit: int) -> None:
    """Follows the cursors of a statement ``limit`` items a page."""
    member, year, on = (
        whole["member_id"],
        whole["year"],
        date.fromisoformat(whole["as_of"]),
    )
    items: list[Any] = []
    cursor = None
    while True:
        page = queries.statement_page(member, year, on, limit, cursor)
        assert (page["points"], page["hours"]) == (whole["points"], whole["hours"])
        assert len(page["items"]) <= limit
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert len(page["items"]) == limit
        assert len(items) < len(whole["items"]), "a cursor after the last item"
    assert items == whole["items"]


SETTINGS: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


@settings(max_examples=60, **SETTINGS)
@given(starts=activities, plan=steps, reads=readings)
def test_the_pages_of_a_statement_are_the_oracles_whole_statement_in_memory(
    starts: list[Any], plan: list[Any], reads: list[Any]
) -> None:
    play("memory://", starts, plan, reads)


@settings(max_examples=15, **SETTINGS)
@given(starts=activities, plan=steps, reads=readings)
def test_the_pages_of_a_statement_are_the_oracles_whole_statement_on_sqlite(
    starts: list[Any], plan: list[Any], reads: list[Any]
) -> None:
    with tempfile.TemporaryDirectory(prefix="vpoints-statement-") as folder:
        play(f"sqlite:///{Path(folder) / 'vpoints.db'}", starts, plan, reads)


@pytest.mark.postgres
@settings(max_examples=6, **SETTINGS)
@given(starts=activities, plan=steps, reads=readings)
def test_the_pages_of_a_statement_are_the_oracles_whole_statement_on_postgres(
    starts: list[Any], plan: list[Any], reads: list[Any]
) -> None:
    url = postgres_test_url()
    try:
        play(url, starts, plan, reads)
    finally:
        drop_postgres_schema(url)

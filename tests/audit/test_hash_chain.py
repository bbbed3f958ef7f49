"""The hash chain over the log (DESIGN, evolution and audit): kept as events
are stored, in the same transaction; a walk names the first position where a
row was changed, deleted or inserted behind the application's back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from domain.application import VolunteerPoints
from infrastructure.chain import verify
from infrastructure.digest import chained_recorder, head_digest, log_digest
from infrastructure.storage import parse_database_url
from tests.audit.tampering import Tamperer
from tests.conftest import STORES

SHARED = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))
ACTOR = "审计测试"


def some_history(app: VolunteerPoints) -> None:
    community = app.register_community("阳光社区", None, ACTOR).id
    team = app.found_team("服务队", community, ACTOR, date(2026, 1, 5)).id
    members = [
        app.register_member(f"志愿者{i}", community, True, ACTOR).id for i in range(4)
    ]
    for member in members:
        app.join_team(team, member, ACTOR)


@pytest.mark.parametrize("database_url", STORES, indirect=True)
def test_each_event_is_linked_as_it_is_stored_and_the_walk_agrees(
    app: VolunteerPoints,
) -> None:
    some_history(app)
    recorder = chained_recorder(app)
    position, digest = recorder.chain_head()
    assert position == app.position() > 0
    assert digest.hex() == log_digest(app, position)
    for at in (1, 3, position - 1):
        assert head_digest(app, at) == log_digest(app, at)
    assert head_digest(app, 0) == "0" * 64
    verdict = verify(recorder)
    assert (verdict.ok, verdict.checked, verdict.first_broken_position) == (
        True,
        position,
        None,
    )


@pytest.mark.parametrize("database_url", SHARED, indirect=True)
def test_a_conflicting_writer_leaves_no_link_behind(
    make_app: Callable[[], VolunteerPoints],
) -> None:
    first, second = make_app(), make_app()
    community = first.register_community("阳光社区", None, ACTOR).id
    team = first.found_team("服务队", community, ACTOR).id
    member = first.register_member("张伟", community, True, ACTOR).id
    # The second application joins on a stale copy and loses the race once.
    second.team(team)
    first.join_team(team, member, ACTOR)
    second.join_team(
        team, first.register_member("李娜", community, True, ACTOR).id, ACTOR
    )
    verdict = verify(chained_recorder(first))
    assert verdict.ok, verdict
    assert verdict.checked == first.position()


@pytest.mark.parametrize("database_url", SHARED, indirect=True)
@pytest.mark.parametrize("kind", ["changed", "deleted", "inserted"])
def test_a_row_tampered_with_is_found_at_its_position(
    app: VolunteerPoints, database_url: str, kind: str
) -> None:
    some_history(app)
    end = app.position()
    tamperer = Tamperer(app, parse_database_url(database_url))
    if kind == "changed":
        tamperer.change(5)
        expected = 5
    elif kind == "deleted":
        tamperer.delete(4)
        expected = 4
    else:
        tamperer.insert(copy_of=2)
        expected = end + 1
    verdict = verify(chained_recorder(app))
    assert (verdict.ok, verdict.first_broken_position) == (False, expected)
    assert verdict.checked == expected - 1


@pytest.mark.parametrize("database_url", SHARED, indirect=True)
def test_a_log_written_before_the_chain_is_linked_when_opened(
    make_app: Callable[[], VolunteerPoints], database_url: str
) -> None:
    app = make_app()
    some_history(app)
    before = log_digest(app, app.position())
    Tamperer(app, parse_database_url(database_url)).drop_chain()
    reopened = make_app()
    assert chained_recorder(reopened).chain_head()[1].hex() == before
    assert verify(chained_recorder(reopened)).ok

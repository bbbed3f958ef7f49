"""Group commit (infrastructure/group_commit.py): writers waiting together are
stored in one transaction; one whose events conflict fails alone, the others
are stored, each with its positions and links."""

from __future__ import annotations

from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from domain.application import VolunteerPoints
from infrastructure.chain import verify
from infrastructure.digest import chained_recorder
from infrastructure.group_commit import GroupCommit, Write
from tests.audit.test_hash_chain import ACTOR

SHARED = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))


def like(event: StoredEvent, count: int) -> list[StoredEvent]:
    """New events of a new aggregate, shaped like ``event``."""
    originator = uuid4()
    return [
        StoredEvent(originator, version, event.topic, event.state)
        for version in range(1, count + 1)
    ]


@pytest.mark.parametrize("database_url", SHARED, indirect=True)
def test_a_conflicting_writer_in_a_group_fails_alone(app: VolunteerPoints) -> None:
    community = app.register_community("阳光社区", None, ACTOR).id
    stored = app.recorder.select_events(community)[0]
    end = app.position()
    first, clash, third = (
        Write(like(stored, 1), {}),
        Write([stored], {}),
        Write(like(stored, 2), {}),
    )
    recorder = chained_recorder(app)
    assert isinstance(recorder, GroupCommit)

    recorder._commit_group([first, clash, third])

    assert isinstance(clash.error, IntegrityError)
    assert clash.ids is None
    assert first.error is None
    assert third.error is None
    assert first.ids is not None
    assert third.ids is not None
    positions = [*first.ids, *third.ids]
    assert len(positions) == 3
    assert end < positions[0] < positions[1] < positions[2] == app.position()
    for write in (first, third):
        originator = write.events[0].originator_id
        assert len(app.recorder.select_events(originator)) == len(write.events)
    verdict = verify(recorder)
    assert verdict.ok, verdict


@pytest.mark.parametrize("database_url", SHARED, indirect=True)
def test_a_group_without_conflicts_is_stored_in_order(app: VolunteerPoints) -> None:
    community = app.register_community("阳光社区", None, ACTOR).id
    stored = app.recorder.select_events(community)[0]
    end = app.position()
    writes = [Write(like(stored, n), {}) for n in (2, 1, 3)]
    recorder = chained_recorder(app)
    assert isinstance(recorder, GroupCommit)

    recorder._commit_group(writes)

    assert [w.ids for w in writes] == [
        [end + 1, end + 2],
        [end + 3],
        [end + 4, end + 5, end + 6],
    ]
    assert verify(recorder).ok

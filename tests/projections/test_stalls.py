"""A projection that cannot apply an event stops just before it, says so in
/healthz, in the logs and to readers asking for a later position, never skips
it, and goes on once the fault is fixed: by itself, or after a restart."""

from __future__ import annotations

import json
import logging
import signal
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import OperationalError, StoredEvent
from fastapi.testclient import TestClient

from api.auth import BOOTSTRAP_ADMIN
from domain.application import VolunteerPoints
from domain.member import Member
from domain.team import Team
from projections.batch import Batch, Handler
from projections.runner import Projector
from projections.stalls import ProjectionStalled
from tests.api.support import ADMIN_TOKEN, Running, bearer, problem, running_api
from tests.conftest import STORES, Clock
from tests.projections.test_kill_worker import start_worker, wait_until

ADMIN = bearer(ADMIN_TOKEN)
FAULT = "a read model that cannot take this member"
every_store = pytest.mark.parametrize("database_url", STORES, indirect=True)
stores_that_outlive_a_process = pytest.mark.parametrize(
    "database_url", STORES[1:], indirect=True
)


def poison_members_named(
    monkeypatch: pytest.MonkeyPatch, projector: Projector, name: str
) -> None:
    """Makes the projector's first handler of Member.Registered fail for one
    member's name, as a read model with a fault would."""
    handlers = projector.projection.handlers
    first, *others = handlers[Member.Registered]

    def faulty(event: object, page: Any) -> None:
        if isinstance(event, Member.Registered) and event.name == name:
            raise RuntimeError(FAULT)
        first(event, page)

    poisoned: tuple[Handler, ...] = (faulty, *others)
    monkeypatch.setitem(handlers, Member.Registered, poisoned)


class Community:
    """A community whose members are registered one write at a time."""

    def __init__(self, running: Running) -> None:
        self.running = running
        self.app = running.system.app
        self.id = self.app.register_community("幸福里社区", None, BOOTSTRAP_ADMIN).id

    def register(self, name: str) -> tuple[int, int]:
        """The positions of the member's registration and of the write's last
        event."""
        registered = self.app.register_member(
            name, self.id, party_member=False, actor=BOOTSTRAP_ADMIN
        )
        return self.app.recorder.position_of(registered.id), registered.position

    def members(self, **params: Any) -> Any:
        return self.running.client.get(
            f"/v1/communities/{self.id}/members", params=params, headers=ADMIN
        )

    def names(self, **params: Any) -> list[str]:
        answer = self.members(**params)
        assert answer.status_code == 200, answer.text
        return sorted(item["name"] for item in answer.json()["items"])


def stalled_health(client: TestClient) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while (answer := client.get("/healthz")).status_code != 503:
        assert time.monotonic() < deadline, answer.text
        time.sleep(0.02)
    body: dict[str, Any] = answer.json()
    return body


@pytest.fixture
def running(database_url: str, clock: Clock) -> Iterator[Running]:
    with running_api(database_url, clock, read_wait_seconds=5) as api:
        yield api


@every_store
def test_a_member_the_read_models_cannot_take_stalls_the_projection_just_before_it(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    poison_members_named(monkeypatch, running.system.projector, "李四")
    community = Community(running)
    _, before = community.register("张三")
    poison, _ = community.register("李四")
    after, _ = community.register("王五")
    head = running.position()

    health = stalled_health(running.client)

    assert health == {
        "status": "stalled",
        "position": head,
        "projection": "read_models",
        "projected": before,
        "projector": "in_process",
        "stalled_at": poison,
        "error": f"RuntimeError: {FAULT}",
    }
    assert running.system.projector.view.position() == before
    assert community.names() == ["张三"]
    assert community.names(min_position=before) == ["张三"]
    for beyond in (poison, after):
        started = time.monotonic()
        answer = community.members(min_position=beyond)
        refused = problem(answer, 503, "projection_stalled")
        assert time.monotonic() - started < 2, "a stalled read should not wait"
        assert str(poison) in refused["detail"]
        assert FAULT in refused["detail"]
        assert refused["stalled_at"] == poison
        assert refused["error"] == f"RuntimeError: {FAULT}"
        assert int(answer.headers["Retry-After"]) > 0


@every_store
def test_a_stalled_projection_never_skips_the_event_and_goes_on_once_it_applies(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    projector = running.system.projector
    projector.stall_retry_seconds = 0.05
    poison_members_named(monkeypatch, projector, "李四")
    community = Community(running)
    community.register("张三")
    community.register("李四")
    _, after = community.register("王五")
    stalled_health(running.client)
    time.sleep(0.3)  # several tries, none of them past the event
    assert community.names() == ["张三"]

    monkeypatch.undo()

    wait_until(lambda: projector.stall is None, "the next try applies the event")
    assert community.names(min_position=after) == ["张三", "李四", "王五"]
    health = running.client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert health.json()["projected"] == running.position()


@stores_that_outlive_a_process
def test_a_restart_with_the_fault_fixed_resumes_from_the_tracking_position(
    database_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_api(database_url, clock) as first:
        poison_members_named(monkeypatch, first.system.projector, "李四")
        community = Community(first)
        _, before = community.register("张三")
        community.register("李四")
        community.register("王五")
        stalled_health(first.client)
        head = first.position()

    with running_api(database_url, clock, run_projector=False) as restarted:
        resumes_from = restarted.system.projector.position
    with running_api(database_url, clock) as restarted:
        community.running = restarted
        names = community.names(min_position=head)
        health = restarted.client.get("/healthz")

    assert resumes_from == before
    assert names == ["张三", "李四", "王五"]
    assert health.status_code == 200
    assert health.json()["projected"] == head


def record_team_founded_without_a_timestamp(app: VolunteerPoints) -> int:
    """Stores a version 1 Team.Founded whose state lacks the timestamp its
    upcaster dates the founding by, so the event cannot be decoded."""
    community = app.register_community("光明社区", None, BOOTSTRAP_ADMIN).id
    state = {
        "originator_topic": "domain.team:Team",
        "name": "旧版本的服务队",
        "community_id": community,
        "actor": BOOTSTRAP_ADMIN,
    }
    stored = StoredEvent(
        originator_id=uuid4(),
        originator_version=1,
        topic="domain.team:Team.Founded",
        state=app.mapper.transcoder.encode(state),
    )
    app.recorder.insert_events([stored])
    return app.position()


def founded_on_new_year(state: dict[str, Any]) -> None:
    state.setdefault("founded_on", date(2026, 1, 1))


@every_store
def test_an_event_that_cannot_be_decoded_stalls_until_an_upcaster_reads_it(
    app: VolunteerPoints,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    projector = Projector(app)
    before = app.register_community("幸福里社区", None, BOOTSTRAP_ADMIN).position
    poison = record_team_founded_without_a_timestamp(app)
    later = app.register_community("东风社区", None, BOOTSTRAP_ADMIN).position

    with caplog.at_level(logging.ERROR, "vpoints.projections"):
        for _ in range(3):
            with pytest.raises(ProjectionStalled) as stalled:
                projector.catch_up()

    assert stalled.value.stall.position == poison
    assert "KeyError" in stalled.value.stall.error
    assert "timestamp" in stalled.value.stall.error
    assert projector.position == projector.view.position() == poison - 1
    assert projector.position >= before
    assert projector.wait_for(poison - 1, 0)
    with pytest.raises(ProjectionStalled):
        projector.wait_for(later, 5)
    [logged] = caplog.records
    assert logged.levelname == "ERROR"
    assert f"position {poison}" in logged.getMessage()
    assert "timestamp" in logged.getMessage()

    monkeypatch.setattr(Team.Founded, "upcast_v1_v2", founded_on_new_year)
    restarted = Projector(app, view=projector.view)

    assert restarted.position == poison - 1
    restarted.catch_up()
    assert restarted.position == app.position() == later
    assert restarted.stall is None


def test_a_page_that_fails_as_it_is_written_is_narrowed_down_to_its_event(
    app: VolunteerPoints, monkeypatch: pytest.MonkeyPatch
) -> None:
    positions = [
        app.register_community(name, None, BOOTSTRAP_ADMIN).position
        for name in ("幸福里社区", "东风社区", "光明社区", "和平社区")
    ]
    poison = positions[2]
    flush = Batch.flush

    def failing_flush(batch: Batch) -> None:
        if batch.position >= poison:
            raise ValueError("a fold that cannot be written")
        flush(batch)

    monkeypatch.setattr(Batch, "flush", failing_flush)
    projector = Projector(app)

    with pytest.raises(ProjectionStalled) as stalled:
        projector.catch_up()

    assert stalled.value.stall.position == poison
    assert projector.position == projector.view.position() == positions[1]


@every_store
def test_a_database_that_fails_a_page_is_retried_and_stalls_nothing(
    app: VolunteerPoints, monkeypatch: pytest.MonkeyPatch
) -> None:
    projector = Projector(app)
    write = projector.view.write
    failures = [OperationalError("the database went away")] * 3

    def flaky(*args: Any) -> None:
        if failures:
            raise failures.pop()
        write(*args)

    monkeypatch.setattr(projector.view, "write", flaky)
    position = app.register_community("幸福里社区", None, BOOTSTRAP_ADMIN).position
    projector.start()
    try:
        assert projector.wait_for(position, 10)
    finally:
        projector.stop()
    assert not failures
    assert projector.stall is None


def test_a_full_disk_stalls_the_projection_until_space_is_freed(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    projector = running.system.projector
    write = projector.view.write
    full = [True]

    def on_a_full_disk(*args: Any) -> None:
        if full[0]:
            raise OperationalError("database or disk is full")
        write(*args)

    community = Community(running)
    _, before = community.register("张三")
    assert projector.wait_for(before, 10)
    monkeypatch.setattr(projector.view, "write", on_a_full_disk)
    _, after = community.register("李四")

    health = stalled_health(running.client)
    assert health["stalled_at"] == before + 1
    assert health["error"] == "OperationalError: database or disk is full"
    assert community.names() == ["张三"]

    full[0] = False
    wait_until(lambda: projector.stall is None, "the page applies once space is freed")
    assert community.names(min_position=after) == ["张三", "李四"]
    assert running.client.get("/healthz").json()["status"] == "ok"


@stores_that_outlive_a_process
def test_an_api_process_without_the_projector_shows_the_workers_tracking_position(
    database_url: str, clock: Clock
) -> None:
    with running_api(database_url, clock, run_projector=False) as api:
        Community(api).register("张三")
        waiting = api.client.get("/healthz").json()
        with running_api(database_url, clock) as worker:
            assert worker.system.projector.wait_for(api.position(), 10)
        caught_up = api.client.get("/healthz")

    assert waiting["projector"] == "worker"
    assert waiting["projected"] == 0 < waiting["position"]
    assert caught_up.status_code == 200
    assert caught_up.json()["projected"] == caught_up.json()["position"]


def json_lines(path: Path) -> Iterator[dict[str, Any]]:
    for line in path.read_text().splitlines():
        if line.startswith("{"):
            yield json.loads(line)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_projection_worker_logs_a_stall_once_and_keeps_running(
    database_url: str, app: VolunteerPoints, tmp_path: Path
) -> None:
    poison = record_team_founded_without_a_timestamp(app)
    app.register_community("东风社区", None, BOOTSTRAP_ADMIN)
    log = tmp_path / "worker.log"
    with log.open("w") as logs:
        worker = start_worker(database_url, logs)
    try:

        def stalled() -> list[dict[str, Any]]:
            return [e for e in json_lines(log) if e["level"] == "error"]

        wait_until(lambda: bool(stalled()), "the worker logs the stall")
        time.sleep(0.5)
        assert worker.poll() is None, "the worker keeps running"
        [logged] = stalled()
        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()

    assert f"position {poison}" in logged["message"]
    assert "KeyError: 'timestamp'" in logged["message"]
    assert f"stopped at position {poison - 1}, before the event at {poison}" in out

"""A write that keeps losing the race to other processes' writers of its
aggregates is refused once its deadline has passed: 503 `write_conflict` with
Retry-After, for the client to send it again (DESIGN, reliability round
three), having changed nothing."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

from api.system import System
from infrastructure.retries import JitteredBackoff
from tests.api.support import ADMIN_TOKEN, Scene, bearer, problem


def test_a_write_conflicting_past_its_deadline_is_503_write_conflict_with_retry_after(
    scene: Scene, system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = system.app

    def lose(*aggregates: Any, **kwargs: Any) -> Any:
        raise IntegrityError("another writer saved first")

    retries = JitteredBackoff(deadline=0.2)
    monkeypatch.setattr(app, "retries", retries)
    monkeypatch.setattr(app, "save", lose)
    position = app.position()
    response = scene.client.patch(
        f"/v1/members/{scene.member}",
        json={"name": "王芳芳"},
        headers=bearer(ADMIN_TOKEN),
    )

    problem(response, 503, "write_conflict")
    assert response.headers["Retry-After"] == "1"
    assert retries.retried > 0
    assert app.position() == position

"""Audit over HTTP (shared/API.md, audit and operations): the chain's head and
a walk of it, for admins; a row changed behind the application's back is named
by its position."""

from __future__ import annotations

import pytest

from infrastructure.digest import log_digest
from infrastructure.storage import parse_database_url
from tests.api.support import Running, Scene, problem
from tests.audit.tampering import Tamperer
from tests.conftest import STORES

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "GET /v1/audit/head": (
        "test_the_head_is_the_last_positions_digest",
        "test_only_admins_read_the_audit",
    ),
    "GET /v1/audit/verify": (
        "test_a_walk_of_an_untouched_log_is_ok",
        "test_a_changed_row_is_named_by_its_position",
        "test_only_admins_read_the_audit",
    ),
}


@pytest.mark.parametrize("database_url", STORES, indirect=True)
def test_the_head_is_the_last_positions_digest(scene: Scene) -> None:
    app = scene.client.app.state.system.app
    answer = scene.read("/v1/audit/head").json()
    assert answer == {
        "position": app.position(),
        "digest": log_digest(app, app.position()),
    }


@pytest.mark.parametrize("database_url", STORES, indirect=True)
def test_a_walk_of_an_untouched_log_is_ok(scene: Scene) -> None:
    app = scene.client.app.state.system.app
    answer = scene.read("/v1/audit/verify").json()
    assert answer == {
        "ok": True,
        "checked": app.position(),
        "first_broken_position": None,
        "resumed_from": 0,
        "head": {"position": app.position(), "digest": log_digest(app, app.position())},
    }


@pytest.mark.parametrize(
    "database_url",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_a_changed_row_is_named_by_its_position(
    scene: Scene, running: Running, database_url: str
) -> None:
    app = running.system.app
    Tamperer(app, parse_database_url(database_url)).change(7)
    # The changed row no longer decodes for the projection either: read the
    # verdict without waiting for the read models.
    response = scene.client.get("/v1/audit/verify", headers=scene.headers("admin"))
    answer = response.json()
    assert (answer["ok"], answer["first_broken_position"], answer["checked"]) == (
        False,
        7,
        6,
    )


@pytest.mark.parametrize("database_url", ["memory"], indirect=True)
def test_only_admins_read_the_audit(scene: Scene) -> None:
    for path in ("/v1/audit/head", "/v1/audit/verify"):
        for role in ("organizer_in", "member_self"):
            problem(scene.read(path, role), 403, "forbidden")
        problem(scene.read(path, "anonymous"), 401, "unauthorized")

"""What the API answers when storing fails, by what the operator does about
it: 507 ``insufficient_storage`` for a full disk, 503 ``server_busy`` while the
database answers but cannot be used now, 503 ``database_unavailable`` when it
cannot be reached; each with Retry-After, and a refused write leaves nothing
behind (DESIGN, "Reliability, round three")."""

from __future__ import annotations

import sqlite3
from typing import Any

import psycopg_pool
import pytest
from eventsourcing.persistence import OperationalError
from fastapi.testclient import TestClient

from api.system import System
from tests.api.support import ADMIN_TOKEN, bearer, problem

ADMIN = bearer(ADMIN_TOKEN)


def failing_with(error: BaseException) -> Any:
    def insert_events(*_: object, **__: object) -> None:
        raise OperationalError(str(error)) from error

    return insert_events


REFUSED_WRITES = [
    (sqlite3.OperationalError("database or disk is full"), 507, "insufficient_storage"),
    (OSError(28, "No space left on device"), 507, "insufficient_storage"),
    (sqlite3.OperationalError("database is locked"), 503, "server_busy"),
    (
        psycopg_pool.PoolTimeout("couldn't get a connection"),
        503,
        "database_unavailable",
    ),
    (
        sqlite3.OperationalError("unable to open database file"),
        503,
        "database_unavailable",
    ),
]


@pytest.mark.parametrize(("error", "status", "code"), REFUSED_WRITES)
def test_a_write_that_cannot_be_stored_is_answered_by_what_stopped_it(
    client: TestClient,
    system: System,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    status: int,
    code: str,
) -> None:
    before = system.app.position()
    monkeypatch.setattr(system.app.recorder, "insert_events", failing_with(error))
    answer = client.post("/v1/communities", json={"name": "满盘社区"}, headers=ADMIN)
    problem(answer, status, code)
    assert int(answer.headers["Retry-After"]) > 0
    monkeypatch.undo()
    assert system.app.position() == before
    assert client.get("/v1/stats", headers=ADMIN).status_code == 200


def test_every_write_documents_507_and_every_operation_server_busy(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if method in ("post", "put", "patch", "delete"):
                assert "insufficient_storage" in responses["507"]["description"]
            else:
                assert "507" not in responses, (method, path)
            if path != "/healthz":
                assert "server_busy" in responses["503"]["description"], path

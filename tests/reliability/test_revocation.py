"""How each process's cache of principals learns that a token was revoked: at
once in the process that revoked it, through its read models in any other."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.principals import Principals
from api.settings import Settings
from api.system import System

ADMIN = "revocation-admin-token"
AUTH = {"Authorization": f"Bearer {ADMIN}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def member_token(client: TestClient) -> dict[str, Any]:
    community = client.post("/v1/communities", json={"name": "撤销社区"}, headers=AUTH)
    member = client.post(
        "/v1/members",
        json={
            "name": "张三",
            "community_id": community.json()["id"],
            "party_member": True,
        },
        headers=AUTH,
    )
    issued = client.post(
        "/v1/tokens",
        json={"role": "member", "member_id": member.json()["id"]},
        headers=AUTH,
    )
    assert issued.status_code == 201, issued.text
    body: dict[str, Any] = issued.json()
    return body


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'v.db'}", admin_token=ADMIN)


def test_the_revoking_process_refuses_the_token_from_the_next_request_on(
    settings: Settings,
) -> None:
    system = System(settings)
    with TestClient(create_app(settings, system)) as client:
        issued = member_token(client)
        mine = bearer(issued["token"])
        assert client.get("/v1/me/points", headers=mine).status_code == 200
        assert client.delete(f"/v1/tokens/{issued['id']}", headers=AUTH).is_success
        refused = client.get("/v1/me/points", headers=mine)
    system.close()
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthorized"


@contextmanager
def two_processes(
    settings: Settings, projects: bool
) -> Iterator[tuple[TestClient, TestClient, System]]:
    """A client of the process that revokes, a client of another process
    (with its projector or without), and that other process's system."""
    revoking = System(settings)
    other = System(settings, run_projector=projects)
    try:
        with (
            TestClient(create_app(settings, revoking)) as client,
            TestClient(create_app(settings, other)) as elsewhere,
        ):
            yield client, elsewhere, other
    finally:
        revoking.close()
        other.close()


@pytest.mark.parametrize("projects", [True, False], ids=["projector", "worker"])
def test_another_process_refuses_the_token_once_a_read_there_reflects_it(
    settings: Settings, projects: bool
) -> None:
    with two_processes(settings, projects) as (client, elsewhere, _):
        issued = member_token(client)
        mine = bearer(issued["token"])
        assert elsewhere.get("/v1/me/points", headers=mine).status_code == 200
        revoked = client.delete(f"/v1/tokens/{issued['id']}", headers=AUTH)
        caught_up = {"min_position": revoked.json()["position"]}
        assert elsewhere.get("/v1/stats", params=caught_up, headers=AUTH).is_success
        refused = elsewhere.get("/v1/me/points", headers=mine)
    assert refused.status_code == 401


def test_a_process_without_a_projector_follows_the_revocations_in_the_log(
    settings: Settings,
) -> None:
    with two_processes(settings, projects=False) as (client, elsewhere, other):
        issued = member_token(client)
        mine = bearer(issued["token"])
        assert elsewhere.get("/v1/me/points", headers=mine).status_code == 200
        assert client.delete(f"/v1/tokens/{issued['id']}", headers=AUTH).is_success
        other.principals.follow()
        refused = elsewhere.get("/v1/me/points", headers=mine)
    assert refused.status_code == 401


def held(principals: Principals) -> int:
    return len(principals._cached)


def test_a_token_loaded_while_a_revocation_is_seen_is_loaded_again_next_time(
    settings: Settings,
) -> None:
    system = System(settings)
    with TestClient(create_app(settings, system)) as client:
        token = member_token(client)["token"]
        principals = system.principals
        principals.forget_all()
        load = system.app.token_for

        def loading_while_revoked(secret: str) -> Any:
            found = load(secret)
            principals.moved(0, 0, [])
            principals._forget({"some other token"})
            return found

        system.app.token_for = loading_while_revoked  # type: ignore[method-assign]
        assert client.get("/v1/me/points", headers=bearer(token)).is_success
        assert held(principals) == 0
        system.app.token_for = load  # type: ignore[method-assign]
        assert client.get("/v1/me/points", headers=bearer(token)).is_success
        assert held(principals) == 1
    system.close()


def test_when_revocations_cannot_be_looked_up_every_principal_is_forgotten(
    settings: Settings,
) -> None:
    system = System(settings)
    with TestClient(create_app(settings, system)) as client:
        token = member_token(client)["token"]
        assert client.get("/v1/me/points", headers=bearer(token)).is_success
        assert held(system.principals) == 1

        def unreachable(*_: Any, **__: Any) -> Any:
            raise ConnectionError("the database is unreachable")

        system.app.recorder.select_notifications = unreachable  # type: ignore[method-assign]
        system.principals.moved(0, system.app.position(), None)
        assert held(system.principals) == 0
    system.close()

"""Organiser accounts: registered by an administrator, signing in with phone
and code as organisers, covering their scope only, and ended by removal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.system import System
from tests.api.sign_in_support import (
    MEMBER_PHONE,
    ORGANISER_PHONE,
    Inbox,
    ask_code,
    signed_in,
)
from tests.api.support import ADMIN, Running, Scene, bearer, problem, written
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/organisers": (
        "test_an_organiser_signs_in_with_phone_and_code_within_their_scope",
        "test_organiser_accounts_are_for_administrators_and_checked",
    ),
    "GET /v1/organisers": ("test_removing_an_organiser_ends_their_sessions",),
    "DELETE /v1/organisers/{organiser_id}": (
        "test_removing_an_organiser_ends_their_sessions",
        "test_an_organiser_registered_again_after_removal_signs_in_again",
    ),
}


@pytest.fixture
def inbox(system: System) -> Inbox:
    return Inbox(system)


def register(client: TestClient, scene: Scene, **extra: Any) -> dict[str, Any]:
    body = {
        "name": "张主任",
        "phone": ORGANISER_PHONE,
        "community_ids": [scene.community],
    } | extra
    return written(client.post("/v1/organisers", json=body, headers=ADMIN))


def test_an_organiser_signs_in_with_phone_and_code_within_their_scope(
    running: Running, scene: Scene, inbox: Inbox
) -> None:
    client = running.client
    organiser = register(client, scene)
    assert organiser["phone"] == "136****6000"
    assert organiser["community_ids"] == [scene.community]
    named = {"kind": "community", "id": scene.community, "name": "幸福里社区"}
    assert organiser["places"] == [named]
    session = signed_in(client, inbox, ORGANISER_PHONE, role="organizer")
    assert session["role"] == "organizer"
    assert session["organiser_id"] == organiser["id"]
    assert session["member_id"] is None
    theirs = bearer(session["access_token"])
    token = client.get("/v1/me/token", headers=theirs).json()
    assert token["role"] == "organizer"
    assert [p["id"] for p in token["places"]] == [scene.community]
    inside = client.get(f"/v1/communities/{scene.community}/members", headers=theirs)
    assert inside.status_code == 200, inside.text
    outside = f"/v1/communities/{scene.other_community}/members"
    problem(client.get(outside, headers=theirs), 403, "forbidden")
    problem(client.get("/v1/organisers", headers=theirs), 403, "forbidden")


def test_a_phone_without_an_organiser_account_does_not_sign_in_as_one(
    client: TestClient, scene: Scene, inbox: Inbox
) -> None:
    ask_code(client, MEMBER_PHONE)
    code = inbox.code_for(MEMBER_PHONE)
    body = {"phone": MEMBER_PHONE, "code": code, "as": "organizer"}
    problem(client.post("/v1/auth/sms-sign-in", json=body), 401, "invalid_code")
    # The code stands: the member signs in with it as a member.
    body["as"] = "member"
    assert client.post("/v1/auth/sms-sign-in", json=body).status_code == 200


def test_removing_an_organiser_ends_their_sessions(
    running: Running, scene: Scene, inbox: Inbox
) -> None:
    client = running.client
    organiser = register(client, scene)
    session = signed_in(client, inbox, ORGANISER_PHONE, role="organizer")
    theirs = bearer(session["access_token"])
    removed = client.delete(f"/v1/organisers/{organiser['id']}", headers=ADMIN)
    assert removed.status_code == 204, removed.text
    assert int(removed.headers["X-Event-Position"]) > 0
    problem(client.get("/v1/me/token", headers=theirs), 401, "unauthorized")
    body = {"refresh_token": session["refresh_token"]}
    problem(client.post("/v1/auth/refresh", json=body), 401, "session_ended")
    ask_code(client, ORGANISER_PHONE)
    assert inbox.delivered() == []
    listed = client.get(
        "/v1/organisers",
        params={"min_position": removed.headers["X-Event-Position"]},
        headers=ADMIN,
    ).json()["items"]
    assert [(o["id"], o["removed"]) for o in listed] == [(organiser["id"], True)]
    assert listed[0]["places"] == organiser["places"]


def test_an_organiser_registered_again_after_removal_signs_in_again(
    client: TestClient, scene: Scene, inbox: Inbox, clock: Clock
) -> None:
    organiser = register(client, scene)
    before = signed_in(client, inbox, ORGANISER_PHONE, role="organizer")
    client.delete(f"/v1/organisers/{organiser['id']}", headers=ADMIN)
    clock.now += timedelta(seconds=61)
    again = register(client, scene, community_ids=[scene.other_community])
    assert again["id"] == organiser["id"]
    session = signed_in(client, inbox, ORGANISER_PHONE, role="organizer")
    theirs = bearer(session["access_token"])
    assert client.get("/v1/me/token", headers=theirs).is_success
    # The sessions of the account before its removal stay ended.
    earlier = bearer(before["access_token"])
    problem(client.get("/v1/me/token", headers=earlier), 401, "unauthorized")
    body = {"refresh_token": before["refresh_token"]}
    problem(client.post("/v1/auth/refresh", json=body), 401, "session_ended")
    outside = f"/v1/communities/{scene.community}/members"
    problem(client.get(outside, headers=theirs), 403, "forbidden")


def test_organiser_accounts_are_for_administrators_and_checked(
    running: Running, scene: Scene
) -> None:
    client = running.client
    register(client, scene)
    before = running.position()
    body = {"name": "李四", "phone": "13500135000", "community_ids": [scene.community]}
    for role in ("organizer_in", "member_self"):
        answer = client.post("/v1/organisers", json=body, headers=scene.headers(role))
        problem(answer, 403, "forbidden")
    problem(client.post("/v1/organisers", json=body), 401, "unauthorized")
    again = client.post(
        "/v1/organisers",
        json=body | {"phone": ORGANISER_PHONE},
        headers=ADMIN,
    )
    problem(again, 409, "organiser_exists")
    for bad in (
        body | {"community_ids": []},
        body | {"community_ids": [scene.team]},
        body | {"phone": "phone"},
        body | {"name": ""},
        {"name": "李四"},
    ):
        answer = client.post("/v1/organisers", json=bad, headers=ADMIN)
        assert answer.status_code == 422, (bad, answer.text)
    missing = client.delete(f"/v1/organisers/{scene.community}", headers=ADMIN)
    problem(missing, 404, "not_found")
    assert running.position() == before

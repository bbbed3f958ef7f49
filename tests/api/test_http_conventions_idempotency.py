"""What every write shares: an Idempotency-Key replays its first answer and
records nothing more (shared/API.md, "Writes")."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import Response

from api.system import System
from tests.api.support import (
    ADMIN_TOKEN,
    Scene,
    bearer,
    error_fields,
    new_team,
    problem,
    written,
)
from tests.conftest import STORES, Clock

# Positions, idempotency and pagination lean on each store's SQL, so they run on
# every store; validation and problem documents do not, and run in memory.
every_store = pytest.mark.parametrize("database_url", STORES, indirect=True)

ADMIN = bearer(ADMIN_TOKEN)


# Idempotency-Key.


def post_with_key(
    scene: Scene, url: str, body: Any, key: str, role: str = "admin"
) -> Response:
    headers = scene.headers(role) | {"Idempotency-Key": key}
    return scene.client.post(url, json=body, headers=headers)


@every_store
def test_a_replayed_write_answers_as_the_first_time_and_records_nothing(
    scene: Scene, system: System
) -> None:
    first = post_with_key(scene, "/v1/teams", new_team(scene), "team-1")
    body = written(first)
    assert "Idempotent-Replayed" not in first.headers
    at = system.app.position()
    again = post_with_key(scene, "/v1/teams", new_team(scene), "team-1")
    assert written(again) == body
    assert again.headers["Idempotent-Replayed"] == "true"
    assert system.app.position() == at
    scene.position = body["position"]
    teams = scene.read("/v1/teams", community_id=scene.community).json()["items"]
    assert len(teams) == 2


@every_store
def test_a_replay_keeps_the_first_status_even_when_a_new_request_would_differ(
    scene: Scene,
) -> None:
    url = f"/v1/activities/{scene.upcoming}/signups"
    body = {"member_id": scene.member}
    first = post_with_key(scene, url, body, "signup", role="member_self")
    written(first, 201)
    assert written(scene.client.post(url, json=body, headers=ADMIN), 200)
    again = post_with_key(scene, url, body, "signup", role="member_self")
    assert written(again, 201) == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"


@every_store
def test_the_same_key_with_another_body_is_idempotency_key_reused(
    scene: Scene, system: System
) -> None:
    written(post_with_key(scene, "/v1/teams", new_team(scene), "team-1"))
    at = system.app.position()
    other = post_with_key(scene, "/v1/teams", new_team(scene, "别的队"), "team-1")
    problem(other, 422, "idempotency_key_reused")
    assert system.app.position() == at


def test_the_same_key_on_another_endpoint_is_idempotency_key_reused(
    scene: Scene,
) -> None:
    written(post_with_key(scene, "/v1/teams", new_team(scene), "k"))
    response = post_with_key(scene, "/v1/units", {"name": "区卫健委"}, "k")
    problem(response, 422, "idempotency_key_reused")


@every_store
def test_a_failed_write_is_not_kept_and_runs_again_with_the_same_key(
    scene: Scene, clock: Clock
) -> None:
    url = f"/v1/activities/{scene.upcoming}/attendance"
    body = {"records": [{"member_id": scene.member, "hours": "2"}]}
    problem(post_with_key(scene, url, body, "attendance"), 409, "activity_not_started")
    clock.advance(days=4, hours=1)
    retried = post_with_key(scene, url, body, "attendance")
    assert written(retried, 200)["recorded"] == 1
    assert "Idempotent-Replayed" not in retried.headers
    replayed = post_with_key(scene, url, body, "attendance")
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json() == retried.json()


@every_store
def test_keys_belong_to_the_token_that_sent_them(scene: Scene) -> None:
    mine = written(post_with_key(scene, "/v1/teams", new_team(scene), "same"))
    theirs = post_with_key(
        scene, "/v1/teams", new_team(scene), "same", role="organizer_in"
    )
    assert "Idempotent-Replayed" not in theirs.headers
    assert written(theirs)["id"] != mine["id"]


@every_store
def test_a_replayed_token_creation_does_not_show_the_secret_again(
    scene: Scene,
) -> None:
    body = {"role": "member", "member_id": scene.other_member}
    first = written(post_with_key(scene, "/v1/tokens", body, "token"))
    assert first["token"]
    again = written(post_with_key(scene, "/v1/tokens", body, "token"))
    assert again == first | {"token": None}


@every_store
def test_a_delete_may_be_replayed_with_its_key(scene: Scene) -> None:
    url = f"/v1/activities/{scene.signed_up}/signups/{scene.member}"
    headers = scene.headers("member_self") | {"Idempotency-Key": "withdraw"}
    first = written(scene.client.delete(url, headers=headers), 200)
    again = scene.client.delete(url, headers=headers)
    assert written(again, 200) == first
    assert again.headers["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize(("length", "status"), [(0, 422), (255, 201), (256, 422)])
def test_idempotency_keys_may_be_up_to_255_characters(
    scene: Scene, length: int, status: int
) -> None:
    response = post_with_key(scene, "/v1/teams", new_team(scene), "k" * length)
    assert response.status_code == status, response.text
    if status == 422:
        body = problem(response, 422, "validation_error")
        assert error_fields(body) == {"Idempotency-Key"}

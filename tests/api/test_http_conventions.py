"""What every endpoint shares: positions, read-your-writes, Idempotency-Key,
pagination and problem documents (shared/API.md, "Writes", "Reads", "Errors")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.system import System
from tests.api.support import (
    ADMIN_TOKEN,
    YEAR,
    Scene,
    bearer,
    error_fields,
    problem,
    running_api,
    written,
)
from tests.conftest import STORES, Clock

# Positions, idempotency and pagination lean on each store's SQL, so they run on
# every store; validation and problem documents do not, and run in memory.
every_store = pytest.mark.parametrize("database_url", STORES, indirect=True)

ADMIN = bearer(ADMIN_TOKEN)


def new_team(scene: Scene, name: str = "银发志愿服务队") -> dict[str, Any]:
    return {"name": name, "community_id": scene.community}


# Positions and read-your-writes.


def operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    document = client.get("/openapi.json").json()
    return [
        (method.upper(), path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def parameter_names(operation: dict[str, Any], where: str) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == where}


def test_every_read_accepts_min_position(client: TestClient) -> None:
    reads = [
        path
        for method, path, operation in operations(client)
        if method == "GET"
        and path != "/healthz"
        and "min_position" not in parameter_names(operation, "query")
    ]
    assert not reads


def test_every_write_accepts_an_idempotency_key(client: TestClient) -> None:
    writes = [
        f"{method} {path}"
        for method, path, operation in operations(client)
        if method != "GET"
        and "Idempotency-Key" not in parameter_names(operation, "header")
    ]
    assert not writes


@every_store
def test_a_read_with_min_position_reflects_the_write_that_returned_it(
    scene: Scene,
) -> None:
    for count in range(2, 12):
        answer = written(
            scene.client.post(
                "/v1/teams", json=new_team(scene, f"第{count}服务队"), headers=ADMIN
            )
        )
        figures = scene.client.get(
            f"/v1/communities/{scene.community}/stats",
            params={"min_position": answer["position"], **YEAR},
            headers=ADMIN,
        )
        assert figures.json()["teams"] == count


@every_store
def test_a_write_returns_the_position_it_produced_in_the_event_log(
    scene: Scene, system: System
) -> None:
    answer = written(
        scene.client.post("/v1/teams", json=new_team(scene), headers=ADMIN)
    )
    assert answer["position"] == system.app.position()


@pytest.mark.parametrize(
    "url", ["/v1/stats", "/v1/teams", "/v1/members/{member}/points"]
)
def test_min_position_beyond_the_event_log_is_unknown_position(
    scene: Scene, url: str
) -> None:
    response = scene.client.get(
        url.format(member=scene.member),
        params={"min_position": scene.position + 1000},
        headers=ADMIN,
    )
    assert error_fields(problem(response, 422, "unknown_position")) == {"min_position"}


def test_min_position_at_the_end_of_the_event_log_is_answered(scene: Scene) -> None:
    assert scene.read("/v1/stats", **YEAR).status_code == 200


@every_store
def test_a_read_whose_read_models_lag_answers_503_with_retry_after(
    database_url: str, clock: Clock
) -> None:
    with running_api(
        database_url, clock, run_projector=False, read_wait_seconds=0.2
    ) as api:
        answer = written(
            api.client.post("/v1/communities", json={"name": "幸福里"}, headers=ADMIN)
        )
        response = api.client.get(
            "/v1/stats", params={"min_position": answer["position"]}, headers=ADMIN
        )
        problem(response, 503, "not_caught_up")
        assert int(response.headers["Retry-After"]) >= 1


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


# Pagination.


@every_store
def test_lists_are_paginated_50_by_default_and_follow_next_cursor(
    scene: Scene,
) -> None:
    for number in range(51):
        scene.write("POST", "/v1/teams", new_team(scene, f"第{number}服务队"))
    first = scene.read("/v1/teams").json()
    assert len(first["items"]) == 50
    assert first["next_cursor"]
    rest = scene.read("/v1/teams", cursor=first["next_cursor"]).json()
    assert len(rest["items"]) == 2
    assert rest["next_cursor"] is None
    ids = [team["id"] for team in first["items"] + rest["items"]]
    assert len(set(ids)) == 52
    assert len(scene.read("/v1/teams", limit=500).json()["items"]) == 52


@every_store
def test_a_cursor_walk_visits_every_activity_once_in_start_order(
    scene: Scene,
) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = scene.read("/v1/activities", **params).json()
        seen += [item["starts_at"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen)
    assert len(seen) == 3


LISTS = [
    "/v1/teams",
    "/v1/activities",
    "/v1/communities/{community}/members",
    "/v1/communities/{community}/leaderboard",
]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("limit", [0, 501])
def test_a_limit_outside_1_to_500_is_a_validation_error_naming_limit(
    scene: Scene, url: str, limit: int
) -> None:
    response = scene.read(url.format(community=scene.community), limit=limit)
    assert error_fields(problem(response, 422, "validation_error")) == {"limit"}


@pytest.mark.parametrize("url", LISTS[:3])
def test_a_cursor_not_made_by_the_server_is_a_validation_error(
    scene: Scene, url: str
) -> None:
    response = scene.read(url.format(community=scene.community), cursor="bm90IG1pbmU")
    assert error_fields(problem(response, 422, "validation_error")) == {"cursor"}


# Problem documents.

Call = Callable[[Scene], Response]

REFUSALS: list[tuple[str, Call, int, str]] = [
    ("no token", lambda s: s.client.get("/v1/stats"), 401, "unauthorized"),
    (
        "a token of another scheme",
        lambda s: s.client.get("/v1/stats", headers={"Authorization": "Basic eA=="}),
        401,
        "unauthorized",
    ),
    (
        "a token that was never issued",
        lambda s: s.client.get("/v1/stats", headers=bearer("vp_unknown")),
        401,
        "unauthorized",
    ),
    (
        "a write outside the token's scope",
        lambda s: s.client.post(
            "/v1/teams", json=new_team(s), headers=s.headers("organizer_out")
        ),
        403,
        "forbidden",
    ),
    (
        "an unknown id in the path",
        lambda s: s.client.get(f"/v1/members/{uuid4()}", headers=ADMIN),
        404,
        "not_found",
    ),
    (
        "a path that is no endpoint",
        lambda s: s.client.get("/v1/nothing", headers=ADMIN),
        404,
        "not_found",
    ),
    (
        "a method the path does not take",
        lambda s: s.client.put("/v1/teams", headers=ADMIN),
        405,
        "method_not_allowed",
    ),
    (
        "a conflict with the activity's state",
        lambda s: s.client.post(f"/v1/activities/{s.upcoming}/close", headers=ADMIN),
        409,
        "activity_not_started",
    ),
    (
        "a body that is not JSON",
        lambda s: s.client.post(
            "/v1/teams",
            content=b"{name:",
            headers=ADMIN | {"Content-Type": "application/json"},
        ),
        422,
        "validation_error",
    ),
    (
        "a body that is not UTF-8",
        lambda s: s.client.post(
            "/v1/units",
            content=b"\xd8\x9a\x06\xff",
            headers=ADMIN | {"Content-Type": "application/json"},
        ),
        422,
        "validation_error",
    ),
    (
        "a field the endpoint does not know",
        lambda s: s.client.post(
            "/v1/units", json={"name": "区卫健委", "colour": "红"}, headers=ADMIN
        ),
        422,
        "validation_error",
    ),
    (
        "a path id that is not a UUID",
        lambda s: s.client.get("/v1/activities/42", headers=ADMIN),
        422,
        "validation_error",
    ),
    (
        "a body over one mebibyte",
        lambda s: s.client.post(
            "/v1/units", json={"name": "x" * (1024 * 1024 + 1)}, headers=ADMIN
        ),
        413,
        "payload_too_large",
    ),
]


@pytest.mark.parametrize(
    ("call", "status", "code"),
    [
        pytest.param(call, status, code, id=name)
        for name, call, status, code in REFUSALS
    ],
)
def test_every_refusal_is_a_problem_document_and_changes_nothing(
    scene: Scene, system: System, call: Call, status: int, code: str
) -> None:
    at = system.app.position()
    response = call(scene)
    problem(response, status, code)
    assert system.app.position() == at
    if status == 401:
        assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("PUT", "/v1/teams", "GET, POST"),
        ("PATCH", "/v1/activities", "GET, POST"),
        ("PUT", "/v1/stats", "GET"),
    ],
)
def test_a_method_not_allowed_names_every_method_the_path_takes(
    client: TestClient, method: str, url: str, allowed: str
) -> None:
    response = client.request(method, url, headers=ADMIN)
    problem(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == allowed


def test_a_validation_error_lists_every_offending_field(client: TestClient) -> None:
    response = client.post(
        "/v1/members",
        json={"name": "", "community_id": "not-a-uuid", "party_member": "是"},
        headers=ADMIN,
    )
    body = problem(response, 422, "validation_error")
    assert error_fields(body) == {"name", "community_id", "party_member"}
    assert all(error["message"] for error in body["errors"])

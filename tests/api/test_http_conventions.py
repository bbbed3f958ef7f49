"""What every endpoint shares: positions, read-your-writes and pagination
(shared/API.md, "Reads"). Idempotency keys and problem documents are in the
``test_http_conventions_*`` modules."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.system import System
from tests.api.support import (
    ADMIN_TOKEN,
    YEAR,
    Scene,
    bearer,
    error_fields,
    new_team,
    problem,
    running_api,
    written,
)
from tests.conftest import STORES, Clock

# Positions, idempotency and pagination lean on each store's SQL, so they run on
# every store; validation and problem documents do not, and run in memory.
every_store = pytest.mark.parametrize("database_url", STORES, indirect=True)

ADMIN = bearer(ADMIN_TOKEN)


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


# Signing in is answered with a session, whose tokens are never stored, so
# there is no answer to give a retry again: a client that lost the answer
# asks for a new code. Ending a session twice ends it once. A scan at the
# door sent again within a minute is answered as the first was.
NOT_REPLAYED = ("/v1/auth/", "/v1/activities/{activity_id}/checkins")


def test_every_write_accepts_an_idempotency_key(client: TestClient) -> None:
    writes = [
        f"{method} {path}"
        for method, path, operation in operations(client)
        if method != "GET"
        and not path.startswith(NOT_REPLAYED[0])
        and path != NOT_REPLAYED[1]
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


@every_store
@pytest.mark.parametrize("url", LISTS[:3])
def test_a_cursor_holding_text_no_database_holds_is_a_validation_error(
    scene: Scene, url: str
) -> None:
    for size in (1, 2, 3):
        key = json.dumps(["2026-01-01\x00"] * size).encode()
        cursor = base64.urlsafe_b64encode(key).decode().rstrip("=")
        response = scene.read(url.format(community=scene.community), cursor=cursor)
        assert error_fields(problem(response, 422, "validation_error")) == {"cursor"}

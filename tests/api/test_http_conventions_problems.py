"""What every refusal shares: a problem document (RFC 9457) that names its
code, and no change to the event log (shared/API.md, "Errors")."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.system import System
from tests.api.support import (
    ADMIN_TOKEN,
    Scene,
    bearer,
    error_fields,
    new_team,
    problem,
)

ADMIN = bearer(ADMIN_TOKEN)


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

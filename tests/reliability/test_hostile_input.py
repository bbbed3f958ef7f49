"""Hostile input gets a clear 4xx problem and records nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from api.system import System

ADMIN = "hostile-admin-token"
AUTH = {"Authorization": f"Bearer {ADMIN}"}


class Api:
    def __init__(self, client: TestClient, system: System) -> None:
        self.client = client
        self.system = system
        self.community = self.ok("/v1/communities", {"name": "防护社区"})["id"]
        team = self.ok("/v1/teams", {"name": "防护队", "community_id": self.community})
        self.member = self.ok(
            "/v1/members",
            {"name": "张三", "community_id": self.community, "party_member": True},
        )["id"]
        start = datetime.now(UTC) - timedelta(hours=1)
        self.activity = self.ok(
            "/v1/activities",
            {
                "title": "防护演练",
                "team_id": team["id"],
                "category": "治安巡逻",
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=2)).isoformat(),
            },
        )["id"]

    def ok(self, path: str, body: dict[str, object]) -> dict[str, str]:
        response = self.client.post(path, json=body, headers=AUTH)
        assert response.status_code == 201, response.text
        answer: dict[str, str] = response.json()
        return answer


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'hostile.db'}", admin_token=ADMIN
    )
    system = System(settings)
    with TestClient(create_app(settings, system)) as client:
        yield Api(client, system)
    system.close()


def refused(
    api: Api, status: int, method: str, path: str, **kwargs: object
) -> dict[str, object]:
    before = api.system.app.position()
    headers = AUTH | dict(kwargs.pop("headers", {}))  # type: ignore[call-overload]
    response = api.client.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, object] = response.json()
    assert {"type", "title", "status", "detail", "code"} <= problem.keys()
    assert api.system.app.position() == before
    return problem


def test_a_body_over_one_mebibyte_is_refused_with_413(api: Api) -> None:
    body = b'{"name": "' + b"x" * (1024 * 1024) + b'"}'
    problem = refused(
        api,
        413,
        "POST",
        "/v1/communities",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert problem["code"] == "payload_too_large"


def test_a_body_over_one_mebibyte_without_a_length_is_refused_with_413(
    api: Api,
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(17):
            yield b"x" * 65536
        yield b'"}'

    refused(
        api,
        413,
        "POST",
        "/v1/communities",
        content=chunks(),
        headers={"content-type": "application/json"},
    )


def test_501_attendance_records_are_refused(api: Api) -> None:
    records = [{"member_id": api.member, "hours": "1"}] * 501
    problem = refused(
        api,
        422,
        "POST",
        f"/v1/activities/{api.activity}/attendance",
        json={"records": records},
    )
    assert problem["code"] == "validation_error"


def test_unknown_fields_are_refused(api: Api) -> None:
    problem = refused(
        api, 422, "POST", "/v1/communities", json={"name": "社区", "admin": True}
    )
    assert problem["errors"] == [  # type: ignore[comparison-overlap]
        {"field": "admin", "message": "Extra inputs are not permitted"}
    ]


@pytest.mark.parametrize("bad", ["not-a-uuid", "1234", "'; DROP TABLE x; --"])
def test_invalid_uuids_are_refused(api: Api, bad: str) -> None:
    refused(
        api,
        422,
        "POST",
        f"/v1/activities/{api.activity}/attendance",
        json={"records": [{"member_id": bad, "hours": "1"}]},
    )
    refused(api, 422, "GET", f"/v1/members/{bad}/points")


@pytest.mark.parametrize("hours", ["NaN", "Infinity", "-Infinity", "1e999", "sNaN"])
def test_nan_and_infinite_decimals_are_refused(api: Api, hours: str) -> None:
    refused(
        api,
        422,
        "POST",
        f"/v1/activities/{api.activity}/attendance",
        json={"records": [{"member_id": api.member, "hours": hours}]},
    )


def test_invalid_utf8_is_refused(api: Api) -> None:
    refused(
        api,
        422,
        "POST",
        "/v1/communities",
        content=b'{"name": "\xff\xfe"}',
        headers={"content-type": "application/json"},
    )


def test_a_10_kb_name_is_refused(api: Api) -> None:
    refused(
        api,
        422,
        "POST",
        "/v1/members",
        json={
            "name": "名" * 10_000,
            "community_id": api.community,
            "party_member": True,
        },
    )


@pytest.mark.parametrize("name", ["张\x00三", "张\x1b[31m三", "张\u007f三"])
def test_control_characters_are_refused(api: Api, name: str) -> None:
    problem = refused(
        api,
        422,
        "POST",
        "/v1/members",
        json={"name": name, "community_id": api.community, "party_member": True},
    )
    assert problem["code"] == "validation_error"


def test_malformed_json_is_refused(api: Api) -> None:
    refused(
        api,
        422,
        "POST",
        "/v1/communities",
        content=b'{"name": ',
        headers={"content-type": "application/json"},
    )

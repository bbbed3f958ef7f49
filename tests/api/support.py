"""The HTTP API run in-process, and a small district to call it with."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.auth import BOOTSTRAP_ADMIN
from api.main import create_app
from api.settings import Settings
from api.system import System

ADMIN_TOKEN = "vp_test_bootstrap_admin"
YEAR = {"year": 2026}
ROLES = (
    "admin",
    "organizer_in",
    "organizer_out",
    "member_self",
    "member_other",
    "anonymous",
)
PROBLEM_FIELDS = {"type", "title", "status", "detail", "code"}


NOT_ENDPOINTS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def documented_operations(client: TestClient) -> set[str]:
    """Every "METHOD /path" of the application's OpenAPI document."""
    document: dict[str, Any] = client.get("/openapi.json").json()
    return {
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        if path not in NOT_ENDPOINTS
        for method in operations
    }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# PostgreSQL runs the HTTP conventions (positions, idempotency, pagination) and
# the journeys; every v1 endpoint on it as well would add a minute to the suite.
MEMORY_AND_SQLITE = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)
ADMIN = bearer(ADMIN_TOKEN)
NOWHERE = str(uuid4())


@dataclass
class Running:
    """One API process: the system behind it and a client talking to it."""

    system: System
    client: TestClient

    def position(self) -> int:
        return self.system.app.position()


@contextmanager
def running_api(
    database_url: str,
    clock: Callable[[], datetime],
    *,
    run_projector: bool = True,
    **settings: Any,
) -> Iterator[Running]:
    """Starts the API (with its in-process projector) and stops it afterwards."""
    config = Settings(database_url=database_url, admin_token=ADMIN_TOKEN, **settings)
    system = System(config, clock=clock, run_projector=run_projector)
    try:
        with TestClient(create_app(config, system)) as client:
            yield Running(system, client)
    finally:
        system.close()


def written(response: Response, status: int = 201) -> dict[str, Any]:
    """The body of a successful write, after checking its status and position."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert isinstance(body["position"], int)
    assert body["position"] > 0
    assert response.headers["X-Event-Position"] == str(body["position"])
    return body


def problem(response: Response, status: int, code: str) -> dict[str, Any]:
    """The problem document of a refusal, after checking its shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body.keys() >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["code"] == code, body
    assert body["type"].endswith(code)
    assert body["title"]
    assert body["detail"]
    return body


def error_fields(body: dict[str, Any]) -> set[str]:
    return {e["field"] for e in body.get("errors", [])}


def activity_body(team_id: str, day: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": "垃圾分类宣传",
        "team_id": team_id,
        "category": "环境保护",
        "starts_at": f"{day}T09:00:00+08:00",
        "ends_at": f"{day}T11:30:00+08:00",
        "location": "社区党群服务中心",
    } | extra


@dataclass
class Scene:
    """Two communities, two members of the first, a team, three activities and
    a token for each role. The clock stands at 2026-03-01 09:00 in Shanghai."""

    client: TestClient
    community: str = ""
    other_community: str = ""
    unit: str = ""
    member: str = ""
    other_member: str = ""
    team: str = ""
    upcoming: str = ""
    signed_up: str = ""
    started: str = ""
    spare_token: str = ""
    position: int = 0
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        return {} if role == "anonymous" else bearer(self.tokens[role])

    def write(
        self, method: str, url: str, body: Any = None, role: str = "admin"
    ) -> dict[str, Any]:
        response = self.client.request(
            method, url, json=body, headers=self.headers(role)
        )
        assert response.is_success, response.text
        answer = written(response, response.status_code)
        self.position = answer["position"]
        return answer

    def read(self, url: str, role: str = "admin", **params: Any) -> Response:
        """A read that reflects every write the scene made so far."""
        return self.client.get(
            url,
            params={"min_position": self.position, **params},
            headers=self.headers(role),
        )


def build_scene(running: Running) -> Scene:
    """Sets the scene through the application itself: quicker than HTTP, and
    independent of the endpoints under test."""
    app = running.system.app
    actor = BOOTSTRAP_ADMIN
    community = app.register_community("幸福里社区", "东风街道", actor).id
    other_community = app.register_community("光明社区", None, actor).id
    unit = app.register_unit("区教育局机关党委", actor).id
    member = app.register_member(
        "王芳",
        community,
        party_member=True,
        actor=actor,
        unit_id=unit,
        grid="第三网格",
        phone="13800138000",
    ).id
    other_member = app.register_member(
        "李娜", community, party_member=False, actor=actor, phone="13900139000"
    ).id
    team = app.found_team("红马甲志愿服务队", community, actor).id
    app.join_team(team, member, actor)

    def schedule(day: str, title: str) -> UUID:
        body = activity_body(str(team), day, title=title)
        return app.schedule_activity(
            title=title,
            team_id=team,
            category=body["category"],
            starts_at=datetime.fromisoformat(body["starts_at"]),
            ends_at=datetime.fromisoformat(body["ends_at"]),
            actor=actor,
            location=body["location"],
        ).id

    upcoming = schedule("2026-03-05", "垃圾分类宣传")
    signed_up = schedule("2026-03-06", "义诊进社区")
    app.sign_up(signed_up, member, actor)
    started = schedule("2026-03-01", "政策宣讲")
    app.record_attendance(started, [(member, Decimal(2))], actor)
    scopes: dict[str, dict[str, Any]] = {
        "organizer_in": {"role": "organizer", "community_ids": [community]},
        "organizer_out": {"role": "organizer", "community_ids": [other_community]},
        "member_self": {"role": "member", "member_id": member},
        "member_other": {"role": "member", "member_id": other_member},
    }
    tokens = {"admin": ADMIN_TOKEN}
    for role, scope in scopes.items():
        tokens[role] = f"vp_test_{role}"
        app.issue_token(tokens[role], actor=actor, **scope)
    spare = app.issue_token("vp_test_spare", "member", actor, member_id=other_member)
    return Scene(
        running.client,
        community=str(community),
        other_community=str(other_community),
        unit=str(unit),
        member=str(member),
        other_member=str(other_member),
        team=str(team),
        upcoming=str(upcoming),
        signed_up=str(signed_up),
        started=str(started),
        spare_token=str(spare.id),
        position=app.position(),
        tokens=tokens,
    )


def correct(scene: Scene, hours: str, role: str = "admin") -> dict[str, Any]:
    body = {
        "records": [{"member_id": scene.member, "hours": hours}],
        "reason": "登记错误",
    }
    return scene.write("POST", f"/v1/activities/{scene.started}/attendance", body, role)


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def new_team(scene: Scene, name: str = "银发志愿服务队") -> dict[str, Any]:
    return {"name": name, "community_id": scene.community}

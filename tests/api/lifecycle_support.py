"""What the lifecycle tests share: a refusal that recorded nothing, a grid,
a community's figures and a member's record as the API answers them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from tests.api.support import Scene, problem


def refused(
    scene: Scene,
    system: System,
    method: str,
    url: str,
    body: Any,
    status: int,
    code: str,
    role: str = "admin",
    **params: Any,
) -> dict[str, Any]:
    """The problem a request is refused with, after checking it recorded
    nothing."""
    before = system.app.position()
    response = scene.client.request(
        method, url, json=body, params=params, headers=scene.headers(role)
    )
    answer = problem(response, status, code)
    assert system.app.position() == before
    return answer


def a_grid(system: System, community: str, name: str = "第三网格") -> str:
    grid = system.app.register_grid(name, UUID(community), True, BOOTSTRAP_ADMIN)
    return str(grid.id)


def figures(scene: Scene, community: str, as_of: str) -> dict[str, Any]:
    response = scene.read(f"/v1/communities/{community}/stats", as_of=as_of)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def member_record(scene: Scene, member: str) -> dict[str, Any]:
    response = scene.read(f"/v1/members/{member}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body

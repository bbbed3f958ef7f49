"""What the hours-claim tests share: a claim made and read over HTTP, a
member's statement, a community's claims, a refusal that recorded nothing."""

from __future__ import annotations

from typing import Any

from tests.api.support import YEAR, Running, Scene, activity_body, problem


def claim_url(member: str) -> str:
    return f"/v1/members/{member}/hours-claims"


def claim(
    scene: Scene,
    activity: str,
    hours: str = "2",
    member: str | None = None,
    role: str = "member_other",
    **extra: Any,
) -> dict[str, Any]:
    """A claim of the other member (who has not attended) unless told otherwise."""
    body = {"activity_id": activity, "hours": hours} | extra
    return scene.write("POST", claim_url(member or scene.other_member), body, role)


def token_id(running: Running, secret: str) -> str:
    token = running.system.app.token_for(secret)
    assert token is not None
    return str(token.id)


def statement(scene: Scene, member: str) -> dict[str, Any]:
    answer: dict[str, Any] = scene.read(
        f"/v1/members/{member}/statement", **YEAR
    ).json()
    return answer


def claims(scene: Scene, role: str = "admin", **params: Any) -> dict[str, Any]:
    response = scene.read(
        f"/v1/communities/{scene.community}/hours-claims", role, **params
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def refused(
    scene: Scene,
    url: str,
    body: Any,
    status: int,
    code: str,
    role: str = "admin",
) -> dict[str, Any]:
    """A refused write, after checking that it recorded nothing."""
    before = scene.client.app.state.system.app.position()
    response = scene.client.post(url, json=body, headers=scene.headers(role))
    answer = problem(response, status, code)
    assert scene.client.app.state.system.app.position() == before
    return answer


def schedule(scene: Scene, day: str, title: str) -> str:
    body = activity_body(scene.team, day, title=title)
    return str(scene.write("POST", "/v1/activities", body)["id"])

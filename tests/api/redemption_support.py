"""What the redemption tests share: points earned on a day, a reward offered,
a redemption made, an account and a community's rewards read, and a refusal
that recorded nothing, over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from api.auth import BOOTSTRAP_ADMIN
from tests.api.support import Scene, activity_body, problem
from tests.conftest import Clock


def app_of(scene: Scene) -> Any:
    return scene.client.app.state.system.app


def earn(scene: Scene, clock: Clock, day: str, hours: int, member: str = "") -> str:
    """An activity on ``day`` (clock moved there and back) at which the member
    (王芳 unless told) earns 10 points an hour."""
    app, actor = app_of(scene), BOOTSTRAP_ADMIN
    now = clock.now
    body = activity_body(
        scene.team, day, title=f"{day} 宣讲", ends_at=f"{day}T14:00:00+08:00"
    )
    activity = app.schedule_activity(
        title=body["title"],
        team_id=UUID(scene.team),
        category=body["category"],
        starts_at=datetime.fromisoformat(body["starts_at"]),
        ends_at=datetime.fromisoformat(body["ends_at"]),
        actor=actor,
    ).id
    clock.now = datetime.fromisoformat(body["ends_at"]).astimezone(UTC)
    member_id = UUID(member or scene.member)
    app.record_attendance(activity, [(member_id, Decimal(hours))], actor)
    clock.now = max(now, clock.now)
    scene.position = app.position()
    return str(activity)


def offer(
    scene: Scene, points: str = "30", stock: int = 10, role: str = "admin"
) -> str:
    body = {"name": "洗衣液一瓶", "points": points, "stock": stock}
    url = f"/v1/communities/{scene.community}/rewards"
    return str(scene.write("POST", url, body, role)["id"])


def redeem(
    scene: Scene, reward: str, quantity: int = 1, role: str = "admin", member: str = ""
) -> dict[str, Any]:
    url = f"/v1/members/{member or scene.member}/redemptions"
    return scene.write("POST", url, {"reward_id": reward, "quantity": quantity}, role)


def account(scene: Scene, member: str = "") -> dict[str, Any]:
    response = scene.read(f"/v1/members/{member or scene.member}/account")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def refused(
    scene: Scene, url: str, body: Any, status: int, code: str, role: str = "admin"
) -> dict[str, Any]:
    app = app_of(scene)
    before = app.position()
    response = scene.client.post(url, json=body, headers=scene.headers(role))
    answer = problem(response, status, code)
    assert app.position() == before
    return answer


def rewards(scene: Scene, role: str = "admin") -> list[dict[str, Any]]:
    response = scene.read(f"/v1/communities/{scene.community}/rewards", role)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items

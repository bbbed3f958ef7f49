"""The "who may" table of shared/API.md as rows, one an endpoint: who may call
it, and the request each calls it with in the placed scene. The rows of the
additions are in ``authorization_additions``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.api.support import ROLES, Scene, activity_body


@dataclass(frozen=True)
class Upload:
    """A multipart body: one file sent as the form field ``file``."""

    name: str
    content: bytes


Request = tuple[str, str, dict[str, Any] | Upload | None]

ADMIN = frozenset({"admin"})
IN_SCOPE = ADMIN | {"organizer_in"}
ITSELF = IN_SCOPE | {"member_self"}
MEMBERS = frozenset({"member_self", "member_other"})
ANY_TOKEN = frozenset(ROLES) - {"anonymous"}
ANYONE = frozenset(ROLES)
EITHER_COMMUNITY = IN_SCOPE | {"organizer_out"}


@dataclass
class PlacedScene(Scene):
    """The scene, and a district with a street, a grid in the scene's community,
    the member and the unit double-reported to the other community, a
    published report of the scene's community, a certificate of the member
    and the other member's pending hours claim for the started activity."""

    district: str = ""
    street: str = ""
    grid: str = ""
    published: str = ""
    certificate: str = ""
    claim: str = ""
    reward: str = ""
    redemption: str = ""
    organiser: str = ""
    rule_set: str = ""


@dataclass(frozen=True)
class Row:
    """Who may make a request. Those not ``allowed`` are refused as
    ``refused`` says, by role, else with 401 (anonymous) or 403."""

    allowed: frozenset[str]
    request: Callable[[PlacedScene], Request]
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)


def report(scene: Scene) -> dict[str, Any]:
    return {"community_id": scene.community, "reported_on": "2026-03-01"}


def attendance(scene: Scene) -> dict[str, Any]:
    return {"records": [{"member_id": scene.other_member, "hours": "1"}]}


def roster(scene: Scene) -> Upload:
    return Upload("roster.csv", "姓名,手机号\n新人,13900000001\n".encode())


def sign_in_sheet(scene: Scene) -> Upload:
    text = f"志愿者编号,时长\n{scene.other_member},1\n"
    return Upload("sign-in.csv", text.encode())


V1_ROWS: dict[str, Row] = {
    "POST /v1/communities": Row(
        ADMIN, lambda s: ("POST", "/v1/communities", {"name": "新华社区"})
    ),
    "GET /v1/communities/{community_id}/stats": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/communities/{s.community}/stats", None)
    ),
    "GET /v1/communities/{community_id}/members": Row(
        IN_SCOPE, lambda s: ("GET", f"/v1/communities/{s.community}/members", None)
    ),
    "GET /v1/communities/{community_id}/leaderboard": Row(
        IN_SCOPE,
        lambda s: ("GET", f"/v1/communities/{s.community}/leaderboard", None),
    ),
    "GET /v1/communities/{community_id}/double-reports": Row(
        IN_SCOPE,
        lambda s: ("GET", f"/v1/communities/{s.community}/double-reports", None),
    ),
    "POST /v1/units": Row(ADMIN, lambda s: ("POST", "/v1/units", {"name": "区卫健委"})),
    "POST /v1/units/{unit_id}/double-report": Row(
        ADMIN, lambda s: ("POST", f"/v1/units/{s.unit}/double-report", report(s))
    ),
    "GET /v1/units/{unit_id}/double-reports": Row(
        ADMIN, lambda s: ("GET", f"/v1/units/{s.unit}/double-reports", None)
    ),
    "POST /v1/members": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            "/v1/members",
            {"name": "张伟", "community_id": s.community, "party_member": True},
        ),
    ),
    "POST /v1/members/{member_id}/double-report": Row(
        IN_SCOPE,
        lambda s: ("POST", f"/v1/members/{s.member}/double-report", report(s)),
    ),
    "GET /v1/members/{member_id}": Row(
        ITSELF, lambda s: ("GET", f"/v1/members/{s.member}", None)
    ),
    "GET /v1/members/{member_id}/points": Row(
        ITSELF, lambda s: ("GET", f"/v1/members/{s.member}/points", None)
    ),
    "GET /v1/members/{member_id}/statement": Row(
        ITSELF, lambda s: ("GET", f"/v1/members/{s.member}/statement", None)
    ),
    "POST /v1/teams": Row(
        IN_SCOPE,
        lambda s: ("POST", "/v1/teams", {"name": "新队", "community_id": s.community}),
    ),
    "GET /v1/teams": Row(ANY_TOKEN, lambda s: ("GET", "/v1/teams", None)),
    "POST /v1/teams/{team_id}/members": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/teams/{s.team}/members",
            {"member_id": s.other_member},
        ),
    ),
    "DELETE /v1/teams/{team_id}/members/{member_id}": Row(
        IN_SCOPE, lambda s: ("DELETE", f"/v1/teams/{s.team}/members/{s.member}", None)
    ),
    "POST /v1/teams/{team_id}/dissolve": Row(
        IN_SCOPE,
        lambda s: ("POST", f"/v1/teams/{s.team}/dissolve", {"reason": "队伍合并"}),
    ),
    "GET /v1/teams/{team_id}": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/teams/{s.team}", None)
    ),
    "POST /v1/activities": Row(
        IN_SCOPE,
        lambda s: ("POST", "/v1/activities", activity_body(s.team, "2026-03-07")),
    ),
    "GET /v1/activities": Row(ANY_TOKEN, lambda s: ("GET", "/v1/activities", None)),
    "POST /v1/activities/{activity_id}/signups": Row(
        ITSELF,
        lambda s: (
            "POST",
            f"/v1/activities/{s.upcoming}/signups",
            {"member_id": s.member},
        ),
    ),
    "DELETE /v1/activities/{activity_id}/signups/{member_id}": Row(
        ITSELF,
        lambda s: ("DELETE", f"/v1/activities/{s.signed_up}/signups/{s.member}", None),
    ),
    "POST /v1/activities/{activity_id}/attendance": Row(
        IN_SCOPE,
        lambda s: ("POST", f"/v1/activities/{s.started}/attendance", attendance(s)),
    ),
    "POST /v1/activities/{activity_id}/attendance/{member_id}/revoke": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/activities/{s.started}/attendance/{s.member}/revoke",
            {"reason": "登记错误"},
        ),
    ),
    "POST /v1/activities/{activity_id}/cancel": Row(
        IN_SCOPE,
        lambda s: ("POST", f"/v1/activities/{s.upcoming}/cancel", {"reason": "暴雨"}),
    ),
    "POST /v1/activities/{activity_id}/close": Row(
        IN_SCOPE, lambda s: ("POST", f"/v1/activities/{s.started}/close", None)
    ),
    "GET /v1/activities/{activity_id}": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/activities/{s.upcoming}", None)
    ),
    "POST /v1/tokens": Row(
        ADMIN,
        lambda s: ("POST", "/v1/tokens", {"role": "member", "member_id": s.member}),
    ),
    "DELETE /v1/tokens/{token_id}": Row(
        ADMIN, lambda s: ("DELETE", f"/v1/tokens/{s.spare_token}", None)
    ),
    "GET /v1/me/points": Row(MEMBERS, lambda s: ("GET", "/v1/me/points", None)),
    "GET /v1/me/statement": Row(MEMBERS, lambda s: ("GET", "/v1/me/statement", None)),
    "GET /v1/me/token": Row(ANY_TOKEN, lambda s: ("GET", "/v1/me/token", None)),
    "GET /v1/stats": Row(ANY_TOKEN, lambda s: ("GET", "/v1/stats", None)),
    "GET /healthz": Row(ANYONE, lambda s: ("GET", "/healthz", None)),
}

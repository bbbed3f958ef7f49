"""Who may call what: every endpoint against every kind of token, as the "who
may" table of shared/API.md says. A refusal is 401 or 403 and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.auth import BOOTSTRAP_ADMIN
from api.main import create_app
from api.settings import Settings
from api.system import System
from tests.api.support import (
    ADMIN_TOKEN,
    ROLES,
    YEAR,
    Running,
    Scene,
    activity_body,
    bearer,
    build_scene,
    documented_operations,
    problem,
)
from tests.conftest import Clock


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


@pytest.fixture
def scene(running: Running) -> PlacedScene:
    base = build_scene(running)
    app, actor = running.system.app, BOOTSTRAP_ADMIN
    district = app.register_district("北戴河新区", actor).id
    street = app.register_street("戴河镇", district, actor).id
    grid = app.register_grid("第一网格", UUID(base.community), False, actor).id
    elsewhere, on = UUID(base.other_community), date(2026, 2, 1)
    app.double_report_member(UUID(base.member), elsewhere, on, actor)
    app.double_report_unit(UUID(base.unit), elsewhere, on, actor)
    body = {"scope": "community", "scope_id": base.community, "year": 2026}
    response = base.client.post("/v1/reports", json=body, headers=bearer(ADMIN_TOKEN))
    assert response.status_code == 201, response.text
    issued = base.client.post(
        f"/v1/members/{base.member}/certificates", headers=bearer(ADMIN_TOKEN)
    )
    assert issued.status_code == 201, issued.text
    claim = app.claim_hours(
        UUID(base.other_member), UUID(base.started), Decimal(1), actor
    ).id
    reward = app.offer_reward(UUID(base.community), "毛巾", "1", 10, actor).id
    earned = {2026: Decimal(20)}
    redemption = app.redeem(UUID(base.member), reward, 2, earned, actor).id
    fields = vars(base) | {"position": app.position()}
    return PlacedScene(
        **fields,
        district=str(district),
        street=str(street),
        grid=str(grid),
        published=response.json()["id"],
        certificate=issued.json()["number"],
        claim=str(claim),
        reward=str(reward),
        redemption=str(redemption),
    )


@dataclass(frozen=True)
class Row:
    allowed: frozenset[str]
    request: Callable[[PlacedScene], Request]


def report(scene: Scene) -> dict[str, Any]:
    return {"community_id": scene.community, "reported_on": "2026-03-01"}


def attendance(scene: Scene) -> dict[str, Any]:
    return {"records": [{"member_id": scene.other_member, "hours": "1"}]}


def roster(scene: Scene) -> Upload:
    return Upload("roster.csv", "姓名,手机号\n新人,13900000001\n".encode())


def sign_in_sheet(scene: Scene) -> Upload:
    text = f"志愿者编号,时长\n{scene.other_member},1\n"
    return Upload("sign-in.csv", text.encode())


MATRIX: dict[str, Row] = {
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
    # The organisation tree (version 1.1).
    "POST /v1/districts": Row(
        ADMIN, lambda s: ("POST", "/v1/districts", {"name": "卢龙县"})
    ),
    "POST /v1/streets": Row(
        ADMIN,
        lambda s: (
            "POST",
            "/v1/streets",
            {"name": "刘台庄镇", "district_id": s.district},
        ),
    ),
    "POST /v1/grids": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            "/v1/grids",
            {
                "name": "第二网格",
                "community_id": s.community,
                "party_organisation": True,
            },
        ),
    ),
    "GET /v1/districts": Row(ANY_TOKEN, lambda s: ("GET", "/v1/districts", None)),
    "GET /v1/districts/{district_id}/streets": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/districts/{s.district}/streets", None)
    ),
    "GET /v1/streets/{street_id}/communities": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/streets/{s.street}/communities", None)
    ),
    "GET /v1/communities/{community_id}/grids": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/communities/{s.community}/grids", None)
    ),
    "GET /v1/districts/{district_id}/stats": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/districts/{s.district}/stats", None)
    ),
    "GET /v1/streets/{street_id}/stats": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/streets/{s.street}/stats", None)
    ),
    "GET /v1/grids/{grid_id}/stats": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/grids/{s.grid}/stats", None)
    ),
    # Dates and lifecycle (version 1.1).
    "PATCH /v1/members/{member_id}": Row(
        IN_SCOPE,
        lambda s: ("PATCH", f"/v1/members/{s.member}", {"phone": "13700137000"}),
    ),
    "POST /v1/members/{member_id}/move": Row(
        EITHER_COMMUNITY,
        lambda s: (
            "POST",
            f"/v1/members/{s.member}/move",
            {"community_id": s.other_community},
        ),
    ),
    "POST /v1/members/{member_id}/deregister": Row(
        IN_SCOPE,
        lambda s: ("POST", f"/v1/members/{s.member}/deregister", {"reason": "迁出"}),
    ),
    "POST /v1/members/{member_id}/double-report/end": Row(
        IN_SCOPE,
        lambda s: ("POST", f"/v1/members/{s.member}/double-report/end", {}),
    ),
    "POST /v1/units/{unit_id}/double-report/{community_id}/end": Row(
        ADMIN,
        lambda s: (
            "POST",
            f"/v1/units/{s.unit}/double-report/{s.other_community}/end",
            {},
        ),
    ),
    # History and published reports (version 1.1).
    "GET /v1/members/{member_id}/history": Row(
        ITSELF, lambda s: ("GET", f"/v1/members/{s.member}/history", None)
    ),
    "GET /v1/activities/{activity_id}/history": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/activities/{s.started}/history", None)
    ),
    "GET /v1/activities/{activity_id}/attendances": Row(
        IN_SCOPE, lambda s: ("GET", f"/v1/activities/{s.started}/attendances", None)
    ),
    "GET /v1/activities/{activity_id}/signups": Row(
        IN_SCOPE, lambda s: ("GET", f"/v1/activities/{s.signed_up}/signups", None)
    ),
    "POST /v1/reports": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            "/v1/reports",
            {"scope": "community", "scope_id": s.community, "year": 2026},
        ),
    ),
    "GET /v1/reports/{report_id}": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/reports/{s.published}", None)
    ),
    "GET /v1/reports/{report_id}/verify": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/reports/{s.published}/verify", None)
    ),
    "POST /v1/members/{member_id}/certificates": Row(
        ITSELF, lambda s: ("POST", f"/v1/members/{s.member}/certificates", {})
    ),
    "GET /v1/certificates/{number}": Row(
        ANYONE, lambda s: ("GET", f"/v1/certificates/{s.certificate}", None)
    ),
    "GET /v1/certificates/{number}/pdf": Row(
        ITSELF, lambda s: ("GET", f"/v1/certificates/{s.certificate}/pdf", None)
    ),
    # The organiser's desk: hours claims, imports and the 台账.
    "POST /v1/members/{member_id}/hours-claims": Row(
        ITSELF,
        lambda s: (
            "POST",
            f"/v1/members/{s.member}/hours-claims",
            {"activity_id": s.started, "hours": "1"},
        ),
    ),
    "GET /v1/communities/{community_id}/hours-claims": Row(
        IN_SCOPE,
        lambda s: ("GET", f"/v1/communities/{s.community}/hours-claims", None),
    ),
    "POST /v1/hours-claims/{claim_id}/approve": Row(
        IN_SCOPE, lambda s: ("POST", f"/v1/hours-claims/{s.claim}/approve", None)
    ),
    "POST /v1/hours-claims/{claim_id}/reject": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/hours-claims/{s.claim}/reject",
            {"reason": "签到表上没有"},
        ),
    ),
    "POST /v1/communities/{community_id}/members/import": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/communities/{s.community}/members/import",
            roster(s),
        ),
    ),
    "POST /v1/activities/{activity_id}/attendance/import": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/activities/{s.started}/attendance/import",
            sign_in_sheet(s),
        ),
    ),
    "POST /v1/communities/{community_id}/rewards": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/communities/{s.community}/rewards",
            {"name": "大米", "points": "5", "stock": 3},
        ),
    ),
    "GET /v1/communities/{community_id}/rewards": Row(
        ANY_TOKEN, lambda s: ("GET", f"/v1/communities/{s.community}/rewards", None)
    ),
    "POST /v1/rewards/{reward_id}/restock": Row(
        IN_SCOPE,
        lambda s: ("POST", f"/v1/rewards/{s.reward}/restock", {"quantity": 1}),
    ),
    "POST /v1/members/{member_id}/redemptions": Row(
        ITSELF,
        lambda s: (
            "POST",
            f"/v1/members/{s.member}/redemptions",
            {"reward_id": s.reward},
        ),
    ),
    "POST /v1/redemptions/{redemption_id}/cancel": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/redemptions/{s.redemption}/cancel",
            {"reason": "退货"},
        ),
    ),
    "GET /v1/members/{member_id}/account": Row(
        ITSELF, lambda s: ("GET", f"/v1/members/{s.member}/account", None)
    ),
    "GET /v1/audit/head": Row(ADMIN, lambda s: ("GET", "/v1/audit/head", None)),
    "GET /v1/audit/verify": Row(ADMIN, lambda s: ("GET", "/v1/audit/verify", None)),
    "POST /v1/members/{member_id}/merge": Row(
        IN_SCOPE,
        lambda s: (
            "POST",
            f"/v1/members/{s.member}/merge",
            {"duplicate_id": s.other_member, "reason": "同一人重复登记"},
        ),
    ),
    "GET /v1/communities/{community_id}/ledger": Row(
        IN_SCOPE, lambda s: ("GET", f"/v1/communities/{s.community}/ledger", None)
    ),
    # The scene's street and district hold none of organizer_in's community.
    "GET /v1/streets/{street_id}/ledger": Row(
        ADMIN, lambda s: ("GET", f"/v1/streets/{s.street}/ledger", None)
    ),
    "GET /v1/districts/{district_id}/ledger": Row(
        ADMIN, lambda s: ("GET", f"/v1/districts/{s.district}/ledger", None)
    ),
}


def test_every_endpoint_of_the_application_has_a_row_in_the_matrix(
    client: TestClient,
) -> None:
    assert documented_operations(client) == MATRIX.keys()


def content(body: dict[str, Any] | Upload | None) -> dict[str, Any]:
    """The request's body as the client's keyword: JSON, or a multipart file."""
    if isinstance(body, Upload):
        return {"files": {"file": (body.name, body.content, "text/csv")}}
    return {"json": body}


def call(scene: PlacedScene, operation: str, role: str) -> Any:
    method, url, body = MATRIX[operation].request(scene)
    params = {"min_position": scene.position} if method == "GET" else None
    return scene.client.request(
        method, url, params=params, headers=scene.headers(role), **content(body)
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", list(MATRIX))
def test_each_kind_of_token_gets_what_the_contract_allows(
    scene: PlacedScene, system: System, operation: str, role: str
) -> None:
    before = system.app.position()
    response = call(scene, operation, role)
    if role in MATRIX[operation].allowed:
        assert response.is_success, response.text
        if response.request.method != "GET":
            assert int(response.headers["X-Event-Position"]) >= before
    elif role == "anonymous":
        problem(response, 401, "unauthorized")
        assert system.app.position() == before
    else:
        problem(response, 403, "forbidden")
        assert system.app.position() == before


@pytest.mark.parametrize(
    ("role", "phone"),
    [("admin", "13800138000"), ("organizer_in", "13800138000"), ("member_self", None)],
)
def test_phone_is_shown_only_to_admins_and_organizers_in_scope(
    scene: PlacedScene, role: str, phone: str | None
) -> None:
    record = scene.read(f"/v1/members/{scene.member}", role=role).json()
    assert record["phone"] == phone


@pytest.mark.parametrize("role", ["admin", "organizer_in"])
def test_community_member_lists_show_phone_to_those_who_may_read_them(
    scene: PlacedScene, role: str
) -> None:
    page = scene.read(f"/v1/communities/{scene.community}/members", role=role).json()
    assert {item["phone"] for item in page["items"]} == {"13800138000", "13900139000"}


def test_a_member_token_may_not_sign_up_another_member(
    scene: PlacedScene, system: System
) -> None:
    before = system.app.position()
    response = scene.client.post(
        f"/v1/activities/{scene.upcoming}/signups",
        json={"member_id": scene.other_member},
        headers=scene.headers("member_self"),
    )
    problem(response, 403, "forbidden")
    assert system.app.position() == before


def test_a_member_token_may_not_withdraw_another_member(scene: PlacedScene) -> None:
    response = scene.client.delete(
        f"/v1/activities/{scene.signed_up}/signups/{scene.member}",
        headers=scene.headers("member_other"),
    )
    problem(response, 403, "forbidden")


# An organizer scoped to one team rather than a community.

TEAM_SCOPED: list[tuple[str, Callable[[PlacedScene], Request], int]] = [
    ("may schedule its team's activities", MATRIX["POST /v1/activities"].request, 201),
    (
        "may record attendance of its team's activities",
        MATRIX["POST /v1/activities/{activity_id}/attendance"].request,
        200,
    ),
    (
        "may add members to its team",
        MATRIX["POST /v1/teams/{team_id}/members"].request,
        201,
    ),
    (
        "may read a member of its team",
        MATRIX["GET /v1/members/{member_id}"].request,
        200,
    ),
    (
        "may not read a member outside its team",
        lambda s: ("GET", f"/v1/members/{s.other_member}", None),
        403,
    ),
    (
        "may not register members in the community",
        MATRIX["POST /v1/members"].request,
        403,
    ),
    ("may not found teams in the community", MATRIX["POST /v1/teams"].request, 403),
    (
        "may not list the community's members",
        MATRIX["GET /v1/communities/{community_id}/members"].request,
        403,
    ),
]


@pytest.mark.parametrize(
    ("request_of", "status"),
    [pytest.param(request, status, id=name) for name, request, status in TEAM_SCOPED],
)
def test_an_organizer_scoped_to_a_team(
    scene: PlacedScene,
    system: System,
    request_of: Callable[[PlacedScene], Request],
    status: int,
) -> None:
    secret = "vp_test_team_organizer"
    system.app.issue_token(secret, "organizer", "test", team_ids=[UUID(scene.team)])
    before = system.app.position()
    method, url, body = request_of(scene)
    response = scene.client.request(
        method, url, headers=bearer(secret), **content(body)
    )
    assert response.status_code == status, response.text
    if status == 403:
        assert system.app.position() == before
    if url == f"/v1/members/{scene.member}":
        assert response.json()["phone"] == "13800138000"


def test_district_figures_need_only_a_token(scene: PlacedScene) -> None:
    for role in ANY_TOKEN:
        assert scene.read("/v1/stats", role=role, **YEAR).status_code == 200


def test_the_environments_admin_token_is_an_admin_token(
    monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    monkeypatch.setenv("VPOINTS_ADMIN_TOKEN", "vp_from_the_environment")
    settings = Settings(database_url="memory://")
    system = System(settings, clock=clock)
    try:
        with TestClient(create_app(settings, system)) as client:
            response = client.post(
                "/v1/communities",
                json={"name": "幸福里社区"},
                headers=bearer("vp_from_the_environment"),
            )
            assert response.status_code == 201, response.text
    finally:
        system.close()

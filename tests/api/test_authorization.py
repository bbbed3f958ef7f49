"""Who may call what: every endpoint against every kind of token, as the "who
may" table of shared/API.md says. A refusal is 401 or 403 and changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
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
from tests.api.authorization_additions import ADDITION_ROWS
from tests.api.authorization_additions import RULES as ADDITION_RULES
from tests.api.authorization_rows import (
    ANY_TOKEN,
    V1_ROWS,
    PlacedScene,
    Request,
    Row,
    Upload,
)
from tests.api.support import (
    ADMIN_TOKEN,
    ROLES,
    YEAR,
    Running,
    bearer,
    build_scene,
    documented_operations,
    problem,
    running_api,
)
from tests.conftest import Clock


@pytest.fixture
def scene(running: Running) -> PlacedScene:
    return placed_scene(running)


@pytest.fixture
def fresh_scenes(
    database_url: str, clock: Clock
) -> Iterator[Callable[[], tuple[PlacedScene, System]]]:
    """Builds a scene in an API of its own, each time it is called."""
    with ExitStack() as stack:

        def fresh() -> tuple[PlacedScene, System]:
            running = stack.enter_context(running_api(database_url, clock))
            return placed_scene(running), running.system

        yield fresh


def placed_scene(running: Running) -> PlacedScene:
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
    phone_key = running.system.sessions.phone_key("13600136000")
    organiser = app.register_organiser(
        "李主任", phone_key, "136****6000", actor, community_ids=[elsewhere]
    ).id
    rule_set = app.draft_rule_set(
        "积分管理办法", district, ADDITION_RULES, None, actor
    ).id
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
        organiser=str(organiser),
        rule_set=str(rule_set),
    )


# The whole table: the rows of v1, then those of the additions.
MATRIX: dict[str, Row] = V1_ROWS | ADDITION_ROWS


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


def answers_as_the_contract_says(
    scene: PlacedScene, system: System, operation: str, role: str
) -> None:
    before = system.app.position()
    response = call(scene, operation, role)
    refused = MATRIX[operation].refused.get(role)
    if refused is not None:
        problem(response, *refused)
        assert system.app.position() == before
    elif role in MATRIX[operation].allowed:
        assert response.is_success, response.text
        if response.request.method != "GET":
            assert int(response.headers["X-Event-Position"]) >= before
    elif role == "anonymous":
        problem(response, 401, "unauthorized")
        assert system.app.position() == before
    else:
        problem(response, 403, "forbidden")
        assert system.app.position() == before


def changes_the_scene(operation: str, role: str) -> bool:
    row = MATRIX[operation]
    return (
        not operation.startswith("GET ")
        and role in row.allowed
        and role not in row.refused
    )


@pytest.mark.parametrize("operation", list(MATRIX))
def test_each_kind_of_token_gets_what_the_contract_allows(
    scene: PlacedScene,
    system: System,
    fresh_scenes: Callable[[], tuple[PlacedScene, System]],
    operation: str,
) -> None:
    """Every role on one scene, since a refusal or a read changes nothing
    (which each check asserts); a write the role may make on a scene of its
    own."""
    failed: dict[str, str] = {}
    for role in ROLES:
        on = fresh_scenes() if changes_the_scene(operation, role) else (scene, system)
        try:
            answers_as_the_contract_says(*on, operation, role)
        except AssertionError as error:
            failed[role] = str(error)
    assert failed == {}


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

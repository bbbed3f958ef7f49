"""Reports published over HTTP: their figures frozen with their position,
read with the current figures, verified by replaying the log, and who may
publish them (shared/API.md, additions 1.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from infrastructure.digest import log_digest
from tests.api.support import (
    ADMIN_TOKEN,
    Scene,
    bearer,
    correct,
    error_fields,
    ok,
    problem,
)
from tests.conftest import Clock

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

NOWHERE = str(uuid4())
ADMIN = bearer(ADMIN_TOKEN)
NEXT_JANUARY = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)
REPORT_FIELDS = {
    "id",
    "scope",
    "scope_id",
    "scope_name",
    "year",
    "as_of",
    "position",
    "published_at",
    "figures",
    "head_digest",
}


# Published reports.


def publish(scene: Scene, body: dict[str, Any], role: str = "admin") -> Any:
    return scene.client.post("/v1/reports", json=body, headers=scene.headers(role))


def published(scene: Scene, body: dict[str, Any]) -> dict[str, Any]:
    response = publish(scene, body)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    scene.position = int(response.headers["X-Event-Position"])
    return answer


def test_publishing_a_report_freezes_its_figures_with_their_position(
    scene: Scene, system: System
) -> None:
    body = {"scope": "community", "scope_id": scene.community, "year": 2026}
    response = publish(scene, body)
    assert response.status_code == 201, response.text
    report = response.json()
    assert set(report) == REPORT_FIELDS
    assert report["scope_name"] == "幸福里社区"
    written_at = int(response.headers["X-Event-Position"])
    assert written_at == system.app.position()
    assert report["position"] < written_at
    assert (report["scope"], report["scope_id"], report["year"]) == (
        "community",
        scene.community,
        2026,
    )
    assert report["as_of"] == "2026-03-01"
    assert report["head_digest"] == log_digest(system.app, report["position"])
    scene.position = written_at
    stats = ok(scene.read(f"/v1/communities/{scene.community}/stats"))
    assert report["figures"] == stats
    assert (report["figures"]["participations"], report["figures"]["points"]) == (
        1,
        "20.0",
    )


def test_a_published_report_verifies_by_replaying_the_log(scene: Scene) -> None:
    report = published(scene, {"scope": "all", "year": 2026, "as_of": "2026-02-28"})
    assert report["as_of"] == "2026-02-28"
    verified = ok(scene.read(f"/v1/reports/{report['id']}/verify"))
    assert verified == {
        "position": report["position"],
        "matches": True,
        "figures": report["figures"],
        "head_digest": report["head_digest"],
    }


def test_a_late_correction_revises_the_year_but_not_the_published_report(
    scene: Scene, clock: Clock
) -> None:
    clock.now = NEXT_JANUARY
    body = {"scope": "community", "scope_id": scene.community, "year": 2026}
    report = published(scene, body)
    assert report["as_of"] == "2026-12-31"
    url = f"/v1/reports/{report['id']}"
    first = ok(scene.read(url, role="member_self"))
    assert first == report | {"current": report["figures"], "revised": False}

    correct(scene, "2.5")

    revised = ok(scene.read(url))
    assert revised["revised"] is True
    assert {k: revised[k] for k in REPORT_FIELDS} == report
    assert report["figures"]["points"] == "20.0"
    assert revised["current"]["points"] == "25.0"
    assert revised["current"]["as_of"] == "2026-12-31"
    verified = ok(scene.read(f"{url}/verify"))
    assert (verified["matches"], verified["figures"]) == (True, report["figures"])


def test_a_replayed_publication_answers_the_same_report(
    scene: Scene, system: System
) -> None:
    body = {"scope": "all", "year": 2026}
    headers = ADMIN | {"Idempotency-Key": "report-2026"}
    first = scene.client.post("/v1/reports", json=body, headers=headers)
    assert first.status_code == 201, first.text
    before = system.app.position()
    again = scene.client.post("/v1/reports", json=body, headers=headers)
    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["X-Event-Position"] == first.headers["X-Event-Position"]
    assert system.app.position() == before


@dataclass
class Placed:
    """A district and a street above a community with a grid, and organizer
    tokens by district, by community and of another district."""

    district: str
    street: str
    community: str
    grid: str


@pytest.fixture
def placed(scene: Scene, system: System) -> Placed:
    app, actor = system.app, BOOTSTRAP_ADMIN
    district = app.register_district("北戴河新区", actor).id
    elsewhere = app.register_district("卢龙县", actor).id
    street = app.register_street("戴河镇", district, actor).id
    community = app.register_community("刘庄村", None, actor, street_id=street).id
    grid = app.register_grid("一组", community, False, actor).id
    tokens = {
        "district_organizer": {"district_ids": [district]},
        "village_organizer": {"community_ids": [community]},
        "elsewhere_organizer": {"district_ids": [elsewhere]},
    }
    for role, scope in tokens.items():
        scene.tokens[role] = f"vp_test_{role}"
        app.issue_token(scene.tokens[role], "organizer", actor, **scope)
    scene.position = app.position()
    return Placed(str(district), str(street), str(community), str(grid))


SCOPES = ("all", "district", "street", "community", "grid")
MAY_PUBLISH = {
    "admin": set(SCOPES),
    "district_organizer": {"district", "street", "community", "grid"},
    "village_organizer": {"community", "grid"},
    "elsewhere_organizer": set(),
    "organizer_in": set(),
    "member_self": set(),
}


@pytest.mark.parametrize("role", list(MAY_PUBLISH))
def test_who_may_publish_a_report_of_each_scope(
    scene: Scene, system: System, placed: Placed, role: str
) -> None:
    ids = {
        "district": placed.district,
        "street": placed.street,
        "community": placed.community,
        "grid": placed.grid,
    }
    for scope in SCOPES:
        body: dict[str, Any] = {"scope": scope, "year": 2026}
        if scope in ids:
            body["scope_id"] = ids[scope]
        before = system.app.position()
        response = publish(scene, body, role)
        if scope in MAY_PUBLISH[role]:
            assert response.status_code == 201, (scope, response.text)
            assert response.json()["figures"]["scope"] == scope
        else:
            problem(response, 403, "forbidden")
            assert system.app.position() == before


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"scope": "all", "scope_id": "{community}"}, "validation_error", "scope_id"),
        ({"scope": "district"}, "validation_error", "scope_id"),
        ({"scope": "district", "scope_id": NOWHERE}, "unknown_reference", "scope_id"),
        ({"scope": "grid", "scope_id": "{community}"}, "unknown_reference", "scope_id"),
        ({"scope": "city"}, "validation_error", "scope"),
        ({"scope": "all", "as_of": "2026-03-02"}, "future_date", "as_of"),
        ({"scope": "all", "as_of": "2025-12-31"}, "validation_error", "as_of"),
        ({"scope": "all", "as_of": 20260301}, "validation_error", "as_of"),
        ({"scope": "all", "year": None}, "validation_error", "year"),
    ],
)
def test_a_report_needs_a_scope_that_exists_and_a_past_date_of_its_year(
    scene: Scene, system: System, body: dict[str, Any], code: str, field: str
) -> None:
    request = {"year": 2026} | {
        k: v.format(community=scene.community) if isinstance(v, str) else v
        for k, v in body.items()
    }
    request = {k: v for k, v in request.items() if v is not None}
    before = system.app.position()
    answer = problem(publish(scene, request), 422, code)
    assert error_fields(answer) == {field}
    assert system.app.position() == before


def test_an_organizer_naming_an_unknown_place_is_refused_before_anything(
    scene: Scene, system: System, placed: Placed
) -> None:
    before = system.app.position()
    body = {"scope": "district", "scope_id": NOWHERE, "year": 2026}
    problem(publish(scene, body, "district_organizer"), 403, "forbidden")
    assert system.app.position() == before


def test_an_unknown_report_is_not_found(scene: Scene) -> None:
    for url in ("/v1/reports/{}", "/v1/reports/{}/verify"):
        problem(scene.read(url.format(NOWHERE)), 404, "not_found")
        problem(scene.read(url.format(scene.community)), 404, "not_found")

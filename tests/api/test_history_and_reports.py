"""History and published reports over HTTP: a member's and an activity's
history, the history in a statement, and reports published, read with their
current figures, and verified by replaying the log (shared/API.md, additions
1.1)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from infrastructure.digest import log_digest
from tests.api.support import ADMIN_TOKEN, Scene, bearer, error_fields, problem
from tests.conftest import Clock

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "GET /v1/members/{member_id}/history": (
        "test_a_members_history_lists_every_event_concerning_it_oldest_first",
        "test_a_members_history_is_read_a_page_at_a_time",
        "test_a_members_history_is_for_itself_its_organizers_and_admins",
    ),
    "GET /v1/activities/{activity_id}/history": (
        "test_an_activitys_history_keeps_the_earlier_values_of_a_correction",
        "test_an_unknown_activitys_history_is_not_found",
    ),
    "POST /v1/reports": (
        "test_publishing_a_report_freezes_its_figures_with_their_position",
        "test_who_may_publish_a_report_of_each_scope",
        "test_a_report_needs_a_scope_that_exists_and_a_past_date_of_its_year",
        "test_a_replayed_publication_answers_the_same_report",
    ),
    "GET /v1/reports/{report_id}": (
        "test_a_late_correction_revises_the_year_but_not_the_published_report",
        "test_an_unknown_report_is_not_found",
    ),
    "GET /v1/reports/{report_id}/verify": (
        "test_a_published_report_verifies_by_replaying_the_log",
        "test_a_late_correction_revises_the_year_but_not_the_published_report",
        "test_an_unknown_report_is_not_found",
    ),
}

OPERATION_IDS = {
    "create_district",
    "create_street",
    "create_grid",
    "list_districts",
    "list_district_streets",
    "list_street_communities",
    "list_community_grids",
    "get_district_stats",
    "get_street_stats",
    "get_grid_stats",
    "update_member",
    "move_member",
    "deregister_member",
    "end_member_double_report",
    "end_unit_double_report",
    "get_member_history",
    "get_activity_history",
    "publish_report",
    "get_report",
    "verify_report",
}

NOWHERE = str(uuid4())
ADMIN = bearer(ADMIN_TOKEN)
NEXT_JANUARY = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)
REPORT_FIELDS = {
    "id",
    "scope",
    "scope_id",
    "year",
    "as_of",
    "position",
    "published_at",
    "figures",
    "head_digest",
}


def test_every_new_operation_has_its_operation_id_and_a_description(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
    described = {
        operation["operationId"]: operation.get("description", "")
        for operations in document["paths"].values()
        for operation in operations.values()
    }
    assert described.keys() >= OPERATION_IDS
    assert all(described[name] for name in OPERATION_IDS)


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


# History.


def test_a_members_history_lists_every_event_concerning_it_oldest_first(
    scene: Scene,
) -> None:
    correct(scene, "2.5")
    scene.write("PATCH", f"/v1/members/{scene.member}", {"phone": "13700137000"})
    history = ok(scene.read(f"/v1/members/{scene.member}/history"))
    items = history["items"]
    assert history["next_cursor"] is None
    assert [item["type"] for item in items] == [
        "Registered",
        "MemberJoined",
        "SignedUp",
        "AttendanceRecorded",
        "AttendanceCorrected",
        "DetailsChanged",
    ]
    positions = [item["position"] for item in items]
    assert positions == sorted(positions)
    assert all(item["actor"] == BOOTSTRAP_ADMIN for item in items)
    correction = items[4]
    assert correction["reason"] == "登记错误"
    assert correction["details"] | {"activity_id": None} == {
        "activity_id": None,
        "hours": "2.5",
        "points": "25.0",
        "previous_hours": "2",
        "previous_points": "20.0",
    }
    assert correction["details"]["activity_id"] == scene.started
    changed = items[5]["details"]
    assert changed["changes"] == {"phone": "13700137000"}
    assert changed["previous"] == {"phone": "13800138000"}
    assert datetime.fromisoformat(items[0]["recorded_at"]).tzinfo is not None


def test_a_members_history_is_read_a_page_at_a_time(scene: Scene) -> None:
    url = f"/v1/members/{scene.member}/history"
    everything = ok(scene.read(url))["items"]
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor is not None:
            params["cursor"] = cursor
        page = ok(scene.read(url, **params))
        assert len(page["items"]) <= 2
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("organizer_in", 200),
        ("member_self", 200),
        ("organizer_out", 403),
        ("member_other", 403),
        ("anonymous", 401),
    ],
)
def test_a_members_history_is_for_itself_its_organizers_and_admins(
    scene: Scene, role: str, status: int
) -> None:
    response = scene.read(f"/v1/members/{scene.member}/history", role=role)
    assert response.status_code == status, response.text
    problem(scene.read(f"/v1/members/{NOWHERE}/history"), 404, "not_found")


def test_an_activitys_history_keeps_the_earlier_values_of_a_correction(
    scene: Scene,
) -> None:
    correct(scene, "1.5", role="organizer_in")
    url = f"/v1/activities/{scene.started}/history"
    items = ok(scene.read(url, role="member_other"))["items"]
    assert [item["type"] for item in items] == [
        "Scheduled",
        "AttendanceRecorded",
        "AttendanceCorrected",
    ]
    correction = items[2]
    assert correction["actor"] != BOOTSTRAP_ADMIN
    assert correction["reason"] == "登记错误"
    assert correction["details"]["entries"] == [
        {
            "member_id": scene.member,
            "hours": "1.5",
            "points": "15.0",
            "previous_hours": "2",
            "previous_points": "20.0",
        }
    ]


def test_an_unknown_activitys_history_is_not_found(scene: Scene) -> None:
    problem(scene.read(f"/v1/activities/{NOWHERE}/history"), 404, "not_found")
    problem(scene.read(f"/v1/activities/{scene.team}/history"), 404, "not_found")


def test_a_statement_shows_who_recorded_and_each_change_since(scene: Scene) -> None:
    correct(scene, "1.5", role="organizer_in")
    statement = ok(scene.read(f"/v1/members/{scene.member}/statement"))
    [item] = statement["items"]
    assert (item["hours"], item["points"], item["status"]) == (
        "1.5",
        "15.0",
        "corrected",
    )
    assert item["recorded_by"] == BOOTSTRAP_ADMIN
    recorded, corrected = item["history"]
    assert (recorded["type"], recorded["hours"], recorded["points"]) == (
        "AttendanceRecorded",
        "2",
        "20.0",
    )
    assert recorded["recorded_by"] == BOOTSTRAP_ADMIN
    assert (corrected["type"], corrected["hours"], corrected["reason"]) == (
        "AttendanceCorrected",
        "1.5",
        "登记错误",
    )
    assert corrected["recorded_by"] != BOOTSTRAP_ADMIN
    assert recorded["recorded_at"] <= corrected["recorded_at"]


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
    verified = ok(scene.read(f"/v1/reports/{report['id']}/verify", role="member_other"))
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


# The head digest.


def test_the_head_digest_chains_every_stored_event_up_to_the_position(
    scene: Scene, system: System
) -> None:
    app = system.app
    assert log_digest(app, 0) == "0" * 64
    [first] = app.recorder.select_notifications(1, 1)
    expected = hashlib.sha256(
        bytes(32)
        + first.id.to_bytes(8, "big")
        + UUID(str(first.originator_id)).bytes
        + first.originator_version.to_bytes(8, "big")
        + len(first.topic.encode()).to_bytes(4, "big")
        + first.topic.encode()
        + len(first.state).to_bytes(8, "big")
        + first.state
    ).hexdigest()
    assert log_digest(app, first.id) == expected
    head = app.position()
    digests = {log_digest(app, p) for p in range(head - 3, head + 1)}
    assert len(digests) == 4
    assert log_digest(app, head) == log_digest(app, head)
    assert log_digest(app, head + 10) == log_digest(app, head)


def test_every_operation_listed_here_names_tests_that_exist(database_url: str) -> None:
    named = {name for names in ENDPOINT_TESTS.values() for name in names}
    assert not named - globals().keys()

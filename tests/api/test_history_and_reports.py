"""History over HTTP: a member's and an activity's history and the history in
a statement (shared/API.md, additions 1.1); and the head digest. Published
reports, read with their current figures and verified by replaying the log,
are in ``test_history_and_reports_publishing``."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from infrastructure.digest import log_digest
from tests.api import test_history_and_reports_publishing as publishing
from tests.api.support import Scene, correct, ok, problem

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
    assert not named - globals().keys() - vars(publishing).keys()

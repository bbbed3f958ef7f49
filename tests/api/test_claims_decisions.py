"""Organisers in scope approve or reject an hours claim, once, over HTTP."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from api.auth import BOOTSTRAP_ADMIN
from tests.api.claims_support import (
    claim,
    claims,
    refused,
    schedule,
    statement,
    token_id,
)
from tests.api.support import (
    ADMIN_TOKEN,
    YEAR,
    Running,
    Scene,
    bearer,
    error_fields,
    problem,
    written,
)
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

NOWHERE = str(uuid4())


# Deciding.


def test_approving_a_claim_records_the_attendance_by_the_organizer(
    scene: Scene, running: Running
) -> None:
    made = claim(scene, scene.started, "2", note="帮忙布置会场")
    answer = scene.write(
        "POST", f"/v1/hours-claims/{made['id']}/approve", None, "organizer_in"
    )
    assert answer == made | {
        "status": "approved",
        "decided_hours": "2",
        "position": answer["position"],
    }
    organizer = token_id(running, scene.tokens["organizer_in"])
    points = scene.read(f"/v1/members/{scene.other_member}/points", **YEAR).json()
    assert (points["points"], points["hours"], points["activities"]) == (
        "20.0",
        "2",
        1,
    )
    [item] = statement(scene, scene.other_member)["items"]
    assert (item["activity_id"], item["hours"], item["points"]) == (
        scene.started,
        "2",
        "20.0",
    )
    assert (item["status"], item["recorded_by"]) == ("recorded", organizer)
    [entry] = item["history"]
    assert (entry["type"], entry["recorded_by"]) == ("AttendanceRecorded", organizer)
    [listed] = claims(scene)["items"]
    assert (listed["status"], listed["decided_by"]) == ("approved", organizer)


def test_approving_with_other_hours_records_those_hours(scene: Scene) -> None:
    made = claim(scene, scene.started, "2.5")
    answer = scene.write(
        "POST", f"/v1/hours-claims/{made['id']}/approve", {"hours": "1.5"}
    )
    assert (answer["hours"], answer["decided_hours"]) == ("2.5", "1.5")
    [item] = statement(scene, scene.other_member)["items"]
    assert (item["hours"], item["points"]) == ("1.5", "15.0")
    [listed] = claims(scene, status="approved")["items"]
    assert (listed["hours"], listed["decided_hours"]) == ("2.5", "1.5")


def test_approving_an_attended_activity_corrects_it_with_the_claim_as_reason(
    scene: Scene,
) -> None:
    made = claim(scene, scene.started, "2.5", member=scene.member, role="member_self")
    scene.write("POST", f"/v1/hours-claims/{made['id']}/approve")
    [item] = statement(scene, scene.member)["items"]
    assert (item["hours"], item["points"], item["status"]) == (
        "2.5",
        "25.0",
        "corrected",
    )
    assert item["reason"] == f"志愿时长申报 {made['id']}"
    assert [h["type"] for h in item["history"]] == [
        "AttendanceRecorded",
        "AttendanceCorrected",
    ]


def test_a_claim_is_decided_once(scene: Scene) -> None:
    approved = claim(scene, scene.started, "1")
    scene.write("POST", f"/v1/hours-claims/{approved['id']}/approve")
    rejected = claim(scene, scene.started, "2")
    scene.write(
        "POST", f"/v1/hours-claims/{rejected['id']}/reject", {"reason": "重复申报"}
    )
    for made in (approved, rejected):
        url = f"/v1/hours-claims/{made['id']}"
        refused(scene, f"{url}/approve", {"hours": "2"}, 409, "claim_decided")
        refused(scene, f"{url}/reject", {"reason": "再次"}, 409, "claim_decided")
    [item] = statement(scene, scene.other_member)["items"]
    assert item["hours"] == "1"


def test_approving_a_claim_of_a_closed_activity_is_activity_closed(
    scene: Scene,
) -> None:
    made = claim(scene, scene.started, "1")
    scene.write("POST", f"/v1/activities/{scene.started}/close")
    refused(
        scene, f"/v1/hours-claims/{made['id']}/approve", None, 409, "activity_closed"
    )
    [listed] = claims(scene)["items"]
    assert listed["status"] == "pending"
    assert statement(scene, scene.other_member)["items"] == []
    # It may still be rejected.
    answer = scene.write(
        "POST", f"/v1/hours-claims/{made['id']}/reject", {"reason": "活动已结束登记"}
    )
    assert answer["status"] == "rejected"


@pytest.mark.parametrize("hours", ["0", "0.1", "3", "abc"])
def test_approving_with_bad_hours_is_invalid_hours_and_records_nothing(
    scene: Scene, hours: str
) -> None:
    made = claim(scene, scene.started, "1")
    url = f"/v1/hours-claims/{made['id']}/approve"
    code = "validation_error" if hours == "abc" else "invalid_hours"
    answer = refused(scene, url, {"hours": hours}, 422, code)
    assert error_fields(answer) == {"hours"}
    assert claims(scene)["items"][0]["status"] == "pending"


def test_approving_a_deregistered_members_claim_is_member_deregistered(
    scene: Scene,
) -> None:
    made = claim(scene, scene.started, "1")
    scene.write(
        "POST", f"/v1/members/{scene.other_member}/deregister", {"reason": "搬离"}
    )
    url = f"/v1/hours-claims/{made['id']}/approve"
    refused(scene, url, None, 409, "member_deregistered")


def test_only_organizers_of_the_activitys_community_or_team_decide_claims(
    scene: Scene, running: Running
) -> None:
    made = claim(scene, scene.started, "1")
    url = f"/v1/hours-claims/{made['id']}"
    for role in ("organizer_out", "member_self", "member_other"):
        refused(scene, f"{url}/approve", None, 403, "forbidden", role)
        refused(scene, f"{url}/reject", {"reason": "无"}, 403, "forbidden", role)
    refused(scene, f"{url}/approve", None, 401, "unauthorized", "anonymous")
    app = running.system.app
    app.issue_token(
        "vp_test_team", "organizer", BOOTSTRAP_ADMIN, team_ids=[UUID(scene.team)]
    )
    response = scene.client.post(f"{url}/approve", headers=bearer("vp_test_team"))
    assert written(response, 200)["status"] == "approved"
    other = claim(scene, scene.started, "1.5", member=scene.member, role="member_self")
    response = scene.client.post(
        f"/v1/hours-claims/{other['id']}/reject",
        json={"reason": "重复"},
        headers=bearer(ADMIN_TOKEN),
    )
    assert written(response, 200)["status"] == "rejected"


def test_deciding_an_unknown_claim_is_not_found(scene: Scene) -> None:
    refused(scene, f"/v1/hours-claims/{NOWHERE}/approve", None, 404, "not_found")
    refused(
        scene, f"/v1/hours-claims/{NOWHERE}/reject", {"reason": "无"}, 404, "not_found"
    )
    # A member id is no claim id.
    refused(scene, f"/v1/hours-claims/{scene.member}/approve", None, 404, "not_found")


def test_rejecting_a_claim_keeps_the_reason_and_records_no_attendance(
    scene: Scene,
) -> None:
    made = claim(scene, scene.started, "2")
    answer = scene.write(
        "POST",
        f"/v1/hours-claims/{made['id']}/reject",
        {"reason": " 签到表上没有 "},
        "organizer_in",
    )
    assert answer == made | {
        "status": "rejected",
        "reason": "签到表上没有",
        "position": answer["position"],
    }
    assert statement(scene, scene.other_member)["items"] == []
    [listed] = claims(scene)["items"]
    assert (listed["status"], listed["reason"]) == ("rejected", "签到表上没有")


def test_a_rejection_needs_a_reason(scene: Scene) -> None:
    made = claim(scene, scene.started, "2")
    url = f"/v1/hours-claims/{made['id']}/reject"
    for body in ({}, {"reason": ""}, {"reason": "  "}):
        answer = refused(scene, url, body, 422, "validation_error")
        assert error_fields(answer) == {"reason"}


def test_an_approval_retried_with_its_idempotency_key_is_answered_again(
    scene: Scene,
) -> None:
    made = claim(scene, scene.started, "2")
    url = f"/v1/hours-claims/{made['id']}/approve"
    headers = bearer(ADMIN_TOKEN) | {"Idempotency-Key": "approve-once"}
    first = scene.client.post(url, json={"hours": "1"}, headers=headers)
    again = scene.client.post(url, json={"hours": "1"}, headers=headers)
    assert written(first, 200) == written(again, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    other = scene.client.post(url, json={"hours": "2"}, headers=headers)
    problem(other, 422, "idempotency_key_reused")


def test_an_approval_writes_the_decision_and_the_attendance_together(
    client: TestClient, scene: Scene, clock: Clock
) -> None:
    made = claim(scene, scene.started, "2")
    before = scene.position
    answer = scene.write("POST", f"/v1/hours-claims/{made['id']}/approve")
    assert answer["position"] == before + 2
    clock.advance(days=1)
    later = schedule(scene, "2026-03-02", "敬老院探访")
    claim(scene, later, "1")
    assert len(claims(scene, status="pending")["items"]) == 1

"""Hours claims (志愿时长申报) over HTTP: a member claims hours for an activity
it attended; organisers in scope list, approve or reject them, once
(shared/API.md, the organiser's desk)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from api.auth import BOOTSTRAP_ADMIN
from tests.api.support import (
    ADMIN_TOKEN,
    YEAR,
    Running,
    Scene,
    activity_body,
    bearer,
    error_fields,
    problem,
    written,
)
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/members/{member_id}/hours-claims": (
        "test_a_member_claims_hours_for_an_activity_it_attended",
        "test_claims_are_made_by_the_member_itself_or_an_organizer_covering_it",
        "test_a_claim_for_an_unknown_member_is_not_found",
        "test_a_claim_for_an_activity_not_yet_started_is_activity_not_started",
        "test_a_claim_for_a_cancelled_activity_is_activity_cancelled",
        "test_a_claim_for_a_closed_activity_is_activity_closed",
        "test_a_claim_for_an_unknown_activity_is_an_unknown_reference",
        "test_a_claim_with_bad_hours_is_invalid_hours",
        "test_a_deregistered_member_cannot_claim",
        "test_a_claim_needs_its_activity_and_hours",
    ),
    "GET /v1/communities/{community_id}/hours-claims": (
        "test_organizers_in_scope_list_a_communitys_claims_by_status",
        "test_claims_are_listed_a_page_at_a_time",
        "test_only_admins_and_organizers_in_scope_list_claims",
        "test_claims_of_an_unknown_community_are_not_found",
    ),
    "POST /v1/hours-claims/{claim_id}/approve": (
        "test_approving_a_claim_records_the_attendance_by_the_organizer",
        "test_approving_with_other_hours_records_those_hours",
        "test_approving_an_attended_activity_corrects_it_with_the_claim_as_reason",
        "test_a_claim_is_decided_once",
        "test_approving_a_claim_of_a_closed_activity_is_activity_closed",
        "test_approving_with_bad_hours_is_invalid_hours_and_records_nothing",
        "test_approving_a_deregistered_members_claim_is_member_deregistered",
        "test_only_organizers_of_the_activitys_community_or_team_decide_claims",
        "test_deciding_an_unknown_claim_is_not_found",
        "test_an_approval_retried_with_its_idempotency_key_is_answered_again",
    ),
    "POST /v1/hours-claims/{claim_id}/reject": (
        "test_rejecting_a_claim_keeps_the_reason_and_records_no_attendance",
        "test_a_claim_is_decided_once",
        "test_a_rejection_needs_a_reason",
        "test_only_organizers_of_the_activitys_community_or_team_decide_claims",
    ),
}

ADMIN = bearer(ADMIN_TOKEN)
NOWHERE = str(uuid4())


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


# Claiming.


def test_a_member_claims_hours_for_an_activity_it_attended(scene: Scene) -> None:
    note = "忘记签到，带队的是张老师"
    answer = claim(scene, scene.started, "2.50", note=f" {note} ")
    assert answer == {
        "id": answer["id"],
        "status": "pending",
        "member_id": scene.other_member,
        "activity_id": scene.started,
        "community_id": scene.community,
        "hours": "2.5",
        "note": note,
        "decided_hours": None,
        "reason": None,
        "position": answer["position"],
    }
    [item] = claims(scene)["items"]
    assert item == {
        "id": answer["id"],
        "status": "pending",
        "member_id": scene.other_member,
        "activity_id": scene.started,
        "community_id": scene.community,
        "hours": "2.5",
        "note": note,
        "claimed_at": item["claimed_at"],
        "decided_by": None,
        "decided_at": None,
        "decided_hours": None,
        "reason": None,
        "position": answer["position"],
    }
    assert datetime.fromisoformat(item["claimed_at"]).tzinfo is not None
    # A claim is no attendance: nothing shows in the statement until approved.
    assert statement(scene, scene.other_member)["items"] == []


def test_claims_are_made_by_the_member_itself_or_an_organizer_covering_it(
    scene: Scene,
) -> None:
    url = claim_url(scene.other_member)
    body = {"activity_id": scene.started, "hours": "1"}
    for role in ("member_other", "organizer_in", "admin"):
        written(scene.client.post(url, json=body, headers=scene.headers(role)))
    for role in ("member_self", "organizer_out"):
        refused(scene, url, body, 403, "forbidden", role)
    refused(scene, url, body, 401, "unauthorized", "anonymous")


def test_a_claim_for_an_unknown_member_is_not_found(scene: Scene) -> None:
    body = {"activity_id": scene.started, "hours": "1"}
    refused(scene, claim_url(NOWHERE), body, 404, "not_found")


def test_a_claim_for_an_activity_not_yet_started_is_activity_not_started(
    scene: Scene,
) -> None:
    body = {"activity_id": scene.upcoming, "hours": "1"}
    refused(
        scene,
        claim_url(scene.other_member),
        body,
        409,
        "activity_not_started",
        "member_other",
    )


def test_a_claim_for_a_cancelled_activity_is_activity_cancelled(
    scene: Scene,
) -> None:
    scene.write("POST", f"/v1/activities/{scene.started}/cancel", {"reason": "暴雨"})
    body = {"activity_id": scene.started, "hours": "1"}
    url = claim_url(scene.other_member)
    refused(scene, url, body, 409, "activity_cancelled", "member_other")


def test_a_claim_for_a_closed_activity_is_activity_closed(scene: Scene) -> None:
    scene.write("POST", f"/v1/activities/{scene.started}/close")
    body = {"activity_id": scene.started, "hours": "1"}
    url = claim_url(scene.other_member)
    refused(scene, url, body, 409, "activity_closed", "member_other")


def test_a_claim_for_an_unknown_activity_is_an_unknown_reference(
    scene: Scene,
) -> None:
    body = {"activity_id": NOWHERE, "hours": "1"}
    url = claim_url(scene.other_member)
    answer = refused(scene, url, body, 422, "unknown_reference", "member_other")
    assert error_fields(answer) == {"activity_id"}


@pytest.mark.parametrize("hours", ["0", "-1", "0.3", "2.75", "100"])
def test_a_claim_with_bad_hours_is_invalid_hours(scene: Scene, hours: str) -> None:
    body = {"activity_id": scene.started, "hours": hours}
    url = claim_url(scene.other_member)
    answer = refused(scene, url, body, 422, "invalid_hours", "member_other")
    assert error_fields(answer) == {"hours"}


def test_a_deregistered_member_cannot_claim(scene: Scene) -> None:
    scene.write(
        "POST", f"/v1/members/{scene.other_member}/deregister", {"reason": "搬离"}
    )
    body = {"activity_id": scene.started, "hours": "1"}
    url = claim_url(scene.other_member)
    refused(scene, url, body, 409, "member_deregistered", "member_other")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"hours": "1"}, {"activity_id"}),
        ({"activity_id": "x", "hours": "1"}, {"activity_id"}),
        ({"activity_id": NOWHERE}, {"hours"}),
        ({"activity_id": NOWHERE, "hours": "NaN"}, {"hours"}),
        ({"activity_id": NOWHERE, "hours": "1", "note": " "}, {"note"}),
        ({"activity_id": NOWHERE, "hours": "1", "extra": 1}, {"extra"}),
    ],
)
def test_a_claim_needs_its_activity_and_hours(
    scene: Scene, body: dict[str, Any], fields: set[str]
) -> None:
    url = claim_url(scene.other_member)
    answer = refused(scene, url, body, 422, "validation_error", "member_other")
    assert error_fields(answer) == fields


# Listing.


def test_organizers_in_scope_list_a_communitys_claims_by_status(
    scene: Scene,
) -> None:
    first = claim(scene, scene.started, "1")
    second = claim(scene, scene.started, "2", member=scene.member, role="member_self")
    third = claim(scene, scene.started, "0.5")
    scene.write("POST", f"/v1/hours-claims/{second['id']}/approve")
    scene.write(
        "POST", f"/v1/hours-claims/{third['id']}/reject", {"reason": "未见签到"}
    )
    every = claims(scene, "organizer_in")
    assert [(i["id"], i["status"]) for i in every["items"]] == [
        (first["id"], "pending"),
        (second["id"], "approved"),
        (third["id"], "rejected"),
    ]
    assert every["next_cursor"] is None
    for status, expected in (
        ("pending", first),
        ("approved", second),
        ("rejected", third),
    ):
        [item] = claims(scene, status=status)["items"]
        assert item["id"] == expected["id"]
    approved = claims(scene, status="approved")["items"][0]
    assert (approved["decided_by"], approved["decided_hours"]) == (
        BOOTSTRAP_ADMIN,
        "2",
    )
    rejected = claims(scene, status="rejected")["items"][0]
    assert (rejected["reason"], rejected["decided_hours"]) == ("未见签到", None)
    elsewhere = scene.read(f"/v1/communities/{scene.other_community}/hours-claims")
    assert elsewhere.json() == {"items": [], "next_cursor": None}
    bad = scene.read(f"/v1/communities/{scene.community}/hours-claims", status="x")
    assert error_fields(problem(bad, 422, "validation_error")) == {"status"}


def test_claims_are_listed_a_page_at_a_time(scene: Scene) -> None:
    made = [claim(scene, scene.started, hours)["id"] for hours in ("1", "1.5", "2")]
    first = claims(scene, limit=2)
    assert [i["id"] for i in first["items"]] == made[:2]
    rest = claims(scene, limit=2, cursor=first["next_cursor"])
    assert [i["id"] for i in rest["items"]] == made[2:]
    assert rest["next_cursor"] is None
    url = f"/v1/communities/{scene.community}/hours-claims"
    bad = scene.read(url, cursor="not-a-cursor")
    assert error_fields(problem(bad, 422, "validation_error")) == {"cursor"}


def test_only_admins_and_organizers_in_scope_list_claims(scene: Scene) -> None:
    url = f"/v1/communities/{scene.community}/hours-claims"
    assert scene.read(url, "admin").status_code == 200
    assert scene.read(url, "organizer_in").status_code == 200
    for role in ("organizer_out", "member_self", "member_other"):
        problem(scene.read(url, role), 403, "forbidden")
    problem(scene.read(url, "anonymous"), 401, "unauthorized")


def test_claims_of_an_unknown_community_are_not_found(scene: Scene) -> None:
    url = f"/v1/communities/{NOWHERE}/hours-claims"
    problem(scene.read(url), 404, "not_found")


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

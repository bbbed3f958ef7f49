"""Hours claims (志愿时长申报) over HTTP: a member claims hours for an activity
it attended (shared/API.md, the organiser's desk). Listing and deciding them
are in ``test_claims_lists`` and ``test_claims_decisions``."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

import pytest

from tests.api.claims_support import claim, claim_url, claims, refused, statement
from tests.api.support import Scene, error_fields, written
from tests.conftest import STORES

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

NOWHERE = str(uuid4())


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

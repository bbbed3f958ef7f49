"""Check-in at the door: the rotating code, scans in and out by the member's
own token, the window they are taken in, and the organiser's confirmation
with the hours worked out by hand from DESIGN's rule (time checked in within
the activity's window, rounded down to a quarter hour)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.auth import BOOTSTRAP_ADMIN
from domain.checkin import DoorList
from tests.api.support import ADMIN, Running, Scene, bearer, problem
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "GET /v1/activities/{activity_id}/checkin-code": (
        "test_a_member_checks_in_and_out_and_the_organiser_confirms_the_hours",
        "test_a_code_is_taken_in_its_half_minute_and_the_next_only",
    ),
    "GET /v1/activities/{activity_id}/checkin-code.svg": (
        "test_the_qr_code_is_an_svg_of_the_check_in_page",
    ),
    "POST /v1/activities/{activity_id}/checkins": (
        "test_a_member_checks_in_and_out_and_the_organiser_confirms_the_hours",
        "test_scans_outside_the_window_or_with_a_wrong_code_are_refused",
        "test_only_a_members_own_token_scans_and_only_organisers_see_the_list",
    ),
    "GET /v1/activities/{activity_id}/checkins": (
        "test_a_member_checks_in_and_out_and_the_organiser_confirms_the_hours",
        "test_only_a_members_own_token_scans_and_only_organisers_see_the_list",
    ),
    "POST /v1/activities/{activity_id}/checkins/confirm": (
        "test_a_member_checks_in_and_out_and_the_organiser_confirms_the_hours",
        "test_confirming_keeps_an_attendance_the_organiser_recorded",
    ),
}


def at(hour: int, minute: int, second: int = 0) -> datetime:
    """A moment of 1 March 2026 in Shanghai."""
    return datetime(2026, 3, 1, hour - 8, minute, second, tzinfo=UTC)


def talk(running: Running, scene: Scene, title: str = "消防演练") -> str:
    """An activity of the scene's team on 1 March, 10:00 to 12:00 in Shanghai."""
    activity = running.system.app.schedule_activity(
        title=title,
        team_id=UUID(scene.team),
        category="安全宣传",
        starts_at=at(10, 0),
        ends_at=at(12, 0),
        actor=BOOTSTRAP_ADMIN,
    )
    return str(activity.id)


def member_token(running: Running, member_id: str) -> dict[str, str]:
    secret = f"vp_test_member_{member_id[:8]}"
    running.system.app.issue_token(
        secret, "member", BOOTSTRAP_ADMIN, member_id=UUID(member_id)
    )
    return bearer(secret)


def code_of(client: TestClient, scene: Scene, activity: str) -> str:
    answer = client.get(
        f"/v1/activities/{activity}/checkin-code", headers=scene.headers("organizer_in")
    )
    assert answer.status_code == 200, answer.text
    found: str = answer.json()["code"]
    return found


def scan(
    client: TestClient, activity: str, code: str, headers: dict[str, str], **extra: Any
) -> Any:
    return client.post(
        f"/v1/activities/{activity}/checkins",
        json={"code": code, **extra},
        headers=headers,
    )


def test_a_member_checks_in_and_out_and_the_organiser_confirms_the_hours(
    running: Running, scene: Scene, clock: Clock
) -> None:
    client = running.client
    activity = talk(running, scene)
    third = running.system.app.register_member(
        "赵强", UUID(scene.community), party_member=True, actor=BOOTSTRAP_ADMIN
    ).id
    third_headers = member_token(running, str(third))
    me, them = scene.headers("member_self"), scene.headers("member_other")

    clock.now = at(9, 31)
    answer = client.get(
        f"/v1/activities/{activity}/checkin-code", headers=scene.headers("organizer_in")
    ).json()
    assert answer["url"].startswith("http://testserver/console/checkin?")
    assert f"activity={activity}" in answer["url"]
    assert answer["valid_until"] == "2026-03-01T01:32:00Z"
    location = {"lat": 39.9, "lng": 119.5, "accuracy": 20}
    checked_in = scan(client, activity, answer["code"], me, location=location)
    assert checked_in.status_code == 201, checked_in.text
    assert checked_in.json()["kind"] == "in"
    assert checked_in.json()["at"] == "2026-03-01T01:31:00Z"
    clock.now = at(9, 31, 50)
    again = scan(client, activity, answer["code"], me)
    assert again.status_code == 200
    assert (again.json()["kind"], again.json()["at"]) == ("in", "2026-03-01T01:31:00Z")

    clock.now = at(10, 0)
    assert scan(
        client, activity, code_of(client, scene, activity), third_headers
    ).is_success
    clock.now = at(10, 10)
    code = code_of(client, scene, activity)
    assert scan(client, activity, code, them).json()["kind"] == "in"
    assert scan(client, activity, code, third_headers).json()["kind"] == "out"
    clock.now = at(11, 5)
    out = scan(client, activity, code_of(client, scene, activity), me)
    assert (out.status_code, out.json()["kind"]) == (201, "out")

    listed = client.get(
        f"/v1/activities/{activity}/checkins", headers=scene.headers("organizer_in")
    ).json()["items"]
    # In at 09:31, counted from the start at 10:00, out at 11:05: 65 minutes,
    # four whole quarters. 赵强: 10 minutes, no whole quarter. 李娜: no out.
    assert [(i["member_id"], i["hours"]) for i in listed] == [
        (scene.member, "1"),
        (str(third), "0"),
        (scene.other_member, None),
    ]
    clock.now = at(12, 30)
    points_before = client.get(
        "/v1/me/points",
        params={"min_position": running.position(), "year": 2026},
        headers=me,
    ).json()["points"]
    confirmed = client.post(
        f"/v1/activities/{activity}/checkins/confirm",
        json={},
        headers=scene.headers("organizer_in"),
    )
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["recorded"] == [
        {"member_id": scene.member, "hours": "1", "points": "10.0"}
    ]
    assert body["missing_checkout"] == [scene.other_member]
    assert body["too_short"] == [str(third)]
    points = client.get(
        "/v1/me/points",
        params={"min_position": body["position"], "year": 2026},
        headers=me,
    ).json()
    assert float(points["points"]) == float(points_before) + 10
    again = client.post(
        f"/v1/activities/{activity}/checkins/confirm",
        json={},
        headers=scene.headers("organizer_in"),
    ).json()
    assert again["recorded"] == []
    assert again["missing_checkout"] == [scene.other_member]

    door = running.system.app.door_list(UUID(activity))
    assert door is not None
    scans = list(running.system.app.events.get(DoorList.create_id(UUID(activity))))
    first = next(e for e in scans if isinstance(e, DoorList.CheckedIn))
    assert first.location == location
    assert len(first.device) == 64


def test_a_code_is_taken_in_its_half_minute_and_the_next_only(
    running: Running, scene: Scene, clock: Clock
) -> None:
    client = running.client
    activity = talk(running, scene)
    clock.now = at(10, 0, 5)
    code = code_of(client, scene, activity)
    clock.now = at(10, 0, 59)
    assert scan(client, activity, code, scene.headers("member_self")).status_code == 201
    clock.now = at(10, 1, 0)
    problem(
        scan(client, activity, code, scene.headers("member_other")), 409, "code_expired"
    )


def test_the_qr_code_is_an_svg_of_the_check_in_page(
    running: Running, scene: Scene, clock: Clock
) -> None:
    activity = talk(running, scene)
    answer = running.client.get(
        f"/v1/activities/{activity}/checkin-code.svg",
        headers=scene.headers("organizer_in"),
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert answer.text.lstrip().startswith("<?xml") or "<svg" in answer.text[:200]
    assert answer.headers["cache-control"] == "no-store"


def tampered(code: str) -> str:
    """The code with one bit of its MAC flipped (replacing its last letters
    could leave the bytes they encode as they were)."""
    raw = bytearray(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4)))
    raw[-1] ^= 1
    return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")


def test_scans_outside_the_window_or_with_a_wrong_code_are_refused(
    running: Running, scene: Scene, clock: Clock
) -> None:
    client = running.client
    activity, other = talk(running, scene), talk(running, scene, "另一个活动")
    me = scene.headers("member_self")
    before = running.position()
    clock.now = at(9, 29, 59)
    problem(
        scan(client, activity, code_of(client, scene, activity), me),
        409,
        "checkin_not_open",
    )
    clock.now = at(12, 0, 1)
    problem(
        scan(client, activity, code_of(client, scene, activity), me),
        409,
        "checkin_not_open",
    )
    clock.now = at(10, 0)
    problem(
        scan(client, activity, code_of(client, scene, other), me), 422, "wrong_activity"
    )
    for bad in ("garbage", "A" * 48, tampered(code_of(client, scene, activity))):
        problem(scan(client, activity, bad, me), 422, "invalid_checkin_code")
    bad_location = {"lat": 200, "lng": 0, "accuracy": 1}
    answer = scan(
        client, activity, code_of(client, scene, activity), me, location=bad_location
    )
    problem(answer, 422, "validation_error")
    missing = f"/v1/activities/{scene.community}/checkins"
    problem(client.post(missing, json={"code": "x"}, headers=me), 404, "not_found")
    assert running.position() == before
    assert scan(client, activity, code_of(client, scene, activity), me).is_success
    clock.now = at(10, 5)
    assert scan(client, activity, code_of(client, scene, activity), me).is_success
    clock.now = at(10, 7)
    problem(
        scan(client, activity, code_of(client, scene, activity), me),
        409,
        "already_checked_out",
    )
    client.post(
        f"/v1/activities/{other}/cancel", json={"reason": "下雨"}, headers=ADMIN
    )
    problem(
        scan(client, other, code_of(client, scene, other), me),
        409,
        "activity_cancelled",
    )


def test_only_a_members_own_token_scans_and_only_organisers_see_the_list(
    running: Running, scene: Scene, clock: Clock
) -> None:
    client = running.client
    activity = talk(running, scene)
    clock.now = at(10, 0)
    code = code_of(client, scene, activity)
    for role in ("admin", "organizer_in", "organizer_out"):
        problem(scan(client, activity, code, scene.headers(role)), 403, "forbidden")
    problem(scan(client, activity, code, {}), 401, "unauthorized")
    for role in ("member_self", "organizer_out"):
        listed = client.get(
            f"/v1/activities/{activity}/checkins", headers=scene.headers(role)
        )
        problem(listed, 403, "forbidden")
        shown = client.get(
            f"/v1/activities/{activity}/checkin-code", headers=scene.headers(role)
        )
        problem(shown, 403, "forbidden")


def test_confirming_keeps_an_attendance_the_organiser_recorded(
    running: Running, scene: Scene, clock: Clock
) -> None:
    client = running.client
    activity = talk(running, scene)
    me = scene.headers("member_self")
    clock.now = at(10, 0)
    scan(client, activity, code_of(client, scene, activity), me)
    clock.now = at(11, 0)
    scan(client, activity, code_of(client, scene, activity), me)
    recorded = client.post(
        f"/v1/activities/{activity}/attendance",
        json={"records": [{"member_id": scene.member, "hours": "2"}]},
        headers=ADMIN,
    )
    assert recorded.is_success, recorded.text
    confirmed = client.post(
        f"/v1/activities/{activity}/checkins/confirm", json={}, headers=ADMIN
    ).json()
    assert confirmed["recorded"] == []
    attendances = client.get(
        f"/v1/activities/{activity}/attendances",
        params={"min_position": confirmed["position"]},
        headers=ADMIN,
    ).json()["items"]
    assert [(a["member_id"], a["hours"]) for a in attendances] == [(scene.member, "2")]

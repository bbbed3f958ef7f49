"""The v1 endpoints of sign-ups and attendance, called over HTTP."""

from __future__ import annotations

import pytest

from tests.api.support import (
    ADMIN,
    MEMORY_AND_SQLITE,
    NOWHERE,
    YEAR,
    Scene,
    activity_body,
    error_fields,
    problem,
    written,
)

pytestmark = MEMORY_AND_SQLITE


# Sign-ups.


def test_signing_up_answers_201_then_200_when_already_signed_up(scene: Scene) -> None:
    url = f"/v1/activities/{scene.upcoming}/signups"
    me = scene.headers("member_self")
    body = {"member_id": scene.member}
    first = written(scene.client.post(url, json=body, headers=me), 201)
    assert first == {
        "activity_id": scene.upcoming,
        "member_id": scene.member,
        "signed_up": True,
        "position": first["position"],
    }
    written(scene.client.post(url, json=body, headers=me), 200)
    scene.position = first["position"]
    assert scene.read(f"/v1/activities/{scene.upcoming}").json()["signups"] == 1


def test_signing_up_at_capacity_is_activity_full(scene: Scene) -> None:
    body = activity_body(scene.team, "2026-03-08", capacity=1)
    activity = scene.write("POST", "/v1/activities", body)["id"]
    url = f"/v1/activities/{activity}/signups"
    scene.write("POST", url, {"member_id": scene.member})
    response = scene.client.post(
        url, json={"member_id": scene.other_member}, headers=ADMIN
    )
    problem(response, 409, "activity_full")


def test_signing_up_after_the_start_is_activity_started(scene: Scene) -> None:
    response = scene.client.post(
        f"/v1/activities/{scene.started}/signups",
        json={"member_id": scene.other_member},
        headers=ADMIN,
    )
    problem(response, 409, "activity_started")


def test_withdrawing_a_signup_answers_200_and_frees_the_place(scene: Scene) -> None:
    url = f"/v1/activities/{scene.signed_up}/signups/{scene.member}"
    answer = scene.write("DELETE", url, role="member_self")
    assert answer["signed_up"] is False
    assert scene.read(f"/v1/activities/{scene.signed_up}").json()["signups"] == 0


# Attendance.


def test_recording_attendance_counts_recorded_unchanged_and_corrected(
    scene: Scene,
) -> None:
    url = f"/v1/activities/{scene.started}/attendance"
    records = [
        {"member_id": scene.member, "hours": "2"},
        {"member_id": scene.other_member, "hours": "2.5"},
    ]
    answer = written(
        scene.client.post(url, json={"records": records}, headers=ADMIN), 200
    )
    assert answer == {
        "activity_id": scene.started,
        "recorded": 1,
        "unchanged": 1,
        "corrected": 0,
        "position": answer["position"],
    }
    correction = {
        "records": [{"member_id": scene.member, "hours": "1.5"}],
        "reason": "提前离场",
    }
    answer = scene.write("POST", url, correction)
    assert (answer["recorded"], answer["unchanged"], answer["corrected"]) == (0, 0, 1)
    item = scene.read(f"/v1/members/{scene.member}/statement", **YEAR).json()["items"]
    assert [(i["hours"], i["points"], i["status"], i["reason"]) for i in item] == [
        ("1.5", "15.0", "corrected", "提前离场")
    ]


def test_attendance_before_the_start_is_activity_not_started(scene: Scene) -> None:
    response = scene.client.post(
        f"/v1/activities/{scene.upcoming}/attendance",
        json={"records": [{"member_id": scene.member, "hours": "1"}]},
        headers=ADMIN,
    )
    problem(response, 409, "activity_not_started")


@pytest.mark.parametrize("hours", ["0", "-1", "0.3", "2.75", "2.5000000001"])
def test_attendance_with_bad_hours_is_invalid_hours(scene: Scene, hours: str) -> None:
    before = scene.position
    response = scene.client.post(
        f"/v1/activities/{scene.started}/attendance",
        json={"records": [{"member_id": scene.other_member, "hours": hours}]},
        headers=ADMIN,
    )
    assert error_fields(problem(response, 422, "invalid_hours")) == {"hours"}
    assert scene.client.get("/healthz").json()["position"] == before


def test_attendance_of_an_unknown_member_is_an_unknown_reference(
    scene: Scene,
) -> None:
    response = scene.client.post(
        f"/v1/activities/{scene.started}/attendance",
        json={"records": [{"member_id": NOWHERE, "hours": "1"}]},
        headers=ADMIN,
    )
    assert error_fields(problem(response, 422, "unknown_reference")) == {"member_id"}


def test_attendance_of_an_unknown_activity_is_not_found(scene: Scene) -> None:
    response = scene.client.post(
        f"/v1/activities/{NOWHERE}/attendance",
        json={"records": [{"member_id": scene.member, "hours": "1"}]},
        headers=ADMIN,
    )
    problem(response, 404, "not_found")


def test_up_to_500_attendance_records_are_accepted_at_once(scene: Scene) -> None:
    records = [{"member_id": scene.other_member, "hours": "1"}] * 500
    answer = scene.write(
        "POST", f"/v1/activities/{scene.started}/attendance", {"records": records}
    )
    assert (answer["recorded"], answer["unchanged"]) == (1, 499)


@pytest.mark.parametrize("count", [0, 501])
def test_no_records_or_more_than_500_are_a_validation_error_naming_records(
    scene: Scene, count: int
) -> None:
    records = [{"member_id": scene.other_member, "hours": "1"}] * count
    response = scene.client.post(
        f"/v1/activities/{scene.started}/attendance",
        json={"records": records},
        headers=ADMIN,
    )
    assert error_fields(problem(response, 422, "validation_error")) == {"records"}


def test_revoking_an_attendance_keeps_it_in_the_statement_at_zero_points(
    scene: Scene,
) -> None:
    url = f"/v1/activities/{scene.started}/attendance/{scene.member}/revoke"
    answer = scene.write("POST", url, {"reason": "登记错误"})
    assert answer | {"position": None} == {
        "activity_id": scene.started,
        "member_id": scene.member,
        "status": "revoked",
        "reason": "登记错误",
        "position": None,
    }
    statement = scene.read(f"/v1/members/{scene.member}/statement", **YEAR).json()
    assert [(i["points"], i["status"], i["reason"]) for i in statement["items"]] == [
        ("0.0", "revoked", "登记错误")
    ]
    assert statement["points"] == "0.0"


def test_revoking_an_attendance_that_was_never_recorded_is_not_found(
    scene: Scene,
) -> None:
    url = f"/v1/activities/{scene.started}/attendance/{scene.other_member}/revoke"
    response = scene.client.post(url, json={"reason": "登记错误"}, headers=ADMIN)
    problem(response, 404, "not_found")


def test_an_attendance_recorded_again_after_its_revocation_keeps_both_recordings(
    scene: Scene,
) -> None:
    """Recorded (2 h, in the scene), corrected to 2.5 h, revoked, recorded again
    at 1 h: the statement's item, the member's history and the account show
    each step once, in order."""
    records = f"/v1/activities/{scene.started}/attendance"
    scene.write(
        "POST", records, {"records": [{"member_id": scene.member, "hours": "2.5"}]}
    )
    scene.write("POST", f"{records}/{scene.member}/revoke", {"reason": "登记错误"})
    again = {"records": [{"member_id": scene.member, "hours": "1"}]}
    scene.position = scene.write("POST", records, again)["position"]

    statement = scene.read(f"/v1/members/{scene.member}/statement", **YEAR).json()
    [item] = statement["items"]
    assert (item["hours"], item["points"], item["status"]) == ("1", "10.0", "recorded")
    steps = [(h["type"], h["hours"], h["previous_hours"]) for h in item["history"]]
    assert steps == [
        ("AttendanceRecorded", "2", None),
        ("AttendanceCorrected", "2.5", "2"),
        ("AttendanceRevoked", "2.5", None),
        ("AttendanceRecorded", "1", None),
    ]

    history = scene.read(f"/v1/members/{scene.member}/history").json()["items"]
    attendance = [
        (h["type"], h["details"]["hours"])
        for h in history
        if h["details"].get("activity_id") == scene.started
    ]
    assert attendance == [
        ("AttendanceRecorded", "2"),
        ("AttendanceCorrected", "2.5"),
        ("AttendanceRevoked", "2.5"),
        ("AttendanceRecorded", "1"),
    ]
    positions = [h["position"] for h in history]
    assert positions == sorted(positions)

    account = scene.read(f"/v1/members/{scene.member}/account").json()
    earned = [(e["type"], e["points"]) for e in account["entries"]]
    assert earned == [
        ("earned", "20.0"),
        ("corrected", "5.0"),
        ("revoked", "-25.0"),
        ("earned", "10.0"),
    ]

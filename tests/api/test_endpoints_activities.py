"""The v1 endpoints of activities: scheduling, reading, cancelling and
closing, called over HTTP."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

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


# Activities.


def test_scheduling_an_activity_answers_201_with_its_window_and_status(
    scene: Scene,
) -> None:
    body = activity_body(scene.team, "2026-03-07", capacity=20, fixed_points="5")
    answer = written(scene.client.post("/v1/activities", json=body, headers=ADMIN))
    assert UUID(answer["id"])
    assert answer | {"id": None, "position": None} == {
        "id": None,
        "position": None,
        "title": "垃圾分类宣传",
        "team_id": scene.team,
        "community_id": scene.community,
        "category": "环境保护",
        "starts_at": "2026-03-07T01:00:00+00:00",
        "ends_at": "2026-03-07T03:30:00+00:00",
        "status": "scheduled",
    }


def test_scheduling_an_activity_of_an_unknown_team_is_an_unknown_reference(
    client: TestClient,
) -> None:
    response = client.post(
        "/v1/activities", json=activity_body(NOWHERE, "2026-03-07"), headers=ADMIN
    )
    assert error_fields(problem(response, 422, "unknown_reference")) == {"team_id"}


def test_an_activity_that_does_not_end_after_it_starts_is_a_validation_error(
    scene: Scene,
) -> None:
    body = activity_body(scene.team, "2026-03-07", ends_at="2026-03-07T09:00:00+08:00")
    response = scene.client.post("/v1/activities", json=body, headers=ADMIN)
    assert error_fields(problem(response, 422, "validation_error")) == {"ends_at"}


def test_an_activity_with_two_points_rules_is_a_validation_error(
    scene: Scene,
) -> None:
    body = activity_body(
        scene.team, "2026-03-07", points_per_hour="10", fixed_points="5"
    )
    response = scene.client.post("/v1/activities", json=body, headers=ADMIN)
    assert error_fields(problem(response, 422, "validation_error")) == {"fixed_points"}


def test_an_activity_time_without_an_offset_is_a_validation_error(
    scene: Scene,
) -> None:
    body = activity_body(scene.team, "2026-03-07", starts_at="2026-03-07T09:00:00")
    response = scene.client.post("/v1/activities", json=body, headers=ADMIN)
    assert error_fields(problem(response, 422, "validation_error")) == {"starts_at"}


def test_a_number_is_not_an_activity_time(scene: Scene) -> None:
    body = activity_body(scene.team, "2026-03-07", starts_at=1772845200)
    response = scene.client.post("/v1/activities", json=body, headers=ADMIN)
    assert error_fields(problem(response, 422, "validation_error")) == {"starts_at"}


def test_an_activity_time_shanghai_cannot_tell_is_a_validation_error(
    scene: Scene,
) -> None:
    body = activity_body(
        scene.team,
        "2026-03-07",
        starts_at="9999-12-31T20:00:00+00:00",
        ends_at="9999-12-31T21:00:00+00:00",
    )
    response = scene.client.post("/v1/activities", json=body, headers=ADMIN)
    problem(response, 422, "validation_error")
    assert scene.read("/v1/stats").status_code == 200


def test_an_activity_shows_its_status_and_counts(scene: Scene) -> None:
    record = scene.read(f"/v1/activities/{scene.signed_up}").json()
    assert record == {
        "id": scene.signed_up,
        "title": "义诊进社区",
        "team_id": scene.team,
        "community_id": scene.community,
        "category": "环境保护",
        "starts_at": "2026-03-06T01:00:00+00:00",
        "ends_at": "2026-03-06T03:30:00+00:00",
        "date": "2026-03-06",
        "location": "社区党群服务中心",
        "status": "scheduled",
        "capacity": None,
        "signups": 1,
        "attendances": 0,
    }
    assert scene.read(f"/v1/activities/{scene.started}").json()["attendances"] == 1


def test_an_unknown_activity_is_not_found(scene: Scene) -> None:
    problem(scene.read(f"/v1/activities/{NOWHERE}"), 404, "not_found")


def test_activities_can_be_filtered_by_team_community_and_window(
    scene: Scene,
) -> None:
    def titles(**params: Any) -> list[str]:
        page = scene.read("/v1/activities", **params).json()
        assert page["next_cursor"] is None
        return [item["title"] for item in page["items"]]

    everything = ["政策宣讲", "垃圾分类宣传", "义诊进社区"]
    assert titles() == everything
    assert titles(team_id=scene.team) == everything
    assert titles(community_id=scene.community) == everything
    assert titles(community_id=scene.other_community) == []
    window = {"from": "2026-03-02T00:00:00+08:00", "to": "2026-03-06T00:00:00+08:00"}
    assert titles(**window) == ["垃圾分类宣传"]


@pytest.mark.parametrize(
    "moment", ["0.5", "1772845200", "2026-03-01", "0001-01-01T00:00:00+00:01"]
)
def test_an_activity_window_must_be_iso_8601_times(scene: Scene, moment: str) -> None:
    response = scene.read("/v1/activities", **{"from": moment})
    assert error_fields(problem(response, 422, "validation_error")) == {"from"}


# Cancelling and closing.


def test_cancelling_an_activity_answers_200_and_again_is_already_cancelled(
    scene: Scene,
) -> None:
    url = f"/v1/activities/{scene.upcoming}/cancel"
    answer = written(
        scene.client.post(url, json={"reason": "暴雨"}, headers=ADMIN), 200
    )
    assert answer["status"] == "cancelled"
    again = scene.client.post(url, json={"reason": "暴雨"}, headers=ADMIN)
    problem(again, 409, "already_cancelled")
    scene.position = answer["position"]
    record = scene.read(f"/v1/activities/{scene.upcoming}").json()
    assert record["status"] == "cancelled"


def test_cancelling_an_activity_revokes_its_points_with_the_reason(
    scene: Scene,
) -> None:
    scene.write("POST", f"/v1/activities/{scene.started}/cancel", {"reason": "暴雨"})
    statement = scene.read(f"/v1/members/{scene.member}/statement", **YEAR).json()
    assert [(i["points"], i["status"], i["reason"]) for i in statement["items"]] == [
        ("0.0", "cancelled", "暴雨")
    ]


def test_attendance_of_a_cancelled_activity_is_activity_cancelled(
    scene: Scene,
) -> None:
    scene.write("POST", f"/v1/activities/{scene.started}/cancel", {"reason": "暴雨"})
    response = scene.client.post(
        f"/v1/activities/{scene.started}/attendance",
        json={"records": [{"member_id": scene.member, "hours": "1"}]},
        headers=ADMIN,
    )
    problem(response, 409, "activity_cancelled")


def test_closing_an_activity_answers_200_and_then_attendance_is_activity_closed(
    scene: Scene,
) -> None:
    answer = written(
        scene.client.post(f"/v1/activities/{scene.started}/close", headers=ADMIN), 200
    )
    assert answer == {
        "id": scene.started,
        "status": "closed",
        "position": answer["position"],
    }
    response = scene.client.post(
        f"/v1/activities/{scene.started}/attendance",
        json={"records": [{"member_id": scene.other_member, "hours": "1"}]},
        headers=ADMIN,
    )
    problem(response, 409, "activity_closed")


def test_closing_an_activity_before_it_starts_is_activity_not_started(
    scene: Scene,
) -> None:
    response = scene.client.post(
        f"/v1/activities/{scene.upcoming}/close", headers=ADMIN
    )
    problem(response, 409, "activity_not_started")

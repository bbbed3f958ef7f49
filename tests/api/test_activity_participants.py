"""An activity's attendances and sign-ups as plain lists (API.md, additions
1.2, reads at scale): what the console shows, without rebuilding it from the
activity's history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from domain.application import VolunteerPoints
from tests.api.support import Scene, error_fields, problem
from tests.conftest import STORES

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "GET /v1/activities/{activity_id}/attendances": (
        "test_attendances_stand_as_recorded_corrected_and_revoked",
        "test_a_cancelled_activitys_attendances_count_no_points",
        "test_an_activitys_lists_are_read_by_admins_and_organizers_in_scope_only",
        "test_an_unknown_activitys_lists_are_not_found",
        "test_pages_of_attendances_hold_each_attendance_once_in_recorded_order",
        "test_a_page_of_attendances_is_bounded_and_its_cursor_is_the_servers",
        "test_attendances_reflect_the_write_whose_position_they_wait_for",
    ),
    "GET /v1/activities/{activity_id}/signups": (
        "test_signups_list_who_is_signed_up_now",
        "test_an_activitys_lists_are_read_by_admins_and_organizers_in_scope_only",
        "test_an_unknown_activitys_lists_are_not_found",
        "test_pages_of_signups_hold_each_signup_once",
    ),
}

every_store = pytest.mark.parametrize("database_url", STORES, indirect=True)


def attendances(scene: Scene, activity: str, **params: Any) -> dict[str, Any]:
    response = scene.read(f"/v1/activities/{activity}/attendances", **params)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def walk(scene: Scene, url: str, limit: int) -> list[dict[str, Any]]:
    """Every item of a list, following next_cursor a page of ``limit`` at a time."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = scene.read(url, **params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= limit
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def register(app: VolunteerPoints, scene: Scene, count: int) -> list[UUID]:
    community = UUID(scene.community)
    return [
        app.register_member(f"志愿者{n}", community, False, BOOTSTRAP_ADMIN).id
        for n in range(count)
    ]


@every_store
def test_attendances_stand_as_recorded_corrected_and_revoked(scene: Scene) -> None:
    url = f"/v1/activities/{scene.started}/attendance"
    scene.write(
        "POST", url, {"records": [{"member_id": scene.other_member, "hours": "1"}]}
    )
    correction = {"records": [{"member_id": scene.member, "hours": "2.5"}]}
    scene.write("POST", url, correction | {"reason": "补记半小时"})
    scene.write("POST", f"{url}/{scene.other_member}/revoke", {"reason": "重复登记"})

    answer = attendances(scene, scene.started)

    history = scene.read(f"/v1/activities/{scene.started}/history").json()["items"]
    recorded_at = [
        h["recorded_at"] for h in history if h["type"] == "AttendanceRecorded"
    ]
    assert answer == {
        "items": [
            {
                "member_id": scene.member,
                "name": "王芳",
                "hours": "2.5",
                "points": "25.0",
                "status": "corrected",
                "recorded_by": BOOTSTRAP_ADMIN,
                "recorded_at": recorded_at[0],
                "reason": "补记半小时",
            },
            {
                "member_id": scene.other_member,
                "name": "李娜",
                "hours": "1",
                "points": "0.0",
                "status": "revoked",
                "recorded_by": BOOTSTRAP_ADMIN,
                "recorded_at": recorded_at[1],
                "reason": "重复登记",
            },
        ],
        "next_cursor": None,
    }


@every_store
def test_a_cancelled_activitys_attendances_count_no_points(scene: Scene) -> None:
    scene.write("POST", f"/v1/activities/{scene.started}/cancel", {"reason": "暴雨"})

    [item] = attendances(scene, scene.started)["items"]

    assert (item["status"], item["points"], item["hours"]) == ("cancelled", "0.0", "2")
    assert item["reason"] == "暴雨"


# Each list and an activity of the scene with the member in it.
LISTS = [("attendances", "started"), ("signups", "signed_up")]
READERS = [
    ("admin", 200),
    ("organizer_in", 200),
    ("organizer_out", 403),
    ("member_self", 403),
    ("member_other", 403),
    ("anonymous", 401),
]


@pytest.mark.parametrize(("listing", "activity"), LISTS)
@pytest.mark.parametrize(("role", "status"), READERS)
def test_an_activitys_lists_are_read_by_admins_and_organizers_in_scope_only(
    scene: Scene, listing: str, activity: str, role: str, status: int
) -> None:
    url = f"/v1/activities/{getattr(scene, activity)}/{listing}"
    response = scene.read(url, role=role)
    assert response.status_code == status, response.text
    if status == 200:
        assert [i["member_id"] for i in response.json()["items"]] == [scene.member]
    else:
        problem(response, status, "unauthorized" if status == 401 else "forbidden")


@pytest.mark.parametrize("listing", ["attendances", "signups"])
@pytest.mark.parametrize("role", ["admin", "organizer_out"])
def test_an_unknown_activitys_lists_are_not_found(
    scene: Scene, listing: str, role: str
) -> None:
    response = scene.read(f"/v1/activities/{uuid4()}/{listing}", role=role)
    problem(response, 404, "not_found")


@every_store
def test_pages_of_attendances_hold_each_attendance_once_in_recorded_order(
    scene: Scene, system: System
) -> None:
    app, activity = system.app, UUID(scene.started)
    members = register(app, scene, 7)
    app.record_attendance(activity, [(m, Decimal(1)) for m in members[:4]], "甲")
    app.record_attendance(activity, [(m, Decimal(2)) for m in members[4:]], "乙")
    scene.position = app.position()
    url = f"/v1/activities/{scene.started}/attendances"

    walked = walk(scene, url, limit=3)

    everyone = attendances(scene, scene.started, limit=500)["items"]
    assert walked == everyone
    assert len({i["member_id"] for i in walked}) == len(walked) == 8
    order = [(i["recorded_at"], i["member_id"]) for i in walked]
    assert order == sorted(order)
    recorders = [i["recorded_by"] for i in walked]
    assert recorders == [BOOTSTRAP_ADMIN, *["甲"] * 4, *["乙"] * 3]
    assert attendances(scene, scene.started)["next_cursor"] is None


def test_a_page_of_attendances_is_bounded_and_its_cursor_is_the_servers(
    scene: Scene,
) -> None:
    url = f"/v1/activities/{scene.started}/attendances"
    for limit in (0, 501):
        response = scene.read(url, limit=limit)
        assert error_fields(problem(response, 422, "validation_error")) == {"limit"}
    response = scene.read(url, cursor="bm90IG1pbmU")
    assert error_fields(problem(response, 422, "validation_error")) == {"cursor"}


@every_store
def test_attendances_reflect_the_write_whose_position_they_wait_for(
    scene: Scene,
) -> None:
    url = f"/v1/activities/{scene.started}/attendance"
    body = {"records": [{"member_id": scene.other_member, "hours": "1.5"}]}
    answer = scene.write("POST", url, body)

    listed = attendances(scene, scene.started, min_position=answer["position"])

    assert [i["hours"] for i in listed["items"]] == ["2", "1.5"]
    beyond = scene.read(
        f"/v1/activities/{scene.started}/attendances",
        min_position=answer["position"] + 1000,
    )
    problem(beyond, 422, "unknown_position")


@every_store
def test_signups_list_who_is_signed_up_now(scene: Scene) -> None:
    url = f"/v1/activities/{scene.signed_up}/signups"
    scene.write("POST", url, {"member_id": scene.other_member})
    scene.write("DELETE", f"{url}/{scene.member}")
    scene.write("POST", url, {"member_id": scene.member})

    answer = scene.read(url).json()

    assert [(i["member_id"], i["name"]) for i in answer["items"]] == [
        (scene.other_member, "李娜"),
        (scene.member, "王芳"),
    ]
    assert answer["next_cursor"] is None
    history = scene.read(f"/v1/activities/{scene.signed_up}/history").json()["items"]
    signed_up = [h["recorded_at"] for h in history if h["type"] == "SignedUp"]
    assert [i["signed_up_at"] for i in answer["items"]] == signed_up[1:]
    assert scene.read(f"/v1/activities/{scene.upcoming}/signups").json() == {
        "items": [],
        "next_cursor": None,
    }


@every_store
def test_pages_of_signups_hold_each_signup_once(scene: Scene, system: System) -> None:
    app, activity = system.app, UUID(scene.signed_up)
    for member in register(app, scene, 5):
        app.sign_up(activity, member, BOOTSTRAP_ADMIN)
    scene.position = app.position()

    walked = walk(scene, f"/v1/activities/{scene.signed_up}/signups", limit=2)

    assert len({i["member_id"] for i in walked}) == len(walked) == 6
    assert [i["name"] for i in walked] == ["王芳"] + [f"志愿者{n}" for n in range(5)]

"""Moving a member to another community and deregistering one, on a date,
over HTTP; a deregistered member cannot be named by a write."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from tests.api.lifecycle_support import figures, member_record, refused
from tests.api.support import Scene, error_fields
from tests.conftest import Clock

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

NOWHERE = str(uuid4())


# Moving.


def test_moving_a_member_counts_it_in_the_new_community_from_moved_on(
    scene: Scene, summer: Clock
) -> None:
    url = f"/v1/members/{scene.member}/move"
    body = {"community_id": scene.other_community, "moved_on": "2026-05-01"}
    answer = scene.write("POST", url, body)
    assert answer | {"position": None} == {
        "position": None,
        "id": scene.member,
        "community_id": scene.other_community,
        "moved_on": "2026-05-01",
    }
    record = member_record(scene, scene.member)
    assert (record["community_id"], record["grid"], record["grid_id"]) == (
        scene.other_community,
        None,
        None,
    )
    assert figures(scene, scene.other_community, "2026-04-30")["members"] == 0
    assert figures(scene, scene.other_community, "2026-05-01")["members"] == 1
    assert figures(scene, scene.community, "2026-04-30")["members"] == 2
    assert figures(scene, scene.community, "2026-05-01")["members"] == 1


def test_a_move_without_a_date_takes_effect_today(scene: Scene, summer: Clock) -> None:
    url = f"/v1/members/{scene.member}/move"
    answer = scene.write("POST", url, {"community_id": scene.other_community})
    assert answer["moved_on"] == "2026-06-01"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("organizer_in", 200),
        ("organizer_out", 200),
        ("elsewhere", 403),
        ("member_self", 403),
    ],
)
def test_organizers_of_either_community_may_move_a_member(
    scene: Scene, system: System, role: str, status: int
) -> None:
    elsewhere = system.app.register_community("新华社区", None, BOOTSTRAP_ADMIN).id
    system.app.issue_token(
        "vp_test_elsewhere", "organizer", BOOTSTRAP_ADMIN, community_ids=[elsewhere]
    )
    scene.tokens["elsewhere"] = "vp_test_elsewhere"
    url = f"/v1/members/{scene.member}/move"
    body = {"community_id": scene.other_community}
    if status == 200:
        scene.write("POST", url, body, role=role)
    else:
        refused(scene, system, "POST", url, body, status, "forbidden", role)


@pytest.mark.parametrize(
    ("moved_on", "code"),
    [
        ("2026-02-28", "date_out_of_order"),
        ("2026-06-02", "future_date"),
        ("01/05/2026", "validation_error"),
    ],
)
def test_a_move_before_the_registration_or_in_the_future_is_refused(
    scene: Scene, system: System, summer: Clock, moved_on: str, code: str
) -> None:
    url = f"/v1/members/{scene.member}/move"
    body = {"community_id": scene.other_community, "moved_on": moved_on}
    answer = refused(scene, system, "POST", url, body, 422, code)
    assert error_fields(answer) == {"moved_on"}


def test_a_move_to_an_unknown_community_is_an_unknown_reference(
    scene: Scene, system: System
) -> None:
    url = f"/v1/members/{scene.member}/move"
    body = {"community_id": NOWHERE}
    answer = refused(scene, system, "POST", url, body, 422, "unknown_reference")
    assert error_fields(answer) == {"community_id"}
    refused(scene, system, "POST", url, body, 403, "forbidden", "organizer_out")


# Deregistering.


def test_a_deregistered_member_drops_out_from_its_left_on(
    scene: Scene, summer: Clock
) -> None:
    url = f"/v1/members/{scene.member}/deregister"
    body = {"reason": "迁出本市", "left_on": "2026-04-15"}
    answer = scene.write("POST", url, body, role="organizer_in")
    assert answer | {"position": None} == {
        "position": None,
        "id": scene.member,
        "left_on": "2026-04-15",
        "reason": "迁出本市",
    }
    record = member_record(scene, scene.member)
    assert (record["status"], record["left_on"]) == ("deregistered", "2026-04-15")
    assert figures(scene, scene.community, "2026-04-14")["members"] == 2
    assert figures(scene, scene.community, "2026-04-15")["members"] == 1


WRITES_NAMING_THE_MEMBER = [
    ("PATCH", "/v1/members/{member}", {"name": "王"}),
    ("POST", "/v1/members/{member}/move", {"community_id": "{other_community}"}),
    (
        "POST",
        "/v1/members/{member}/double-report",
        {"community_id": "{community}"},
    ),
    ("POST", "/v1/members/{member}/deregister", {"reason": "重复注销"}),
    ("POST", "/v1/teams/{team}/members", {"member_id": "{member}"}),
    ("POST", "/v1/activities/{upcoming}/signups", {"member_id": "{member}"}),
    (
        "POST",
        "/v1/activities/{started}/attendance",
        {"records": [{"member_id": "{member}", "hours": "1"}]},
    ),
]


def filled(template: Any, scene: Scene, member: str) -> Any:
    places = {
        "member": member,
        "community": scene.community,
        "other_community": scene.other_community,
        "team": scene.team,
        "upcoming": scene.upcoming,
        "started": scene.started,
    }
    if isinstance(template, str):
        return template.format(**places)
    if isinstance(template, dict):
        return {k: filled(v, scene, member) for k, v in template.items()}
    if isinstance(template, list):
        return [filled(v, scene, member) for v in template]
    return template


@pytest.mark.parametrize(("method", "url", "body"), WRITES_NAMING_THE_MEMBER)
def test_writes_naming_a_deregistered_member_are_member_deregistered(
    scene: Scene, system: System, method: str, url: str, body: Any
) -> None:
    member = scene.other_member
    scene.write("POST", f"/v1/members/{member}/deregister", {"reason": "迁出本市"})
    path, payload = filled(url, scene, member), filled(body, scene, member)
    refused(scene, system, method, path, payload, 409, "member_deregistered")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"reason": "迁出本市", "left_on": "2026-02-28"}, 422, "date_out_of_order"),
        ({"reason": "迁出本市", "left_on": "2026-03-02"}, 422, "future_date"),
        ({"left_on": "2026-03-01"}, 422, "validation_error"),
    ],
)
def test_deregistering_before_the_registration_is_date_out_of_order(
    scene: Scene, system: System, body: dict[str, Any], status: int, code: str
) -> None:
    url = f"/v1/members/{scene.member}/deregister"
    refused(scene, system, "POST", url, body, status, code)


def test_only_organizers_of_the_members_community_deregister_it(
    scene: Scene, system: System
) -> None:
    url = f"/v1/members/{scene.member}/deregister"
    body = {"reason": "迁出本市"}
    for role in ("organizer_out", "member_self"):
        refused(scene, system, "POST", url, body, 403, "forbidden", role)

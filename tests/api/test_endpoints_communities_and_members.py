"""The v1 endpoints of communities, units and members, called over HTTP."""

from __future__ import annotations

from uuid import UUID

from fastapi.testclient import TestClient

from tests.api.support import (
    ADMIN,
    MEMORY_AND_SQLITE,
    NOWHERE,
    YEAR,
    Scene,
    error_fields,
    problem,
    written,
)

pytestmark = MEMORY_AND_SQLITE


# Communities and units.


def test_creating_a_community_answers_201_with_its_id_name_and_position(
    client: TestClient,
) -> None:
    body = written(
        client.post(
            "/v1/communities",
            json={"name": " 幸福里社区 ", "street": "东风街道"},
            headers=ADMIN,
        )
    )
    assert UUID(body["id"])
    assert body["name"] == "幸福里社区"
    assert body["street"] == "东风街道"


def test_a_community_without_a_name_is_a_validation_error_naming_the_field(
    client: TestClient,
) -> None:
    response = client.post(
        "/v1/communities", json={"street": "东风街道"}, headers=ADMIN
    )
    assert error_fields(problem(response, 422, "validation_error")) == {"name"}


def test_creating_a_unit_answers_201_with_its_id_and_name(client: TestClient) -> None:
    body = written(
        client.post("/v1/units", json={"name": "区教育局机关党委"}, headers=ADMIN)
    )
    assert set(body) == {"id", "name", "position"}
    assert body["name"] == "区教育局机关党委"


def test_double_reporting_a_unit_answers_201_and_counts_among_units_reported(
    scene: Scene,
) -> None:
    body = {"community_id": scene.community, "reported_on": "2026-03-01"}
    answer = scene.write("POST", f"/v1/units/{scene.unit}/double-report", body)
    assert answer["id"] == scene.unit
    assert answer["community_id"] == scene.community
    assert answer["reported_on"] == "2026-03-01"
    stats = scene.read(f"/v1/communities/{scene.community}/stats", **YEAR).json()
    assert stats["units_reported"] == 1


def test_double_reporting_a_unit_to_an_unknown_community_is_an_unknown_reference(
    scene: Scene,
) -> None:
    response = scene.client.post(
        f"/v1/units/{scene.unit}/double-report",
        json={"community_id": NOWHERE, "reported_on": "2026-03-01"},
        headers=ADMIN,
    )
    body = problem(response, 422, "unknown_reference")
    assert error_fields(body) == {"community_id"}


# Members.


def test_registering_a_member_answers_201_with_the_member(scene: Scene) -> None:
    body = written(
        scene.client.post(
            "/v1/members",
            json={
                "name": "张伟",
                "community_id": scene.community,
                "party_member": True,
                "unit_id": scene.unit,
                "grid": "第一网格",
                "phone": "13700137000",
            },
            headers=ADMIN,
        )
    )
    assert UUID(body["id"])
    assert body | {"id": None, "position": None} == {
        "id": None,
        "position": None,
        "name": "张伟",
        "community_id": scene.community,
        "party_member": True,
        "unit_id": scene.unit,
        "grid_id": None,
        "grid": "第一网格",
        "phone": "13700137000",
        "registered_on": "2026-03-01",
    }


def test_registering_a_member_in_an_unknown_community_is_an_unknown_reference(
    client: TestClient,
) -> None:
    response = client.post(
        "/v1/members",
        json={"name": "张伟", "community_id": NOWHERE, "party_member": True},
        headers=ADMIN,
    )
    assert error_fields(problem(response, 422, "unknown_reference")) == {"community_id"}


def test_a_member_needs_a_true_or_false_party_member(scene: Scene) -> None:
    response = scene.client.post(
        "/v1/members",
        json={"name": "张伟", "community_id": scene.community, "party_member": "是"},
        headers=ADMIN,
    )
    assert error_fields(problem(response, 422, "validation_error")) == {"party_member"}


def test_double_reporting_a_member_answers_201_and_shows_on_its_record(
    scene: Scene,
) -> None:
    report = {"community_id": scene.other_community, "reported_on": "2026-02-20"}
    answer = scene.write("POST", f"/v1/members/{scene.member}/double-report", report)
    assert answer["id"] == scene.member
    assert answer["community_id"] == scene.other_community
    record = scene.read(f"/v1/members/{scene.member}").json()
    assert record["double_report"] == report
    stats = scene.read(f"/v1/communities/{scene.other_community}/stats", **YEAR)
    assert stats.json()["members_reported"] == 1


def test_double_reporting_an_unknown_member_is_not_found(scene: Scene) -> None:
    response = scene.client.post(
        f"/v1/members/{NOWHERE}/double-report",
        json={"community_id": scene.community, "reported_on": "2026-02-20"},
        headers=ADMIN,
    )
    problem(response, 404, "not_found")


def test_a_member_record_has_its_fields_and_teams(scene: Scene) -> None:
    record = scene.read(f"/v1/members/{scene.member}").json()
    assert record == {
        "id": scene.member,
        "name": "王芳",
        "community_id": scene.community,
        "party_member": True,
        "unit_id": scene.unit,
        "grid_id": None,
        "grid": "第三网格",
        "registered_on": "2026-03-01",
        "left_on": None,
        "status": "registered",
        "merged_into": None,
        "double_report": None,
        "teams": [scene.team],
        "phone": "13800138000",
    }


def test_a_member_record_shows_phone_to_admins_but_not_to_the_member(
    scene: Scene,
) -> None:
    url = f"/v1/members/{scene.member}"
    assert scene.read(url).json()["phone"] == "13800138000"
    assert scene.read(url, role="organizer_in").json()["phone"] == "13800138000"
    assert scene.read(url, role="member_self").json()["phone"] is None

"""The v1 endpoints of teams, called over HTTP."""

from __future__ import annotations

from uuid import UUID

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


# Teams.


def test_founding_a_team_answers_201_with_its_id_name_and_community(
    scene: Scene,
) -> None:
    answer = written(
        scene.client.post(
            "/v1/teams",
            json={"name": "银发志愿服务队", "community_id": scene.community},
            headers=ADMIN,
        )
    )
    assert UUID(answer["id"])
    assert answer["name"] == "银发志愿服务队"
    assert answer["community_id"] == scene.community


def test_adding_a_member_to_a_team_answers_201_then_200_when_already_in(
    scene: Scene,
) -> None:
    url = f"/v1/teams/{scene.team}/members"
    body = {"member_id": scene.other_member}
    first = written(scene.client.post(url, json=body, headers=ADMIN), 201)
    assert first == {
        "team_id": scene.team,
        "member_id": scene.other_member,
        "member": True,
        "position": first["position"],
    }
    again = written(scene.client.post(url, json=body, headers=ADMIN), 200)
    assert again["position"] == first["position"]
    scene.position = first["position"]
    assert scene.read(f"/v1/teams/{scene.team}", **YEAR).json()["members"] == 2


def test_adding_an_unknown_member_to_a_team_is_an_unknown_reference(
    scene: Scene,
) -> None:
    response = scene.client.post(
        f"/v1/teams/{scene.team}/members", json={"member_id": NOWHERE}, headers=ADMIN
    )
    assert error_fields(problem(response, 422, "unknown_reference")) == {"member_id"}


def test_removing_a_member_from_a_team_answers_200_and_it_counts_one_fewer(
    scene: Scene,
) -> None:
    answer = scene.write("DELETE", f"/v1/teams/{scene.team}/members/{scene.member}")
    assert answer["member"] is False
    assert scene.read(f"/v1/teams/{scene.team}", **YEAR).json()["members"] == 0
    assert scene.read(f"/v1/members/{scene.member}").json()["teams"] == []


def test_removing_someone_who_is_not_in_the_team_is_not_found(scene: Scene) -> None:
    response = scene.client.delete(
        f"/v1/teams/{scene.team}/members/{scene.other_member}", headers=ADMIN
    )
    problem(response, 404, "not_found")


def test_dissolving_a_team_answers_200_and_it_no_longer_counts(scene: Scene) -> None:
    scene.write("POST", f"/v1/teams/{scene.team}/dissolve", {"reason": "队伍合并"})
    assert scene.read(f"/v1/teams/{scene.team}", **YEAR).json()["dissolved"] is True
    stats = scene.read(f"/v1/communities/{scene.community}/stats", **YEAR).json()
    assert stats["teams"] == 0


def test_team_figures_count_members_activities_participations_hours_points(
    scene: Scene,
) -> None:
    figures = scene.read(f"/v1/teams/{scene.team}", **YEAR).json()
    assert figures == {
        "id": scene.team,
        "name": "红马甲志愿服务队",
        "community_id": scene.community,
        "dissolved": False,
        "founded_on": "2026-03-01",
        "dissolved_on": None,
        "year": 2026,
        "as_of": "2026-03-01",
        "members": 1,
        "activities": 1,
        "participations": 1,
        "hours": "2",
        "points": "20.0",
    }


def test_an_unknown_team_is_not_found(scene: Scene) -> None:
    problem(scene.read(f"/v1/teams/{NOWHERE}"), 404, "not_found")


def test_teams_can_be_filtered_by_community(scene: Scene) -> None:
    scene.write(
        "POST",
        "/v1/teams",
        {"name": "光明服务队", "community_id": scene.other_community},
    )
    everyone = scene.read("/v1/teams").json()
    assert len(everyone["items"]) == 2
    assert everyone["next_cursor"] is None
    ours = scene.read("/v1/teams", community_id=scene.community).json()
    assert ours["items"] == [
        {
            "id": scene.team,
            "name": "红马甲志愿服务队",
            "community_id": scene.community,
            "dissolved": False,
        }
    ]

"""Teams founded, joined, left and dissolved on dates, over HTTP."""

from __future__ import annotations

import pytest

from api.system import System
from tests.api.lifecycle_support import figures, refused
from tests.api.support import ADMIN_TOKEN, Scene, bearer, error_fields
from tests.conftest import Clock

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

ADMIN = bearer(ADMIN_TOKEN)


# Teams on dates.


def test_a_team_founded_on_a_date_counts_from_it(scene: Scene) -> None:
    body = {"name": "银发志愿服务队", "community_id": scene.community}
    team = scene.write("POST", "/v1/teams", body | {"founded_on": "2026-01-10"})
    assert team["founded_on"] == "2026-01-10"
    record = scene.read(f"/v1/teams/{team['id']}").json()
    assert (record["founded_on"], record["dissolved_on"], record["as_of"]) == (
        "2026-01-10",
        None,
        "2026-03-01",
    )
    assert figures(scene, scene.community, "2026-01-09")["teams"] == 0
    assert figures(scene, scene.community, "2026-01-10")["teams"] == 1


@pytest.mark.parametrize(
    ("founded_on", "code"),
    [("2026-03-02", "future_date"), ("2026-01-32", "validation_error")],
)
def test_a_team_cannot_be_founded_in_the_future(
    scene: Scene, system: System, founded_on: str, code: str
) -> None:
    body = {
        "name": "银发志愿服务队",
        "community_id": scene.community,
        "founded_on": founded_on,
    }
    answer = refused(scene, system, "POST", "/v1/teams", body, 422, code)
    assert error_fields(answer) == {"founded_on"}


def test_joining_and_leaving_a_team_take_effect_on_their_dates(
    scene: Scene, summer: Clock
) -> None:
    url = f"/v1/teams/{scene.team}/members"
    joined = {"member_id": scene.other_member, "joined_on": "2026-03-15"}
    scene.write("POST", url, joined)
    left = scene.client.delete(
        f"{url}/{scene.other_member}",
        params={"left_on": "2026-04-15"},
        headers=ADMIN,
    )
    assert left.status_code == 200, left.text
    scene.position = left.json()["position"]
    assert figures(scene, scene.community, "2026-03-14")["volunteers"] == 1
    assert figures(scene, scene.community, "2026-03-15")["volunteers"] == 2
    assert figures(scene, scene.community, "2026-04-15")["volunteers"] == 1


def test_joining_a_team_before_it_was_founded_is_date_out_of_order(
    scene: Scene, system: System
) -> None:
    url = f"/v1/teams/{scene.team}/members"
    body = {"member_id": scene.other_member, "joined_on": "2026-02-28"}
    answer = refused(scene, system, "POST", url, body, 422, "date_out_of_order")
    assert error_fields(answer) == {"joined_on"}


@pytest.mark.parametrize(
    ("left_on", "code"),
    [
        ("2026-02-28", "date_out_of_order"),
        ("2026-03-02", "future_date"),
        ("20260301", "validation_error"),
        ("tomorrow", "validation_error"),
    ],
)
def test_leaving_a_team_needs_a_date_from_joining_to_today(
    scene: Scene, system: System, left_on: str, code: str
) -> None:
    url = f"/v1/teams/{scene.team}/members/{scene.member}"
    answer = refused(scene, system, "DELETE", url, None, 422, code, left_on=left_on)
    assert error_fields(answer) == {"left_on"}


def test_dissolving_a_team_on_a_date_counts_it_until_the_day_before(
    scene: Scene, summer: Clock
) -> None:
    url = f"/v1/teams/{scene.team}/dissolve"
    body = {"reason": "队伍合并", "dissolved_on": "2026-05-01"}
    answer = scene.write("POST", url, body, role="organizer_in")
    assert answer | {"position": None} == {
        "position": None,
        "id": scene.team,
        "name": "红马甲志愿服务队",
        "community_id": scene.community,
        "dissolved_on": "2026-05-01",
    }
    record = scene.read(f"/v1/teams/{scene.team}").json()
    assert (record["dissolved"], record["dissolved_on"]) == (True, "2026-05-01")
    assert figures(scene, scene.community, "2026-04-30")["teams"] == 1
    assert figures(scene, scene.community, "2026-05-01")["teams"] == 0


@pytest.mark.parametrize(
    ("dissolved_on", "code"),
    [("2026-02-28", "date_out_of_order"), ("2026-03-02", "future_date")],
)
def test_a_team_cannot_be_dissolved_before_it_was_founded_or_in_the_future(
    scene: Scene, system: System, dissolved_on: str, code: str
) -> None:
    url = f"/v1/teams/{scene.team}/dissolve"
    body = {"reason": "队伍合并", "dissolved_on": dissolved_on}
    answer = refused(scene, system, "POST", url, body, 422, code)
    assert error_fields(answer) == {"dissolved_on"}
    refused(
        scene,
        system,
        "POST",
        url,
        {"reason": "队伍合并"},
        403,
        "forbidden",
        "organizer_out",
    )

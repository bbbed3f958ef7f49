"""The lists the console's places and accounts pages read: the units, and
the tokens issued (never their secrets)."""

from __future__ import annotations

import pytest

from tests.api.support import Scene, problem
from tests.conftest import STORES

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "GET /v1/units": (
        "test_units_are_listed_a_page_at_a_time",
        "test_units_and_tokens_are_listed_for_administrators_only",
        "test_a_cursor_not_made_by_the_server_is_refused",
    ),
    "GET /v1/tokens": (
        "test_tokens_are_listed_with_their_scope_and_never_their_secret",
        "test_a_revoked_token_is_listed_as_revoked",
        "test_units_and_tokens_are_listed_for_administrators_only",
    ),
}


@pytest.mark.parametrize("database_url", STORES, indirect=True)
def test_units_are_listed_a_page_at_a_time(scene: Scene) -> None:
    added = scene.write("POST", "/v1/units", {"name": "区卫健委机关党支部"})
    everything = scene.read("/v1/units").json()
    assert everything["next_cursor"] is None
    assert {u["id"]: u["name"] for u in everything["items"]} == {
        scene.unit: "区教育局机关党委",
        added["id"]: "区卫健委机关党支部",
    }
    first = scene.read("/v1/units", limit=1).json()
    rest = scene.read("/v1/units", limit=1, cursor=first["next_cursor"]).json()
    assert first["items"] + rest["items"] == everything["items"]
    assert rest["next_cursor"] is None


def test_a_units_double_reports_name_the_unit(scene: Scene) -> None:
    reports = scene.read(f"/v1/units/{scene.unit}/double-reports").json()
    assert reports["name"] == "区教育局机关党委"


@pytest.mark.parametrize("database_url", STORES, indirect=True)
def test_tokens_are_listed_with_their_scope_and_never_their_secret(
    scene: Scene,
) -> None:
    body = {"role": "organizer", "street_ids": [], "label": "海滨社区工作站"}
    issued = scene.write(
        "POST", "/v1/tokens", body | {"community_ids": [scene.community]}
    )
    items = scene.read("/v1/tokens").json()["items"]
    assert len(items) == 6
    listed = next(t for t in items if t["id"] == issued["id"])
    assert listed == {
        "id": issued["id"],
        "role": "organizer",
        "label": "海滨社区工作站",
        "member_id": None,
        "district_ids": [],
        "street_ids": [],
        "community_ids": [scene.community],
        "team_ids": [],
        "places": [{"kind": "community", "id": scene.community, "name": "幸福里社区"}],
        "issued_at": listed["issued_at"],
        "revoked": False,
    }
    assert listed["issued_at"].endswith("+00:00")
    assert issued["token"] not in scene.read("/v1/tokens").text


def test_a_revoked_token_is_listed_as_revoked(scene: Scene) -> None:
    scene.write("DELETE", f"/v1/tokens/{scene.spare_token}", None, role="admin")
    items = scene.read("/v1/tokens", limit=500).json()["items"]
    spare = next(t for t in items if t["id"] == scene.spare_token)
    assert spare["revoked"] is True
    assert spare["role"] == "member"


def test_units_and_tokens_are_listed_for_administrators_only(scene: Scene) -> None:
    for url in ("/v1/units", "/v1/tokens"):
        for role in ("organizer_in", "member_self"):
            problem(scene.read(url, role=role), 403, "forbidden")
        problem(scene.read(url, role="anonymous"), 401, "unauthorized")


def test_a_cursor_not_made_by_the_server_is_refused(scene: Scene) -> None:
    for url in ("/v1/units", "/v1/tokens"):
        problem(scene.read(url, cursor="not-ours"), 422, "validation_error")

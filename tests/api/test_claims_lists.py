"""Organisers in scope list a community's hours claims, over HTTP."""

from __future__ import annotations

from uuid import uuid4

import pytest

from api.auth import BOOTSTRAP_ADMIN
from tests.api.claims_support import claim, claims
from tests.api.support import Scene, error_fields, problem
from tests.conftest import STORES

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

NOWHERE = str(uuid4())


# Listing.


def test_organizers_in_scope_list_a_communitys_claims_by_status(
    scene: Scene,
) -> None:
    first = claim(scene, scene.started, "1")
    second = claim(scene, scene.started, "2", member=scene.member, role="member_self")
    third = claim(scene, scene.started, "0.5")
    scene.write("POST", f"/v1/hours-claims/{second['id']}/approve")
    scene.write(
        "POST", f"/v1/hours-claims/{third['id']}/reject", {"reason": "未见签到"}
    )
    every = claims(scene, "organizer_in")
    assert [(i["id"], i["status"]) for i in every["items"]] == [
        (first["id"], "pending"),
        (second["id"], "approved"),
        (third["id"], "rejected"),
    ]
    assert every["next_cursor"] is None
    for status, expected in (
        ("pending", first),
        ("approved", second),
        ("rejected", third),
    ):
        [item] = claims(scene, status=status)["items"]
        assert item["id"] == expected["id"]
    approved = claims(scene, status="approved")["items"][0]
    assert (approved["decided_by"], approved["decided_hours"]) == (
        BOOTSTRAP_ADMIN,
        "2",
    )
    rejected = claims(scene, status="rejected")["items"][0]
    assert (rejected["reason"], rejected["decided_hours"]) == ("未见签到", None)
    elsewhere = scene.read(f"/v1/communities/{scene.other_community}/hours-claims")
    assert elsewhere.json() == {"items": [], "next_cursor": None}
    bad = scene.read(f"/v1/communities/{scene.community}/hours-claims", status="x")
    assert error_fields(problem(bad, 422, "validation_error")) == {"status"}


def test_claims_are_listed_a_page_at_a_time(scene: Scene) -> None:
    made = [claim(scene, scene.started, hours)["id"] for hours in ("1", "1.5", "2")]
    first = claims(scene, limit=2)
    assert [i["id"] for i in first["items"]] == made[:2]
    rest = claims(scene, limit=2, cursor=first["next_cursor"])
    assert [i["id"] for i in rest["items"]] == made[2:]
    assert rest["next_cursor"] is None
    url = f"/v1/communities/{scene.community}/hours-claims"
    bad = scene.read(url, cursor="not-a-cursor")
    assert error_fields(problem(bad, 422, "validation_error")) == {"cursor"}


def test_only_admins_and_organizers_in_scope_list_claims(scene: Scene) -> None:
    url = f"/v1/communities/{scene.community}/hours-claims"
    assert scene.read(url, "admin").status_code == 200
    assert scene.read(url, "organizer_in").status_code == 200
    for role in ("organizer_out", "member_self", "member_other"):
        problem(scene.read(url, role), 403, "forbidden")
    problem(scene.read(url, "anonymous"), 401, "unauthorized")


def test_claims_of_an_unknown_community_are_not_found(scene: Scene) -> None:
    url = f"/v1/communities/{NOWHERE}/hours-claims"
    problem(scene.read(url), 404, "not_found")

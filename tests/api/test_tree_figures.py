"""Figures at every level of the tree over HTTP, as of a date."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from tests.api.support import ADMIN_TOKEN, bearer, error_fields, problem
from tests.api.tree_support import Tree

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

NOWHERE = str(uuid4())
ADMIN = bearer(ADMIN_TOKEN)


# Figures at every level.


def test_a_districts_figures_are_its_communities_with_communities_and_grids(
    tree: Tree,
) -> None:
    stats = tree.read(f"/v1/districts/{tree.district}/stats", role="member_other")
    assert stats == {
        "scope": "district",
        "scope_id": tree.district,
        "year": 2026,
        "as_of": "2026-03-01",
        "teams": 0,
        "volunteers": 0,
        "activities": 0,
        "participations": 0,
        "hours": "0",
        "points": "0.0",
        "members": 1,
        "avg_annual_points": "15.0",
        "units_reported": 0,
        "members_reported": 0,
        "members_reported_participations": 0,
        "members_reported_avg_annual_points": "0.0",
        "communities": 1,
        "grids": 2,
        "grid_party_organisations": 1,
    }
    elsewhere = tree.read(f"/v1/districts/{tree.other_district}/stats")
    assert (elsewhere["communities"], elsewhere["members"]) == (0, 0)


def test_a_streets_figures_equal_its_districts_when_it_holds_all_of_them(
    tree: Tree,
) -> None:
    street = tree.read(f"/v1/streets/{tree.street}/stats", role="street_organizer")
    district = tree.read(f"/v1/districts/{tree.district}/stats")
    assert street | {"scope": "district", "scope_id": tree.district} == district
    assert street["scope"] == "street"


def test_a_grids_figures_are_its_members_wherever_they_earned_them(
    tree: Tree,
) -> None:
    stats = tree.read(f"/v1/grids/{tree.grid}/stats", role="member_self")
    assert stats == {
        "scope": "grid",
        "scope_id": tree.grid,
        "year": 2026,
        "as_of": "2026-03-01",
        "teams": 0,
        "volunteers": 1,
        "activities": 0,
        "participations": 1,
        "hours": "1.5",
        "points": "15.0",
        "members": 1,
        "avg_annual_points": "15.0",
        "units_reported": 0,
        "members_reported": 0,
        "members_reported_participations": 0,
        "members_reported_avg_annual_points": "0.0",
    }
    empty = tree.read(f"/v1/grids/{tree.other_grid}/stats")
    assert (empty["members"], empty["participations"]) == (0, 0)


def test_a_communitys_figures_name_their_scope_without_tree_counts(
    tree: Tree,
) -> None:
    stats = tree.read(f"/v1/communities/{tree.community}/stats")
    assert (stats["scope"], stats["scope_id"]) == ("community", tree.community)
    assert (stats["members"], stats["avg_annual_points"]) == (1, "15.0")
    assert not {"communities", "grids", "grid_party_organisations"} & stats.keys()


def test_the_whole_deployments_figures_count_every_community_and_grid(
    tree: Tree,
) -> None:
    stats = tree.read("/v1/stats", role="member_other")
    assert (stats["scope"], stats["scope_id"]) == ("all", None)
    assert (
        stats["communities"],
        stats["grids"],
        stats["grid_party_organisations"],
    ) == (
        3,
        2,
        1,
    )
    assert (stats["members"], stats["participations"], stats["points"]) == (
        3,
        2,
        "35.0",
    )


@pytest.mark.parametrize(
    "url", ["/v1/districts/{}/stats", "/v1/streets/{}/stats", "/v1/grids/{}/stats"]
)
def test_figures_of_an_unknown_place_are_not_found(tree: Tree, url: str) -> None:
    response = tree.scene.client.get(url.format(NOWHERE), headers=ADMIN)
    problem(response, 404, "not_found")
    community = tree.scene.client.get(url.format(tree.community), headers=ADMIN)
    problem(community, 404, "not_found")


def test_figures_as_of_a_date_count_what_was_true_on_it(tree: Tree) -> None:
    url = f"/v1/districts/{tree.district}/stats"
    before = tree.read(url, as_of="2026-02-28")
    assert (before["as_of"], before["year"], before["members"]) == (
        "2026-02-28",
        2026,
        0,
    )
    assert before["avg_annual_points"] == "0.0"
    last_year = tree.read(url, as_of="2025-12-31")
    assert (last_year["year"], last_year["members"]) == (2025, 0)
    assert last_year["communities"] == 1


def test_a_year_not_yet_begun_has_zero_figures(tree: Tree) -> None:
    stats = tree.read(f"/v1/grids/{tree.grid}/stats", year=2027)
    assert stats["year"] == 2027
    assert (stats["members"], stats["participations"], stats["points"]) == (0, 0, "0.0")


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"as_of": "2026-03-02"}, "future_date"),
        ({"as_of": "2025-06-30", "year": 2026}, "validation_error"),
        ({"as_of": "2026-02-30"}, "validation_error"),
        ({"as_of": "20260301"}, "validation_error"),
        ({"as_of": "0"}, "validation_error"),
    ],
)
@pytest.mark.parametrize(
    "url", ["/v1/stats", "/v1/districts/{district}/stats", "/v1/grids/{grid}/stats"]
)
def test_a_figure_date_must_be_a_past_date_of_its_year(
    tree: Tree, url: str, params: dict[str, Any], code: str
) -> None:
    path = url.format(district=tree.district, grid=tree.grid)
    response = tree.scene.client.get(path, params=params, headers=ADMIN)
    assert error_fields(problem(response, 422, code)) == {"as_of"}

"""The organisation tree over HTTP: districts, streets, communities and grids,
their lists and figures at every level, and organisers scoped by district and
street (shared/API.md, additions 1.1). The tests are in the ``test_tree_*``
modules, by subject; this one lists which test covers which endpoint."""

from __future__ import annotations

import pytest

from tests.api import test_tree_figures, test_tree_lists, test_tree_places

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/districts": (
        "test_creating_a_district_answers_201_with_its_id_and_name",
        "test_only_admins_create_districts_and_streets",
        "test_a_district_without_a_name_is_a_validation_error",
    ),
    "POST /v1/streets": (
        "test_creating_a_street_answers_201_with_its_district",
        "test_a_street_of_an_unknown_district_is_an_unknown_reference",
    ),
    "POST /v1/grids": (
        "test_creating_a_grid_answers_201_with_its_community_and_party_organisation",
        "test_organizers_create_grids_only_in_communities_they_cover",
        "test_a_grid_of_an_unknown_community_is_refused",
        "test_a_grid_party_organisation_is_true_or_false",
    ),
    "GET /v1/districts": ("test_districts_are_listed_a_page_at_a_time",),
    "GET /v1/districts/{district_id}/streets": (
        "test_a_districts_streets_are_listed",
        "test_lists_under_an_unknown_place_are_not_found",
    ),
    "GET /v1/streets/{street_id}/communities": (
        "test_a_streets_communities_are_listed_with_their_place_in_the_tree",
        "test_lists_under_an_unknown_place_are_not_found",
    ),
    "GET /v1/communities/{community_id}/grids": (
        "test_a_communitys_grids_are_listed",
        "test_lists_under_an_unknown_place_are_not_found",
    ),
    "GET /v1/districts/{district_id}/stats": (
        "test_a_districts_figures_are_its_communities_with_communities_and_grids",
        "test_figures_of_an_unknown_place_are_not_found",
        "test_figures_as_of_a_date_count_what_was_true_on_it",
    ),
    "GET /v1/streets/{street_id}/stats": (
        "test_a_streets_figures_equal_its_districts_when_it_holds_all_of_them",
        "test_figures_of_an_unknown_place_are_not_found",
    ),
    "GET /v1/grids/{grid_id}/stats": (
        "test_a_grids_figures_are_its_members_wherever_they_earned_them",
        "test_figures_of_an_unknown_place_are_not_found",
    ),
}

# The modules that hold the tests ENDPOINT_TESTS names.
LISTED = (test_tree_places, test_tree_lists, test_tree_figures)


def test_every_operation_listed_here_names_tests_that_exist(database_url: str) -> None:
    named = {name for names in ENDPOINT_TESTS.values() for name in names}
    assert not named - set().union(*(vars(m).keys() for m in LISTED))

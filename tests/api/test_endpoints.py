"""Every endpoint of the HTTP API v1 (shared/API.md) has a test, called over
HTTP; the tests of v1 are in the ``test_endpoints_*`` modules, by resource."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api import (
    test_activity_participants,
    test_audit,
    test_certificates,
    test_checkins,
    test_claims,
    test_console_lists,
    test_console_reads,
    test_endpoints_activities,
    test_endpoints_attendance,
    test_endpoints_communities_and_members,
    test_endpoints_points_and_figures,
    test_endpoints_teams,
    test_history_and_reports,
    test_imports,
    test_ledger,
    test_lifecycle,
    test_merging,
    test_oidc_sign_in,
    test_organisers,
    test_place_search,
    test_places_lists,
    test_redemption,
    test_rule_sets,
    test_sign_in,
    test_tree,
    test_wechat_sign_in,
)
from tests.api.support import MEMORY_AND_SQLITE, documented_operations

pytestmark = MEMORY_AND_SQLITE
ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/communities": (
        "test_creating_a_community_answers_201_with_its_id_name_and_position",
        "test_a_community_without_a_name_is_a_validation_error_naming_the_field",
    ),
    "POST /v1/units": ("test_creating_a_unit_answers_201_with_its_id_and_name",),
    "POST /v1/members": (
        "test_registering_a_member_answers_201_with_the_member",
        "test_registering_a_member_in_an_unknown_community_is_an_unknown_reference",
        "test_a_member_needs_a_true_or_false_party_member",
    ),
    "POST /v1/members/{member_id}/double-report": (
        "test_double_reporting_a_member_answers_201_and_shows_on_its_record",
        "test_double_reporting_an_unknown_member_is_not_found",
    ),
    "POST /v1/units/{unit_id}/double-report": (
        "test_double_reporting_a_unit_answers_201_and_counts_among_units_reported",
        "test_double_reporting_a_unit_to_an_unknown_community_is_an_unknown_reference",
    ),
    "POST /v1/teams": (
        "test_founding_a_team_answers_201_with_its_id_name_and_community",
    ),
    "POST /v1/teams/{team_id}/members": (
        "test_adding_a_member_to_a_team_answers_201_then_200_when_already_in",
        "test_adding_an_unknown_member_to_a_team_is_an_unknown_reference",
    ),
    "DELETE /v1/teams/{team_id}/members/{member_id}": (
        "test_removing_a_member_from_a_team_answers_200_and_it_counts_one_fewer",
        "test_removing_someone_who_is_not_in_the_team_is_not_found",
    ),
    "POST /v1/teams/{team_id}/dissolve": (
        "test_dissolving_a_team_answers_200_and_it_no_longer_counts",
    ),
    "POST /v1/activities": (
        "test_scheduling_an_activity_answers_201_with_its_window_and_status",
        "test_scheduling_an_activity_of_an_unknown_team_is_an_unknown_reference",
        "test_an_activity_that_does_not_end_after_it_starts_is_a_validation_error",
        "test_an_activity_with_two_points_rules_is_a_validation_error",
        "test_an_activity_time_without_an_offset_is_a_validation_error",
        "test_a_number_is_not_an_activity_time",
        "test_an_activity_time_shanghai_cannot_tell_is_a_validation_error",
    ),
    "POST /v1/activities/{activity_id}/signups": (
        "test_signing_up_answers_201_then_200_when_already_signed_up",
        "test_signing_up_at_capacity_is_activity_full",
        "test_signing_up_after_the_start_is_activity_started",
    ),
    "DELETE /v1/activities/{activity_id}/signups/{member_id}": (
        "test_withdrawing_a_signup_answers_200_and_frees_the_place",
    ),
    "POST /v1/activities/{activity_id}/attendance": (
        "test_recording_attendance_counts_recorded_unchanged_and_corrected",
        "test_attendance_before_the_start_is_activity_not_started",
        "test_attendance_with_bad_hours_is_invalid_hours",
        "test_attendance_of_an_unknown_member_is_an_unknown_reference",
        "test_attendance_of_an_unknown_activity_is_not_found",
        "test_up_to_500_attendance_records_are_accepted_at_once",
        "test_no_records_or_more_than_500_are_a_validation_error_naming_records",
    ),
    "POST /v1/activities/{activity_id}/attendance/{member_id}/revoke": (
        "test_revoking_an_attendance_keeps_it_in_the_statement_at_zero_points",
        "test_revoking_an_attendance_that_was_never_recorded_is_not_found",
    ),
    "POST /v1/activities/{activity_id}/cancel": (
        "test_cancelling_an_activity_answers_200_and_again_is_already_cancelled",
        "test_cancelling_an_activity_revokes_its_points_with_the_reason",
        "test_attendance_of_a_cancelled_activity_is_activity_cancelled",
    ),
    "POST /v1/activities/{activity_id}/close": (
        "test_closing_an_activity_answers_200_and_then_attendance_is_activity_closed",
        "test_closing_an_activity_before_it_starts_is_activity_not_started",
    ),
    "POST /v1/tokens": (
        "test_creating_a_token_shows_its_secret_once_and_the_secret_authenticates",
        "test_an_organizer_token_without_a_scope_is_a_validation_error",
    ),
    "DELETE /v1/tokens/{token_id}": ("test_a_revoked_token_is_refused_with_401",),
    "GET /v1/members/{member_id}/points": (
        "test_member_points_carry_decimals_as_strings",
        "test_points_of_a_year_without_attendance_are_zero",
        "test_points_of_an_unknown_member_are_not_found",
    ),
    "GET /v1/members/{member_id}/statement": (
        "test_a_statement_lists_every_attendance_of_the_year",
    ),
    "GET /v1/me/points": (
        "test_my_points_are_the_member_tokens_own_points",
        "test_my_points_need_a_member_token",
    ),
    "GET /v1/me/statement": ("test_my_statement_is_the_member_tokens_own_statement",),
    "GET /v1/teams/{team_id}": (
        "test_team_figures_count_members_activities_participations_hours_points",
        "test_an_unknown_team_is_not_found",
    ),
    "GET /v1/communities/{community_id}/stats": (
        "test_community_figures_have_every_published_field",
    ),
    "GET /v1/stats": ("test_district_figures_have_the_same_fields_as_a_community",),
    "GET /v1/members/{member_id}": (
        "test_a_member_record_has_its_fields_and_teams",
        "test_a_member_record_shows_phone_to_admins_but_not_to_the_member",
    ),
    "GET /v1/activities/{activity_id}": (
        "test_an_activity_shows_its_status_and_counts",
        "test_an_unknown_activity_is_not_found",
    ),
    "GET /v1/activities": (
        "test_activities_can_be_filtered_by_team_community_and_window",
        "test_an_activity_window_must_be_iso_8601_times",
    ),
    "GET /v1/teams": ("test_teams_can_be_filtered_by_community",),
    "GET /v1/communities/{community_id}/members": (
        "test_community_members_lists_those_registered_there",
    ),
    "GET /v1/communities/{community_id}/leaderboard": (
        "test_the_leaderboard_ranks_members_by_annual_points",
    ),
    "GET /v1/communities/{community_id}/double-reports": (
        "test_community_double_reports_list_units_and_members",
    ),
    "GET /v1/units/{unit_id}/double-reports": (
        "test_unit_double_reports_list_communities_and_members",
    ),
    "GET /healthz": ("test_healthz_answers_ok_without_a_token",),
}

# The modules that hold the tests ENDPOINT_TESTS names.
V1 = (
    test_endpoints_communities_and_members,
    test_endpoints_teams,
    test_endpoints_activities,
    test_endpoints_attendance,
    test_endpoints_points_and_figures,
)

# The endpoints of the additions (version 1.1), each module listing its own.
ADDITIONS = (
    test_tree,
    test_lifecycle,
    test_history_and_reports,
    test_imports,
    test_ledger,
    test_claims,
    test_certificates,
    test_merging,
    test_redemption,
    test_audit,
    test_console_reads,
    test_console_lists,
    test_activity_participants,
    test_sign_in,
    test_wechat_sign_in,
    test_oidc_sign_in,
    test_organisers,
    test_places_lists,
    test_checkins,
    test_rule_sets,
    test_place_search,
)


def test_every_endpoint_in_the_openapi_document_has_a_test(client: TestClient) -> None:
    listed = [ENDPOINT_TESTS.keys(), *(m.ENDPOINT_TESTS.keys() for m in ADDITIONS)]
    assert documented_operations(client) == set().union(*listed)
    assert sum(map(len, listed)) == len(set().union(*listed))
    missing = {
        name for names in ENDPOINT_TESTS.values() for name in names
    } - set().union(*(vars(m).keys() for m in V1))
    assert not missing


def test_every_operation_has_a_stable_snake_case_operation_id(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
    ids = [
        operation["operationId"]
        for operations in document["paths"].values()
        for operation in operations.values()
    ]
    assert len(ids) == len(set(ids))
    assert all(i.isidentifier() and i == i.lower() for i in ids)
    assert {"get_my_points", "record_attendance"} <= set(ids)

"""Results are a stored contract: a request answered with an Idempotency-Key is
replayed, perhaps years later, by decoding its stored result as
``cls(**fields)``. So every stored field is still there, and a field added
since is added with a default."""

from __future__ import annotations

import base64
import dataclasses
import gzip
import json

from eventsourcing.utils import get_topic

from domain.idempotency import IdempotentRequest
from domain.results import Result
from infrastructure.transcodings import Transcoder
from tests.golden.replay import RELEASES, log_file

# Each result class with the fields it needs to be built, as results were
# first stored. A new class goes here with its own; these never change.
STORED: dict[str, tuple[str, ...]] = {
    "DistrictRegistered": ("id", "name"),
    "StreetRegistered": ("id", "name", "district_id"),
    "CommunityRegistered": ("id", "name", "street"),
    "GridRegistered": ("id", "name", "community_id", "party_organisation"),
    "UnitRegistered": ("id", "name"),
    "DoubleReported": ("id", "community_id", "reported_on", "changed"),
    "DoubleReportEnded": ("id", "community_id", "ended_on"),
    "MemberRegistered": (
        *("id", "name", "community_id", "party_member", "unit_id", "grid"),
        "phone",
    ),
    "MemberMoved": ("id", "community_id", "moved_on"),
    "MembersMerged": (
        *("id", "name", "community_id", "duplicate_id", "reason"),
        *("attendances_moved", "attendances_revoked", "teams"),
    ),
    "MemberLeft": ("id", "left_on", "reason"),
    "TeamFounded": ("id", "name", "community_id"),
    "TeamMembershipChanged": ("team_id", "member_id", "member"),
    "TeamDissolved": ("id", "name", "community_id"),
    "ActivityScheduled": (
        *("id", "title", "team_id", "community_id", "category"),
        *("starts_at", "ends_at"),
    ),
    "SignupChanged": ("activity_id", "member_id", "signed_up"),
    "AttendanceWritten": ("activity_id", "recorded", "unchanged", "corrected"),
    "MembersImported": ("community_id", "rows", "created", "unchanged"),
    "AttendanceRevoked": ("activity_id", "member_id", "reason"),
    "ActivityStatusChanged": ("id", "status"),
    "TokenIssued": ("id", "role", "community_ids", "team_ids", "member_id", "label"),
    "TokenRevoked": ("id", "changed"),
    "ReportPublished": (
        *("id", "scope", "scope_id", "year", "as_of", "published_at", "figures"),
        *("head_digest", "figures_position"),
    ),
    "HoursClaimed": (
        *("id", "status", "member_id", "activity_id", "community_id", "hours"),
        *("note", "decided_hours", "reason"),
    ),
    "CertificateIssued": (
        *("number", "member_id", "name", "masked_phone", "period_from"),
        *("period_to", "hours", "activities", "issuer", "issued_on"),
        *("head_digest", "digest", "content_position"),
    ),
    "RewardOffered": ("id", "community_id", "name", "points", "stock"),
    "Redeemed": ("id", "member_id", "reward_id", "quantity", "points", "balance"),
    "RedemptionCancelled": ("id", "member_id", "points", "reason", "balance"),
    "EarlierAnswer": ("status", "body"),
    "SignInCodeSent": ("expires_at", "retry_after"),
    "SessionStarted": (
        *("id", "role", "member_id", "organiser_id", "district_ids"),
        *("street_ids", "community_ids", "team_ids"),
    ),
    "SessionEnded": ("id", "changed"),
    "OrganiserRegistered": (
        *("id", "name", "phone", "district_ids", "street_ids"),
        *("community_ids", "team_ids"),
    ),
    "OrganiserRemoved": ("id", "changed"),
    "CheckinScanned": ("activity_id", "member_id", "kind", "at", "repeated"),
    "CheckinsConfirmed": ("activity_id", "recorded", "missing_checkout", "too_short"),
    "RuleSetDrafted": ("id", "name", "district_id", "categories", "caps"),
    "RuleSetPublished": ("id", "version", "effective_from"),
}
RESULTS = {cls.__name__: cls for cls in Result.__subclasses__()}


def test_every_result_class_keeps_the_name_it_was_first_stored_under() -> None:
    assert sorted(RESULTS) == sorted(STORED)


def test_a_result_is_built_from_only_the_fields_it_was_first_stored_with() -> None:
    for name, fields in STORED.items():
        built = RESULTS[name](**dict.fromkeys(fields))
        assert isinstance(built, Result)


def test_a_result_keeps_every_field_it_was_first_stored_with() -> None:
    gone = {
        name: set(fields) - {f.name for f in dataclasses.fields(RESULTS[name])}
        for name, fields in STORED.items()
    }
    assert {name: lost for name, lost in gone.items() if lost} == {}


def test_the_results_of_a_golden_log_decode_as_they_were_stored() -> None:
    transcoder = Transcoder()
    answered = get_topic(IdempotentRequest.Answered)
    decoded = []
    for release in RELEASES:
        with gzip.open(log_file(release), "rt", encoding="utf-8") as lines:
            for line in lines:
                entry = json.loads(line)
                if entry.get("topic") != answered:
                    continue
                state = transcoder.decode(base64.b64decode(entry["state"]))
                decoded.append(state["result"])
    assert decoded
    assert all(isinstance(result, Result) for result in decoded)

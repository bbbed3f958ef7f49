"""Tokens the admin issues through the API: an organiser's for a place, a
member's for themselves."""

from __future__ import annotations

from pytest_bdd import given

from tests.bdd.drivers import ADMIN, ORGANIZER, Journey
from tests.bdd.vocabulary import step

ORGANIZER_SCOPES = {"": "community_ids", "街道": "street_ids", "区县": "district_ids"}


@given(step('管理员已为"{place}"签发{level:Level}组织者令牌'))
def organizer_token(journey: Journey, place: str, level: str) -> None:
    scope = {"role": "organizer", ORGANIZER_SCOPES[level]: [journey.id(place)]}
    made = journey.made(ADMIN, "POST", "/v1/tokens", scope)
    journey.tokens[ORGANIZER] = made["token"]


@given(step('管理员已为"{member}"签发志愿者令牌'))
def member_token(journey: Journey, member: str) -> None:
    scope = {"role": "member", "member_id": journey.id(member), "label": member}
    journey.tokens[member] = journey.made(ADMIN, "POST", "/v1/tokens", scope)["token"]

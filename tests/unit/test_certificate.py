"""Service certificates (志愿服务证明): numbers, masking, the content digest,
and the command that records what was read at a position."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.application import VolunteerPoints
from domain.certificate import (
    Certificate,
    certificate_content,
    content_digest,
    mask_name,
    mask_phone,
    new_number,
    normal_number,
)
from domain.errors import DateOutOfOrder, FutureDate, InvalidCommand, NotFound
from tests.conftest import STORES

ACTOR = "admin:test"
HEAD = "ab" * 32


@pytest.mark.parametrize(
    ("name", "masked"),
    [("侯明亮", "侯**"), ("王芳", "王*"), ("欧阳娜娜", "欧***"), ("李", "李*")],
)
def test_a_masked_name_keeps_the_surname_only(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13912345678", "139****5678"),
        ("139 1234 5678", "139****5678"),
        ("+86 139-1234-5678", "139****5678"),
        ("0335-1234567", "033****4567"),
        ("1234", "****"),
        (None, None),
    ],
)
def test_a_masked_phone_keeps_three_digits_before_and_four_after(
    phone: str | None, masked: str | None
) -> None:
    assert mask_phone(phone) == masked


def test_numbers_are_ascii_random_and_read_back_in_any_case() -> None:
    numbers = {new_number(2026) for _ in range(1000)}

    assert len(numbers) == 1000
    for number in numbers:
        assert number.isascii()
        assert number.startswith("VPC-2026-")
        assert len(number) == len("VPC-2026-7K3F9Q2M")
        assert normal_number(number) == number
        assert normal_number(f"  {number.lower()} ") == number


@pytest.mark.parametrize(
    "text",
    ["", "VPC-2026-", "VPC-2026-7K3F9Q2MX", "VPC-2026-7K3F9QIL", "VPC 2026 7K3F9Q2M"],
)
def test_a_text_that_cannot_be_a_number_is_none(text: str) -> None:
    assert normal_number(text) is None


def test_a_number_finds_its_certificate_without_a_read_model() -> None:
    assert Certificate.create_id("VPC-2026-7K3F9Q2M") == Certificate.create_id(
        "VPC-2026-7K3F9Q2M"
    )
    assert Certificate.create_id("VPC-2026-7K3F9Q2M") != Certificate.create_id(
        "VPC-2026-7K3F9Q2N"
    )


def test_the_digest_is_sha256_of_the_canonical_json() -> None:
    member_id = UUID("3f2b8c1e-0000-4000-8000-000000000001")
    content = certificate_content(
        number="VPC-2026-7K3F9Q2M",
        member_id=member_id,
        name="侯明亮",
        masked_phone="139****5678",
        period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 1),
        hours="7.5",
        activities=3,
        issuer="北戴河新区 戴河镇 海滨社区",
        issued_on=date(2026, 3, 1),
        position=42,
        head_digest=HEAD,
    )
    canonical = (
        '{"activities":3,"head_digest":"' + HEAD + '","hours":"7.5",'
        '"issued_on":"2026-03-01","issuer":"北戴河新区 戴河镇 海滨社区",'
        '"masked_phone":"139****5678",'
        '"member_id":"3f2b8c1e-0000-4000-8000-000000000001","name":"侯明亮",'
        '"number":"VPC-2026-7K3F9Q2M","period_from":"2026-01-01",'
        '"period_to":"2026-03-01","position":42}'
    )

    assert json.loads(canonical) == content
    expected = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert content_digest(content) == expected
    assert content_digest(content | {"hours": "7.25"}) != expected


@pytest.fixture
def app(make_app: Callable[[], VolunteerPoints]) -> VolunteerPoints:
    return make_app()


def registered(app: VolunteerPoints, on: date = date(2025, 6, 1)) -> UUID:
    community = app.register_community("海滨社区", "戴河镇", ACTOR).id
    return app.register_member(
        "侯明亮",
        community,
        party_member=True,
        actor=ACTOR,
        phone="13912345678",
        registered_on=on,
    ).id


def issue(
    app: VolunteerPoints,
    member_id: UUID,
    period_from: date = date(2026, 1, 1),
    period_to: date = date(2026, 2, 28),
    hours: str = "4.5",
    activities: int = 2,
) -> Certificate:
    result = app.issue_certificate(
        member_id,
        period_from,
        period_to,
        hours,
        activities,
        "戴河镇 海滨社区",
        7,
        HEAD,
        ACTOR,
    )
    return app.certificate(result.number)


@pytest.mark.parametrize("database_url", STORES, indirect=True)
def test_a_certificate_is_recorded_with_its_digest_and_read_back_from_the_log(
    make_app: Callable[[], VolunteerPoints], database_url: str
) -> None:
    app = make_app()
    member_id = registered(app)

    result = app.issue_certificate(
        member_id,
        date(2026, 1, 1),
        date(2026, 2, 28),
        "4.5",
        2,
        "戴河镇 海滨社区",
        7,
        HEAD,
        ACTOR,
    )

    assert result.position == app.position()
    assert result.content_position == 7
    assert (result.name, result.masked_phone) == ("侯明亮", "139****5678")
    reader = app if database_url == "memory://" else make_app()
    again = reader.certificate(result.number)
    assert again.is_intact()
    assert again.digest == result.digest == content_digest(again.content())
    assert (again.hours, again.activities, again.position) == ("4.5", 2, 7)
    assert again.issued_on == date(2026, 3, 1)


def test_a_certificate_whose_content_was_altered_is_not_intact(
    app: VolunteerPoints,
) -> None:
    certificate = issue(app, registered(app))

    certificate.hours = "45"

    assert not certificate.is_intact()


def test_the_default_period_is_this_year_or_since_registration(
    app: VolunteerPoints,
) -> None:
    long_ago = registered(app)
    recently = registered(app, date(2026, 2, 14))

    assert app.certificate_period(long_ago) == (date(2026, 1, 1), date(2026, 3, 1))
    assert app.certificate_period(recently) == (date(2026, 2, 14), date(2026, 3, 1))
    assert app.certificate_period(recently, period_to=date(2026, 2, 1)) == (
        date(2026, 2, 1),
        date(2026, 2, 1),
    )
    assert app.certificate_period(long_ago, date(2025, 7, 1), date(2025, 12, 31)) == (
        date(2025, 7, 1),
        date(2025, 12, 31),
    )


@pytest.mark.parametrize(
    ("period_from", "period_to", "error", "field"),
    [
        (date(2026, 1, 1), date(2026, 3, 2), FutureDate, "to"),
        (date(2026, 3, 2), date(2026, 3, 1), FutureDate, "from"),
        (date(2026, 2, 1), date(2026, 1, 31), DateOutOfOrder, "to"),
        (date(1900, 1, 1), date(2026, 1, 31), InvalidCommand, "from"),
    ],
)
def test_a_period_is_of_past_business_dates_in_order(
    app: VolunteerPoints,
    period_from: date,
    period_to: date,
    error: type[InvalidCommand],
    field: str,
) -> None:
    member_id = registered(app)
    before = app.position()

    with pytest.raises(error) as refused:
        issue(app, member_id, period_from, period_to)

    assert refused.value.field == field
    assert app.position() == before


@pytest.mark.parametrize(
    ("hours", "activities", "field"),
    [("-1", 1, "hours"), ("many", 1, "hours"), ("1", -1, "activities")],
)
def test_figures_that_cannot_be_a_record_are_refused(
    app: VolunteerPoints, hours: str, activities: int, field: str
) -> None:
    member_id = registered(app)
    before = app.position()

    with pytest.raises(InvalidCommand) as refused:
        issue(app, member_id, hours=hours, activities=activities)

    assert refused.value.field == field
    assert app.position() == before


def test_unknown_members_and_numbers_are_not_found(app: VolunteerPoints) -> None:
    with pytest.raises(NotFound):
        issue(app, uuid4())
    with pytest.raises(NotFound):
        app.certificate("VPC-2026-7K3F9Q2M")

"""Service certificates (志愿服务证明) over HTTP: issued with the figures of
their period, by those who may, once per key. Verifying them, and their PDF,
are in ``test_certificates_verification``."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from api.system import System
from infrastructure.digest import log_digest
from tests.api.certificates_support import Desk, build_desk, digest_of, issue, issued
from tests.api.support import ADMIN_TOKEN, Running, bearer, error_fields, problem
from tests.conftest import STORES

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/members/{member_id}/certificates": (
        "test_issuing_a_certificate_answers_201_with_the_figures_of_its_period",
        "test_the_default_period_runs_from_registration_or_new_year_to_today",
        "test_a_certificate_period_is_past_and_in_order",
        "test_who_may_issue_a_certificate",
        "test_a_certificate_of_an_unknown_member_is_not_found",
        "test_a_replayed_issue_answers_the_same_certificate",
    ),
    "GET /v1/certificates/{number}": (
        "test_verification_needs_no_token_and_masks_the_name",
        "test_a_later_correction_leaves_an_issued_certificate_as_it_was",
        "test_unknown_and_malformed_numbers_are_not_genuine",
    ),
    "GET /v1/certificates/{number}/pdf": (
        "test_the_pdf_shows_the_member_the_hours_and_the_number",
        "test_who_may_read_a_certificate_pdf",
    ),
}

ADMIN = bearer(ADMIN_TOKEN)
ISSUED_FIELDS = {
    "number",
    "member_id",
    "name",
    "masked_phone",
    "hours",
    "activities",
    "from",
    "to",
    "issued_at",
    "issuer",
    "position",
    "head_digest",
    "digest",
}


@pytest.fixture
def desk(running: Running) -> Desk:
    return build_desk(running)


def test_issuing_a_certificate_answers_201_with_the_figures_of_its_period(
    desk: Desk, system: System
) -> None:
    response = issue(desk, {"from": "2025-12-01", "to": "2026-02-28"})

    assert response.status_code == 201, response.text
    certificate = response.json()
    assert set(certificate) == ISSUED_FIELDS
    written_at = int(response.headers["X-Event-Position"])
    assert written_at == system.app.position()
    assert certificate["position"] < written_at
    assert certificate["member_id"] == desk.volunteer
    assert (certificate["name"], certificate["masked_phone"]) == (
        "侯明亮",
        "139****5678",
    )
    assert (certificate["hours"], certificate["activities"]) == ("4.5", 2)
    assert (certificate["from"], certificate["to"]) == ("2025-12-01", "2026-02-28")
    assert certificate["issued_at"] == "2026-03-01"
    assert certificate["issuer"] == "北戴河新区 戴河镇 海滨社区"
    assert certificate["number"].startswith("VPC-2026-")
    assert certificate["number"].isascii()
    assert certificate["head_digest"] == log_digest(system.app, certificate["position"])
    assert certificate["digest"] == digest_of(certificate)

    january = issued(desk, {"from": "2026-01-01", "to": "2026-01-31"})
    assert (january["hours"], january["activities"]) == ("1.5", 1)
    assert january["number"] != certificate["number"]
    nothing = issued(desk, {"from": "2025-06-01", "to": "2025-11-30"})
    assert (nothing["hours"], nothing["activities"]) == ("0", 0)


def test_the_default_period_runs_from_registration_or_new_year_to_today(
    desk: Desk,
) -> None:
    this_year = issued(desk)
    assert (this_year["from"], this_year["to"]) == ("2026-01-01", "2026-03-01")
    assert (this_year["hours"], this_year["activities"]) == ("1.5", 1)

    response = desk.client.post(
        f"/v1/members/{desk.member}/certificates", headers=ADMIN
    )
    assert response.status_code == 201, response.text
    registered_today = response.json()
    assert (registered_today["from"], registered_today["to"]) == (
        "2026-03-01",
        "2026-03-01",
    )
    assert (registered_today["hours"], registered_today["activities"]) == ("2", 1)
    assert registered_today["issuer"] == "东风街道 幸福里社区"

    until = issued(desk, {"to": "2026-01-31"})
    assert (until["from"], until["to"]) == ("2026-01-01", "2026-01-31")


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"to": "2026-03-02"}, 422, "future_date", "to"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, 422, "future_date", "from"),
        ({"from": "2026-02-01", "to": "2026-01-31"}, 422, "date_out_of_order", "to"),
        ({"from": "2026-13-01"}, 422, "validation_error", "from"),
        ({"from": 20260101}, 422, "validation_error", "from"),
        ({"since": "2026-01-01"}, 422, "validation_error", "since"),
        ([], 422, "validation_error", ""),
    ],
)
def test_a_certificate_period_is_past_and_in_order(
    desk: Desk,
    system: System,
    body: Any,
    status: int,
    code: str,
    field: str,
) -> None:
    before = system.app.position()

    refusal = problem(issue(desk, body), status, code)

    if field:
        assert field in error_fields(refusal)
    assert system.app.position() == before


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 201),
        ("organizer_desk", 201),
        ("volunteer", 201),
        ("organizer_in", 403),
        ("member_self", 403),
        ("anonymous", 401),
    ],
)
def test_who_may_issue_a_certificate(
    desk: Desk, system: System, role: str, status: int
) -> None:
    before = system.app.position()

    response = issue(desk, role=role)

    assert response.status_code == status, response.text
    if status == 201:
        assert system.app.position() == before + 1
    else:
        problem(response, status, "forbidden" if status == 403 else "unauthorized")
        assert system.app.position() == before


def test_a_certificate_of_an_unknown_member_is_not_found(
    desk: Desk, system: System
) -> None:
    before = system.app.position()

    problem(issue(desk, member=str(uuid4())), 404, "not_found")
    problem(issue(desk, member="not-a-uuid"), 422, "validation_error")

    assert system.app.position() == before


def test_a_replayed_issue_answers_the_same_certificate(
    desk: Desk, system: System
) -> None:
    url = f"/v1/members/{desk.volunteer}/certificates"
    headers = ADMIN | {"Idempotency-Key": "certificate-2026"}
    body = {"from": "2025-12-01"}
    first = desk.client.post(url, json=body, headers=headers)
    assert first.status_code == 201, first.text
    before = system.app.position()

    again = desk.client.post(url, json=body, headers=headers)

    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert system.app.position() == before
    other = desk.client.post(url, json={"from": "2025-12-02"}, headers=headers)
    problem(other, 422, "idempotency_key_reused")

"""Service certificates (志愿服务证明) over HTTP: issued with the figures of a
period at one log position, verified by anyone from the number with the name
masked, unchanged by later corrections, and printed as a PDF (shared/API.md,
"The organiser's desk")."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from pypdf import PdfReader

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from domain.certificate import content_digest
from infrastructure.digest import log_digest
from tests.api.support import (
    ADMIN_TOKEN,
    Running,
    Scene,
    bearer,
    build_scene,
    error_fields,
    problem,
)
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
VERIFIED_FIELDS = {
    "number",
    "genuine",
    "name",
    "hours",
    "activities",
    "from",
    "to",
    "issued_at",
    "issuer",
}


@dataclass
class Desk(Scene):
    """The scene, with its community placed in a district and a street, and 侯明亮,
    registered there since June 2025, who served 3 hours in December 2025,
    1.5 in January 2026 and 2 in February 2026 (revoked since)."""

    volunteer: str = ""
    december: str = ""
    january: str = ""
    february: str = ""


@pytest.fixture
def desk(running: Running) -> Desk:
    app, actor = running.system.app, BOOTSTRAP_ADMIN
    district = app.register_district("北戴河新区", actor).id
    street = app.register_street("戴河镇", district, actor).id
    community = app.register_community("海滨社区", None, actor, street_id=street).id
    base = build_scene(running)
    volunteer = app.register_member(
        "侯明亮",
        community,
        party_member=True,
        actor=actor,
        phone="13912345678",
        registered_on=date(2025, 6, 1),
    ).id
    team = app.found_team("海滨志愿服务队", community, actor).id
    organizer = "vp_test_organizer_desk"
    app.issue_token(organizer, "organizer", actor, community_ids=[community])
    app.issue_token("vp_test_volunteer", "member", actor, member_id=volunteer)

    def served(day: str, hours: str) -> UUID:
        activity = app.schedule_activity(
            title=f"{day} 海滩清洁",
            team_id=team,
            category="环境保护",
            starts_at=datetime.fromisoformat(f"{day}T09:00:00+08:00"),
            ends_at=datetime.fromisoformat(f"{day}T12:00:00+08:00"),
            actor=actor,
        ).id
        app.record_attendance(activity, [(volunteer, Decimal(hours))], actor)
        return activity

    december = served("2025-12-10", "3")
    january = served("2026-01-15", "1.5")
    february = served("2026-02-10", "2")
    app.revoke_attendance(february, volunteer, "未实际参加", actor)
    fields = vars(base) | {"position": app.position()}
    fields["tokens"] = base.tokens | {
        "organizer_desk": organizer,
        "volunteer": "vp_test_volunteer",
    }
    return Desk(
        **fields,
        volunteer=str(volunteer),
        december=str(december),
        january=str(january),
        february=str(february),
    )


def issue(
    desk: Desk, body: Any = None, role: str = "admin", member: str | None = None
) -> Any:
    url = f"/v1/members/{member or desk.volunteer}/certificates"
    return desk.client.post(url, json=body, headers=desk.headers(role))


def issued(desk: Desk, body: Any = None, role: str = "admin") -> dict[str, Any]:
    response = issue(desk, body, role)
    assert response.status_code == 201, response.text
    certificate: dict[str, Any] = response.json()
    desk.position = int(response.headers["X-Event-Position"])
    return certificate


def verify(desk: Desk, number: str) -> Any:
    return desk.client.get(f"/v1/certificates/{number}")


def digest_of(certificate: dict[str, Any]) -> str:
    """The digest as the canonical JSON of domain/certificate.py defines it."""
    return content_digest(
        {
            "number": certificate["number"],
            "member_id": certificate["member_id"],
            "name": certificate["name"],
            "masked_phone": certificate["masked_phone"],
            "period_from": certificate["from"],
            "period_to": certificate["to"],
            "hours": certificate["hours"],
            "activities": certificate["activities"],
            "issuer": certificate["issuer"],
            "issued_on": certificate["issued_at"],
            "position": certificate["position"],
            "head_digest": certificate["head_digest"],
        }
    )


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


def test_verification_needs_no_token_and_masks_the_name(desk: Desk) -> None:
    certificate = issued(desk, {"from": "2025-12-01"})

    response = verify(desk, certificate["number"])

    assert response.status_code == 200, response.text
    verified = response.json()
    assert set(verified) == VERIFIED_FIELDS
    assert verified == {
        "number": certificate["number"],
        "genuine": True,
        "name": "侯**",
        "hours": "4.5",
        "activities": 2,
        "from": "2025-12-01",
        "to": "2026-03-01",
        "issued_at": "2026-03-01",
        "issuer": "北戴河新区 戴河镇 海滨社区",
    }
    assert "13912345678" not in response.text
    assert "139****5678" not in response.text
    assert desk.volunteer not in response.text
    written_lower = verify(desk, f" {certificate['number'].lower()} ")
    assert written_lower.json() == verified
    with_token = desk.client.get(
        f"/v1/certificates/{certificate['number']}", headers=ADMIN
    )
    assert with_token.json() == verified


def test_a_later_correction_leaves_an_issued_certificate_as_it_was(
    desk: Desk, system: System
) -> None:
    certificate = issued(desk, {"from": "2025-12-01"})
    before = verify(desk, certificate["number"]).json()
    app = system.app
    app.record_attendance(
        UUID(desk.january),
        [(UUID(desk.volunteer), Decimal("2.5"))],
        BOOTSTRAP_ADMIN,
        reason="登记错误",
    )
    app.revoke_attendance(
        UUID(desk.december), UUID(desk.volunteer), "重复登记", BOOTSTRAP_ADMIN
    )

    after = verify(desk, certificate["number"])

    assert after.status_code == 200, after.text
    assert after.json() == before
    assert (after.json()["hours"], after.json()["activities"]) == ("4.5", 2)
    reissued = issued(desk, {"from": "2025-12-01"})
    assert (reissued["hours"], reissued["activities"]) == ("2.5", 1)
    assert reissued["position"] > certificate["position"]
    assert reissued["digest"] != certificate["digest"]


@pytest.mark.parametrize(
    "number",
    [
        "VPC-2026-7K3F9Q2M",
        "VPC-2026-7K3F9Q2",
        "VPC-26-7K3F9Q2M",
        "certificate",
        "VPC-2026-7K3F9Q2M%00",
        "%E4%BE%AF%E6%98%8E%E4%BA%AE",
        "x" * 5000,
        "..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_unknown_and_malformed_numbers_are_not_genuine(desk: Desk, number: str) -> None:
    response = desk.client.get(f"/v1/certificates/{number}")

    refusal = problem(response, 404, "not_found")
    assert refusal["genuine"] is False
    assert "Traceback" not in response.text


def test_the_pdf_shows_the_member_the_hours_and_the_number(desk: Desk) -> None:
    certificate = issued(desk, {"from": "2025-12-01"})

    response = desk.client.get(
        f"/v1/certificates/{certificate['number']}/pdf", headers=ADMIN
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="{certificate["number"]}.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)
    text = reader.pages[0].extract_text()
    for shown in (
        "志愿服务证明",
        "侯明亮",
        "139****5678",
        desk.volunteer,
        "4.5 小时",
        "2 次",
        "北戴河新区 戴河镇 海滨社区",
        "2026-03-01",
        certificate["number"],
        certificate["digest"],
    ):
        assert shown in text, shown


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("organizer_desk", 200),
        ("volunteer", 200),
        ("organizer_in", 403),
        ("member_self", 403),
        ("anonymous", 401),
    ],
)
def test_who_may_read_a_certificate_pdf(desk: Desk, role: str, status: int) -> None:
    number = issued(desk)["number"]
    url = f"/v1/certificates/{number}/pdf"

    response = desk.client.get(url, headers=desk.headers(role))

    assert response.status_code == status, response.text
    if status != 200:
        problem(response, status, "forbidden" if status == 403 else "unauthorized")
    if role == "admin":
        unknown = desk.client.get(
            "/v1/certificates/VPC-2026-7K3F9Q2M/pdf", headers=ADMIN
        )
        assert problem(unknown, 404, "not_found")["genuine"] is False

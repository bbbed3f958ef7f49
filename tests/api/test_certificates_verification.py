"""Service certificates verified over HTTP by anyone, without a token, with
the name masked; unchanged by later corrections; and their PDF."""

from __future__ import annotations

import io
from decimal import Decimal
from uuid import UUID

import pytest
from pypdf import PdfReader

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from tests.api.certificates_support import Desk, build_desk, issued, verify
from tests.api.support import ADMIN_TOKEN, Running, bearer, problem
from tests.conftest import STORES

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ADMIN = bearer(ADMIN_TOKEN)

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


@pytest.fixture
def desk(running: Running) -> Desk:
    return build_desk(running)


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

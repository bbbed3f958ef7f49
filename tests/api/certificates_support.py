"""The desk the certificate tests issue at: the scene's community placed in a
district and a street, and a volunteer who served in three months; and
issuing, verifying and digesting a certificate over HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from api.auth import BOOTSTRAP_ADMIN
from domain.certificate import content_digest
from tests.api.support import Running, Scene, build_scene


@dataclass
class Desk(Scene):
    """The scene, with its community placed in a district and a street, and 侯明亮,
    registered there since June 2025, who served 3 hours in December 2025,
    1.5 in January 2026 and 2 in February 2026 (revoked since)."""

    volunteer: str = ""
    december: str = ""
    january: str = ""
    february: str = ""


def build_desk(running: Running) -> Desk:
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

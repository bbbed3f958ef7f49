"""Service certificates (志愿服务证明): issued for a member's period with the
figures the read models hold at one position, and found again by their
number alone."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from api.services.read_models import caught_up
from api.system import System
from domain.application import VolunteerPoints
from domain.certificate import Certificate, normal_number
from domain.errors import NotFound
from domain.idempotency import RequestKey
from domain.results import CertificateIssued
from infrastructure.digest import head_digest


class NotGenuine(NotFound):
    """Raised when a certificate number is not one this system issued."""

    def extensions(self) -> dict[str, Any]:
        return {"genuine": False}


def issue_certificate(
    system: System,
    member_id: UUID,
    period_from: date | None,
    period_to: date | None,
    actor: str,
    *,
    request: RequestKey | None = None,
) -> CertificateIssued:
    """Issues a certificate of a member's hours and activities in a period
    (by default from the later of its registration and 1 January, to today),
    as the read models hold them once they reflect the whole log, fixed at
    that position and the log's digest up to it."""
    app = system.app
    start, end = app.certificate_period(member_id, period_from, period_to)
    issuer = issuer_of(app, member_id)
    position, hours, activities = caught_up(system).service_record(
        member_id, start, end
    )
    digest = head_digest(app, position)
    return app.issue_certificate(
        member_id,
        start,
        end,
        hours,
        activities,
        issuer,
        position,
        digest,
        actor,
        request=request,
    )


def issuer_of(app: VolunteerPoints, member_id: UUID) -> str:
    """The issuing organisation: the member's community, after its district and
    street when it is placed in the tree (else the street it names)."""
    community = app.community(app.member(member_id).community_id)
    names = [community.name]
    if community.street_id is not None:
        street = app.street(community.street_id)
        names = [app.district(street.district_id).name, street.name, community.name]
    elif community.street:
        names = [community.street, community.name]
    return " ".join(names)


def issued_certificate(system: System, number: str) -> Certificate:
    """The certificate of a number, as written or in any case; raises
    NotGenuine for a number this system did not issue."""
    normal = normal_number(number)
    if normal is not None:
        try:
            return system.app.certificate(normal)
        except NotFound:
            pass
    raise NotGenuine("证明编号不存在：不是本系统出具的志愿服务证明")

"""Service certificates (志愿服务证明): issued for a member's period with the
figures the read models hold at one position, verified by anyone from the
number alone, and printed as a PDF for the member and the organisers in
scope."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Response

from api import deps
from api.auth import Principal, require
from api.certificate_pdf import certificate_pdf
from api.problems import Problem
from api.schemas.certificates import CertificateIssued, CertificateVerified
from api.schemas.requests import CertificateCreate
from domain import results
from domain.application import VolunteerPoints
from domain.certificate import Certificate, mask_name, normal_number
from domain.errors import NotFound
from domain.idempotency import RequestKey
from domain.member import Member
from infrastructure.digest import head_digest

router = APIRouter(tags=["certificates"])
reads = deps.read_router("/v1/certificates", "certificates")
public = APIRouter(prefix="/v1/certificates", tags=["certificates"])

PDF: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "志愿服务证明 PDF（A4）",
        "content": {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
        },
    }
}


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


def may_hold(app: VolunteerPoints, principal: Principal, member_id: UUID) -> bool:
    """The member itself, admins, and organizers whose scope covers the
    member's community."""
    return principal.is_member(member_id) or principal.covers(
        app.scope_of(member_id, Member)
    )


def issued_certificate(app: VolunteerPoints, number: str) -> Certificate:
    """The certificate of a number, else a 404 saying it is not genuine."""
    normal = normal_number(number)
    if normal is not None:
        try:
            return app.certificate(normal)
        except NotFound:
            pass
    raise Problem(
        404,
        "not_found",
        "证明编号不存在：不是本系统出具的志愿服务证明",
        genuine=False,
    )


def issued(certificate: results.CertificateIssued) -> dict[str, Any]:
    return {
        "number": certificate.number,
        "member_id": certificate.member_id,
        "name": certificate.name,
        "masked_phone": certificate.masked_phone,
        "hours": certificate.hours,
        "activities": certificate.activities,
        "from": certificate.period_from,
        "to": certificate.period_to,
        "issued_at": certificate.issued_on,
        "issuer": certificate.issuer,
        "position": certificate.content_position,
        "head_digest": certificate.head_digest,
        "digest": certificate.digest,
    }


@router.post(
    "/v1/members/{member_id}/certificates",
    status_code=201,
    response_model=CertificateIssued,
    operation_id="issue_certificate",
)
def issue_certificate(
    member_id: UUID,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    system: deps.SystemDep,
    body: Annotated[CertificateCreate | None, Body()] = None,
) -> dict[str, Any]:
    """Issue a service certificate of a member's hours and activities in a
    period (by default from the later of its registration and 1 January, to
    today), fixed at the log position they were read at; admins, organizers
    covering the member, and the member itself."""
    app = write.app
    asked = body or CertificateCreate()
    require(may_hold(app, principal, member_id))

    def issue(*, request: RequestKey | None = None) -> results.CertificateIssued:
        start, end = app.certificate_period(
            member_id, asked.period_from, asked.period_to
        )
        issuer = issuer_of(app, member_id)
        system.catch_up_to_now()
        position, hours, activities = system.queries.service_record(
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
            principal.id,
            request=request,
        )

    return issued(write(asked, issue))


@public.get(
    "/{number:path}",
    response_model=CertificateVerified,
    operation_id="verify_certificate",
    dependencies=[deps.Consistent],
)
def verify_certificate(number: str, system: deps.SystemDep) -> dict[str, Any]:
    """Whether a certificate number is genuine, with what it certifies and the
    name masked; no token needed."""
    certificate = issued_certificate(system.app, number)
    return {
        "number": certificate.number,
        "genuine": certificate.is_intact(),
        "name": mask_name(certificate.name),
        "hours": certificate.hours,
        "activities": certificate.activities,
        "from": certificate.period_from,
        "to": certificate.period_to,
        "issued_at": certificate.issued_on,
        "issuer": certificate.issuer,
    }


@reads.get(
    "/{number}/pdf",
    response_class=Response,
    operation_id="get_certificate_pdf",
    responses=PDF,
)
def get_certificate_pdf(
    number: str, principal: deps.PrincipalDep, system: deps.SystemDep
) -> Response:
    """The certificate as an A4 PDF; the member itself, admins, and organizers
    covering the member."""
    app = system.app
    certificate = issued_certificate(app, number)
    require(may_hold(app, principal, certificate.member_id))
    return Response(
        certificate_pdf(certificate),
        media_type="application/pdf",
        headers={
            "Content-Disposition": (f'attachment; filename="{certificate.number}.pdf"')
        },
    )

"""Service certificates (志愿服务证明): issued for a member's period with the
figures the read models hold at one position, verified by anyone from the
number alone, and printed as a PDF for the member and the organisers in
scope."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Response

from api import deps, permissions
from api.certificate_pdf import certificate_pdf
from api.schemas.certificates import CertificateIssued, CertificateVerified
from api.schemas.requests import CertificateCreate
from api.services import certificates
from domain.certificate import mask_name

router = APIRouter(tags=["certificates"])

PDF: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "志愿服务证明 PDF（A4）",
        "content": {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
        },
    }
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
    request = body or CertificateCreate()
    permissions.can_act_for_member(write.app, principal, member_id)
    issued = write(
        request,
        certificates.issue_certificate,
        system,
        member_id,
        request.period_from,
        request.period_to,
        principal.id,
    )
    return {
        "number": issued.number,
        "member_id": issued.member_id,
        "name": issued.name,
        "masked_phone": issued.masked_phone,
        "hours": issued.hours,
        "activities": issued.activities,
        "from": issued.period_from,
        "to": issued.period_to,
        "issued_at": issued.issued_on,
        "issuer": issued.issuer,
        "position": issued.content_position,
        "head_digest": issued.head_digest,
        "digest": issued.digest,
    }


@router.get(
    "/v1/certificates/{number}/pdf",
    response_class=Response,
    operation_id="get_certificate_pdf",
    responses=PDF,
    dependencies=deps.READ,
)
def get_certificate_pdf(
    number: str, principal: deps.PrincipalDep, system: deps.SystemDep
) -> Response:
    """The certificate as an A4 PDF; the member itself, admins, and organizers
    covering the member."""
    certificate = certificates.issued_certificate(system, number)
    permissions.can_act_for_member(system.app, principal, certificate.member_id)
    return Response(
        certificate_pdf(certificate),
        media_type="application/pdf",
        headers={
            "Content-Disposition": (f'attachment; filename="{certificate.number}.pdf"')
        },
    )


# After the PDF's address, which this one's number (a path) would match too.
@router.get(
    "/v1/certificates/{number:path}",
    response_model=CertificateVerified,
    operation_id="verify_certificate",
    dependencies=[deps.Consistent],
)
def verify_certificate(number: str, system: deps.SystemDep) -> dict[str, Any]:
    """Whether a certificate number is genuine, with what it certifies and the
    name masked; no token needed."""
    certificate = certificates.issued_certificate(system, number)
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

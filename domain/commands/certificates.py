"""Service certificates (志愿服务证明): a member's hours and activities of a
period, read at one event log position and recorded with the digest of the
certificate's content."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.certificate import (
    Certificate,
    certificate_content,
    content_digest,
    mask_phone,
    new_number,
)
from domain.commands.saving import ApplicationBase, retried
from domain.dates import business_date, not_before
from domain.errors import InvalidCommand
from domain.idempotency import RequestKey
from domain.inputs import check_text
from domain.member import Member
from domain.points import to_decimal
from domain.results import CertificateIssued

MEMBER = "志愿者"
CERTIFICATE = "志愿服务证明"


def issued(certificate: Certificate) -> CertificateIssued:
    return CertificateIssued(
        certificate.number,
        certificate.member_id,
        certificate.name,
        certificate.masked_phone,
        certificate.period_from,
        certificate.period_to,
        certificate.hours,
        certificate.activities,
        certificate.issuer,
        certificate.issued_on,
        certificate.head_digest,
        certificate.digest,
        certificate.position,
    )


class CertificateCommands(ApplicationBase):
    def certificate_period(
        self,
        member_id: UUID,
        period_from: date | None = None,
        period_to: date | None = None,
    ) -> tuple[date, date]:
        """The period a certificate covers: business dates, ``period_from`` not
        after ``period_to``; by default from the later of the member's
        registration and 1 January of this year, to today."""
        member = self._load(Member, member_id, MEMBER)
        today = self.today()
        end = business_date(period_to, today, "to")
        if period_from is None:
            start = min(max(member.registered_on, date(today.year, 1, 1)), end)
        else:
            start = business_date(period_from, today, "from")
        not_before(end, start, "to", "from")
        return start, end

    def certificate(self, number: str) -> Certificate:
        return self._load(Certificate, Certificate.create_id(number), CERTIFICATE)

    @retried
    def issue_certificate(
        self,
        member_id: UUID,
        period_from: date,
        period_to: date,
        hours: str,
        activities: int,
        issuer: str,
        position: int,
        head_digest: str,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> CertificateIssued:
        """Records a certificate of the hours and activities read at
        ``position`` for the period, under a fresh random number."""
        member = self._load(Member, member_id, MEMBER)
        start, end = self.certificate_period(member_id, period_from, period_to)
        if to_decimal(hours, "hours") < 0:
            raise InvalidCommand("hours 不能为负数", "hours")
        if isinstance(activities, bool) or activities < 0:
            raise InvalidCommand("activities 必须是非负整数", "activities")
        if position < 0:
            raise InvalidCommand("position 不能为负数", "position")
        issuer = check_text(issuer, "issuer", max_length=500)
        today = self.today()
        number = new_number(today.year)
        content = certificate_content(
            number=number,
            member_id=member.id,
            name=member.name,
            masked_phone=mask_phone(member.phone),
            period_from=start,
            period_to=end,
            hours=hours,
            activities=activities,
            issuer=issuer,
            issued_on=today,
            position=position,
            head_digest=head_digest,
        )
        certificate = Certificate(
            number=number,
            member_id=member.id,
            name=member.name,
            masked_phone=content["masked_phone"],
            period_from=start,
            period_to=end,
            hours=hours,
            activities=activities,
            issuer=issuer,
            issued_on=today,
            position=position,
            head_digest=head_digest,
            digest=content_digest(content),
            actor=actor,
        )
        return self._saved(issued(certificate), certificate, request=request)

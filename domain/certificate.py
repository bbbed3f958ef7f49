"""Service certificates (志愿服务证明), as the national record rules
(志愿服务记录与证明出具办法) list their content: the member's name, masked
phone, volunteer number (the member id), the hours and activities of a period,
the issuing organisation, the date and the certificate number.

A certificate is fixed at the event log position its figures were read at, and
carries the digest of its content: SHA-256, as 64 hex digits, of the UTF-8
bytes of this canonical JSON (keys sorted, no spaces, ``ensure_ascii`` off)::

    {"activities": 3,                          int
     "head_digest": "…",                       the log's head digest at position
     "hours": "7.5",                           hours as text
     "issued_on": "2026-03-01",                ISO date
     "issuer": "北戴河新区 戴河镇 幸福里社区",
     "masked_phone": "138****8000",            or null
     "member_id": "…",                         the UUID, lower-case with hyphens
     "name": "王芳",
     "number": "VPC-2026-7K3F9Q2M",
     "period_from": "2026-01-01",              ISO date
     "period_to": "2026-03-01",                ISO date
     "position": 42}                           int
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate

PREFIX = "VPC"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 8
NUMBER_PATTERN = re.compile(rf"{PREFIX}-[0-9]{{4}}-[{ALPHABET}]{{{RANDOM_LENGTH}}}")


def new_number(year: int) -> str:
    """A fresh certificate number: ``VPC-<year>-`` and eight random characters
    of Crockford's base 32 (40 bits from the system's secure random source)."""
    tail = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{PREFIX}-{year:04d}-{tail}"


def normal_number(text: str) -> str | None:
    """A certificate number as written (any case, surrounding spaces), or None
    when it cannot be one."""
    number = text.strip().upper()
    return number if NUMBER_PATTERN.fullmatch(number) else None


def mask_name(name: str) -> str:
    """The surname kept, the rest ``*``: 侯** for 侯明亮."""
    return name[:1] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str | None) -> str | None:
    """The first three and last four digits kept: 138****8000 (a mobile
    number's +86 left off)."""
    if phone is None:
        return None
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) < 8:
        return "*" * len(digits) or None
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def content_digest(content: dict[str, Any]) -> str:
    """The SHA-256 of a certificate's canonical JSON (see the module's text)."""
    canonical = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def certificate_content(
    *,
    number: str,
    member_id: UUID,
    name: str,
    masked_phone: str | None,
    period_from: date,
    period_to: date,
    hours: str,
    activities: int,
    issuer: str,
    issued_on: date,
    position: int,
    head_digest: str,
) -> dict[str, Any]:
    """The fields the digest covers, as the canonical JSON holds them."""
    return {
        "number": number,
        "member_id": str(member_id),
        "name": name,
        "masked_phone": masked_phone,
        "period_from": period_from.isoformat(),
        "period_to": period_to.isoformat(),
        "hours": hours,
        "activities": activities,
        "issuer": issuer,
        "issued_on": issued_on.isoformat(),
        "position": position,
        "head_digest": head_digest,
    }


class Certificate(CachedAggregate):
    """A service certificate, found by its number alone (its id is derived from
    it), never changed once issued."""

    @staticmethod
    def create_id(number: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"vpoints:certificate:{number}")

    class Issued(Aggregate.Created):
        number: str
        member_id: UUID
        name: str
        masked_phone: str | None
        period_from: date
        period_to: date
        hours: str
        activities: int
        issuer: str
        issued_on: date
        position: int
        head_digest: str
        digest: str
        actor: str

    @event(Issued)
    def __init__(
        self,
        number: str,
        member_id: UUID,
        name: str,
        masked_phone: str | None,
        period_from: date,
        period_to: date,
        hours: str,
        activities: int,
        issuer: str,
        issued_on: date,
        position: int,
        head_digest: str,
        digest: str,
        actor: str,
    ) -> None:
        self.number = number
        self.member_id = member_id
        self.name = name
        self.masked_phone = masked_phone
        self.period_from = period_from
        self.period_to = period_to
        self.hours = hours
        self.activities = activities
        self.issuer = issuer
        self.issued_on = issued_on
        self.position = position
        self.head_digest = head_digest
        self.digest = digest
        self.actor = actor

    def content(self) -> dict[str, Any]:
        return certificate_content(
            number=self.number,
            member_id=self.member_id,
            name=self.name,
            masked_phone=self.masked_phone,
            period_from=self.period_from,
            period_to=self.period_to,
            hours=self.hours,
            activities=self.activities,
            issuer=self.issuer,
            issued_on=self.issued_on,
            position=self.position,
            head_digest=self.head_digest,
        )

    def is_intact(self) -> bool:
        """Whether the recorded digest is still that of the recorded content."""
        return secrets.compare_digest(content_digest(self.content()), self.digest)

"""What each command did, as plain data: the answer a client is shown, the
first time and on every replay of the same request.

A stored contract. The result of a request made with an Idempotency-Key is
stored with the command's events, under its class's name, and decoded on a
replay, perhaps years later, as ``cls(**fields)``. So a class here is never
renamed nor removed, a field never renamed, removed or given another type,
and a field is added only with a default. ``tests/unit/test_results.py``
holds each class's fields without a default, and fails on a new one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class Result:
    """The outcome of one command, at the event log ``position`` reflecting it."""

    position: int = field(default=0, kw_only=True)


@dataclass(frozen=True)
class DistrictRegistered(Result):
    id: UUID
    name: str


@dataclass(frozen=True)
class StreetRegistered(Result):
    id: UUID
    name: str
    district_id: UUID


@dataclass(frozen=True)
class CommunityRegistered(Result):
    id: UUID
    name: str
    street: str | None
    street_id: UUID | None = None
    district_id: UUID | None = None
    party_organisation: str | None = None


@dataclass(frozen=True)
class GridRegistered(Result):
    id: UUID
    name: str
    community_id: UUID
    party_organisation: bool


@dataclass(frozen=True)
class UnitRegistered(Result):
    id: UUID
    name: str


@dataclass(frozen=True)
class DoubleReported(Result):
    """A unit's or a member's report to a community; ``changed`` is False when
    it had already reported there."""

    id: UUID
    community_id: UUID
    reported_on: date
    changed: bool


@dataclass(frozen=True)
class DoubleReportEnded(Result):
    id: UUID
    community_id: UUID
    ended_on: date


@dataclass(frozen=True)
class MemberRegistered(Result):
    """A member's details as they stand after a registration or a change;
    ``changed`` is False when a change changed nothing."""

    id: UUID
    name: str
    community_id: UUID
    party_member: bool
    unit_id: UUID | None
    grid: str | None
    phone: str | None
    grid_id: UUID | None = None
    registered_on: date | None = None
    changed: bool = True


@dataclass(frozen=True)
class MemberMoved(Result):
    """The community a member is registered with; ``changed`` is False when
    the member was registered there already."""

    id: UUID
    community_id: UUID
    moved_on: date
    changed: bool = True


@dataclass(frozen=True)
class MembersMerged(Result):
    """The survivor of a merge, and what came to it from the duplicate:
    attendances moved, attendances revoked where both had attended, teams."""

    id: UUID
    name: str
    community_id: UUID
    duplicate_id: UUID
    reason: str
    attendances_moved: int
    attendances_revoked: int
    teams: int


@dataclass(frozen=True)
class MemberLeft(Result):
    id: UUID
    left_on: date
    reason: str


@dataclass(frozen=True)
class TeamFounded(Result):
    id: UUID
    name: str
    community_id: UUID
    founded_on: date | None = None


@dataclass(frozen=True)
class TeamMembershipChanged(Result):
    """A member joined (``member``) or left a team; ``changed`` is False when
    the member was already in it."""

    team_id: UUID
    member_id: UUID
    member: bool
    changed: bool = True
    on: date | None = None


@dataclass(frozen=True)
class TeamDissolved(Result):
    id: UUID
    name: str
    community_id: UUID
    dissolved_on: date | None = None


@dataclass(frozen=True)
class ActivityScheduled(Result):
    id: UUID
    title: str
    team_id: UUID
    community_id: UUID
    category: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class SignupChanged(Result):
    """A member signed up (``signed_up``) or withdrew; ``changed`` is False
    when the member had already signed up."""

    activity_id: UUID
    member_id: UUID
    signed_up: bool
    changed: bool = True


@dataclass(frozen=True)
class AttendanceWritten(Result):
    activity_id: UUID
    recorded: int
    unchanged: int
    corrected: int


@dataclass(frozen=True)
class MembersImported(Result):
    """A roster's rows: members created, and rows naming a member by a phone
    already known, which record nothing."""

    community_id: UUID
    rows: int
    created: int
    unchanged: int


@dataclass(frozen=True)
class AttendanceRevoked(Result):
    activity_id: UUID
    member_id: UUID
    reason: str


@dataclass(frozen=True)
class ActivityStatusChanged(Result):
    """An activity cancelled or closed; ``changed`` is False when it was closed
    already."""

    id: UUID
    status: str
    changed: bool = True


@dataclass(frozen=True)
class TokenIssued(Result):
    """A token's id and scope; never its secret, which is shown once."""

    id: UUID
    role: str
    community_ids: list[UUID]
    team_ids: list[UUID]
    member_id: UUID | None
    label: str | None
    district_ids: list[UUID] = field(default_factory=list)
    street_ids: list[UUID] = field(default_factory=list)


@dataclass(frozen=True)
class TokenRevoked(Result):
    id: UUID
    changed: bool


@dataclass(frozen=True)
class ReportPublished(Result):
    """A published report; its figures are those at ``figures_position``."""

    id: UUID
    scope: str
    scope_id: UUID | None
    year: int
    as_of: date
    published_at: datetime
    figures: dict[str, Any]
    head_digest: str
    figures_position: int


@dataclass(frozen=True)
class HoursClaimed(Result):
    """An hours claim (志愿时长申报) as it stands after a claim or a decision:
    ``decided_hours`` are the hours an approval recorded, ``reason`` a
    rejection's reason."""

    id: UUID
    status: str
    member_id: UUID
    activity_id: UUID
    community_id: UUID
    hours: Decimal
    note: str | None
    decided_hours: Decimal | None
    reason: str | None


@dataclass(frozen=True)
class CertificateIssued(Result):
    """A service certificate; its figures are those at ``content_position``."""

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
    head_digest: str
    digest: str
    content_position: int


@dataclass(frozen=True)
class RewardOffered(Result):
    id: UUID
    community_id: UUID
    name: str
    points: Decimal
    stock: int


@dataclass(frozen=True)
class Redeemed(Result):
    id: UUID
    member_id: UUID
    reward_id: UUID
    quantity: int
    points: Decimal
    balance: Decimal


@dataclass(frozen=True)
class RedemptionCancelled(Result):
    id: UUID
    member_id: UUID
    points: Decimal
    reason: str
    balance: Decimal


@dataclass(frozen=True)
class EarlierAnswer(Result):
    """An answer recorded, as HTTP status and body, by a release before results
    were recorded as such; it is replayed exactly as it was recorded."""

    status: int
    body: dict[str, Any]


@dataclass(frozen=True)
class SignInCodeSent(Result):
    """A code sent (or, for a phone of nobody, as good as sent): when it
    expires, and how many seconds until the phone may ask again."""

    expires_at: datetime
    retry_after: int


@dataclass(frozen=True)
class SessionStarted(Result):
    """A session begun or continued: whose, and the places it covers."""

    id: UUID
    role: str
    member_id: UUID | None
    organiser_id: UUID | None
    district_ids: list[UUID]
    street_ids: list[UUID]
    community_ids: list[UUID]
    team_ids: list[UUID]


@dataclass(frozen=True)
class SessionEnded(Result):
    id: UUID
    changed: bool


@dataclass(frozen=True)
class OrganiserRegistered(Result):
    id: UUID
    name: str
    phone: str
    district_ids: list[UUID]
    street_ids: list[UUID]
    community_ids: list[UUID]
    team_ids: list[UUID]


@dataclass(frozen=True)
class OrganiserRemoved(Result):
    id: UUID
    changed: bool


@dataclass(frozen=True)
class CheckinScanned(Result):
    """A member's scan at the door: ``kind`` "in" or "out"; ``repeated`` when
    it came within a minute of the last and changed nothing."""

    activity_id: UUID
    member_id: UUID
    kind: str
    at: datetime
    repeated: bool


@dataclass(frozen=True)
class CheckinsConfirmed(Result):
    """The attendances a confirmation recorded (member_id, hours, points) and
    the members it could not: no check-out, or under a quarter hour."""

    activity_id: UUID
    recorded: list[dict[str, Any]]
    missing_checkout: list[UUID]
    too_short: list[UUID]


@dataclass(frozen=True)
class RuleSetDrafted(Result):
    id: UUID
    name: str
    district_id: UUID | None
    categories: list[dict[str, Any]]
    caps: dict[str, Any]


@dataclass(frozen=True)
class RuleSetPublished(Result):
    id: UUID
    version: int
    effective_from: date

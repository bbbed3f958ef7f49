"""The application: the domain's verbs, each get → command → save."""

from __future__ import annotations

from domain.commands.access import AccessCommands
from domain.commands.activities import ActivityCommands
from domain.commands.base import Scope, utc_now
from domain.commands.certificates import CertificateCommands
from domain.commands.claims import ClaimCommands
from domain.commands.imports import ImportCommands
from domain.commands.members import MemberCommands
from domain.commands.merges import MergeCommands
from domain.commands.organisation import OrganisationCommands
from domain.commands.redemption import RedemptionCommands
from domain.commands.reports import ReportCommands
from domain.commands.teams import TeamCommands
from domain.idempotency import RequestAlreadyAnswered, RequestKey
from domain.results import AttendanceWritten, Result

__all__ = [
    "AttendanceWritten",
    "RequestAlreadyAnswered",
    "RequestKey",
    "Result",
    "Scope",
    "VolunteerPoints",
    "utc_now",
]


class VolunteerPoints(
    ImportCommands,
    OrganisationCommands,
    MemberCommands,
    TeamCommands,
    ActivityCommands,
    AccessCommands,
    ReportCommands,
    CertificateCommands,
    ClaimCommands,
    MergeCommands,
    RedemptionCommands,
):
    """Commands of the volunteer points system (志愿积分)."""

"""The application: the domain's verbs, each get → command → save."""

from __future__ import annotations

from domain.commands.activities import ActivityCommands
from domain.commands.certificates import CertificateCommands
from domain.commands.checkins import CheckinCommands
from domain.commands.claims import ClaimCommands
from domain.commands.imports import ImportCommands
from domain.commands.linked_sign_in import LinkedSignInCommands
from domain.commands.members import MemberCommands
from domain.commands.merges import MergeCommands
from domain.commands.organisation import OrganisationCommands
from domain.commands.redemption import RedemptionCommands
from domain.commands.reports import ReportCommands
from domain.commands.rules import RuleCommands
from domain.commands.saving import Retries, utc_now
from domain.commands.scopes import Scope
from domain.commands.teams import TeamCommands
from domain.commands.tokens import TokenCommands
from domain.idempotency import RequestAlreadyAnswered, RequestKey
from domain.results import AttendanceWritten, Result

__all__ = [
    "AttendanceWritten",
    "RequestAlreadyAnswered",
    "RequestKey",
    "Result",
    "Retries",
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
    TokenCommands,
    ReportCommands,
    CertificateCommands,
    ClaimCommands,
    MergeCommands,
    RedemptionCommands,
    LinkedSignInCommands,
    CheckinCommands,
    RuleCommands,
):
    """Commands of the volunteer points system (志愿积分).

    Its settings come from ``env``: ``POINTS_VALID_YEARS`` (how many calendar
    years points stay valid; 3 by default) and the library's own, such as
    ``AGGREGATE_CACHE_MAXSIZE``. ``infrastructure.storage.open_application``
    opens it on a database, with what storing and retrying need."""

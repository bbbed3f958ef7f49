"""The domain's exceptions. Each carries a stable machine word in ``code``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID


class DomainError(Exception):
    """Raised when a command breaks a rule of the domain; records nothing."""

    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def extensions(self) -> dict[str, Any]:
        """What the error names besides its message, for the client to act on."""
        return {}


class InvalidCommand(DomainError):
    """Raised when a command's values are malformed (empty name, bad window...)."""

    code = "validation_error"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidHours(InvalidCommand):
    """Raised when hours are not positive, not in steps of 0.25, or too long."""

    code = "invalid_hours"


class FutureDate(InvalidCommand):
    """Raised when a business date lies after today (Asia/Shanghai)."""

    code = "future_date"


class DateOutOfOrder(InvalidCommand):
    """Raised when a date comes before the date of the thing it ends or moves
    (leaving before joining, ending before reporting)."""

    code = "date_out_of_order"


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row of an imported file: ``row`` as the file's
    own numbering and ``field`` as a command names it."""

    row: int
    field: str | None
    code: str
    message: str


class InvalidRows(InvalidCommand):
    """Raised when rows of an imported file are wrong; lists every one of them."""

    code = "invalid_rows"

    def __init__(self, rows: list[RowError]) -> None:
        super().__init__(f"文件中有 {len({r.row for r in rows})} 行有误，未作任何登记")
        self.rows = rows


class NotFound(DomainError):
    """Raised when the thing a command is addressed to does not exist."""

    code = "not_found"


class UnknownReference(DomainError):
    """Raised when a command refers to another thing that does not exist."""

    code = "unknown_reference"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RuleConflict(DomainError):
    """Raised when a command conflicts with the current state of a thing."""

    code = "conflict"


class ActivityNotStarted(RuleConflict):
    """Raised when attendance is recorded before the activity has started."""

    code = "activity_not_started"


class ActivityStarted(RuleConflict):
    """Raised when a sign-up or withdrawal comes after the activity's start."""

    code = "activity_started"


class ActivityClosed(RuleConflict):
    """Raised when a closed activity is changed."""

    code = "activity_closed"


class ActivityCancelled(RuleConflict):
    """Raised when a cancelled activity is changed."""

    code = "activity_cancelled"


class AlreadyCancelled(RuleConflict):
    """Raised when an activity is cancelled twice."""

    code = "already_cancelled"


class ActivityFull(RuleConflict):
    """Raised when a sign-up would go beyond the activity's capacity."""

    code = "activity_full"


class TeamDissolved(RuleConflict):
    """Raised when a dissolved team is changed or given activities."""

    code = "team_dissolved"


class MemberDeregistered(RuleConflict):
    """Raised when a write names a member who has deregistered."""

    code = "member_deregistered"


class MemberMerged(RuleConflict):
    """Raised when a write names a member merged into another; names the
    survivor, the record to use instead."""

    code = "member_merged"

    def __init__(self, message: str, survivor_id: UUID) -> None:
        super().__init__(message)
        self.survivor_id = survivor_id

    def extensions(self) -> dict[str, Any]:
        return {"survivor_id": str(self.survivor_id)}


class InsufficientPoints(RuleConflict):
    """Raised when a redemption costs more than the balance, or the balance
    is below zero."""

    code = "insufficient_points"


class OutOfStock(RuleConflict):
    """Raised when a redemption asks for more of a reward than is in stock."""

    code = "out_of_stock"


class ClaimDecided(RuleConflict):
    """Raised when an hours claim already approved or rejected is decided again."""

    code = "claim_decided"


class NotReported(RuleConflict):
    """Raised when a double report is ended that is not in effect."""

    code = "not_reported"


class WriteConflict(RuleConflict):
    """Raised when concurrent writers kept conflicting after bounded retries."""

    code = "write_conflict"


class UnknownCategory(InvalidCommand):
    """Raised when an activity names no category of the rule set in effect on
    its date, or a cap names a category its rule set does not have."""

    code = "unknown_category"


class PointsSetByRules(InvalidCommand):
    """Raised when an activity gives its own points rule where a rule set is
    in effect on its date."""

    code = "points_set_by_rules"


class InvalidEffectiveFrom(InvalidCommand):
    """Raised when a rule set would take effect before 1 January of this year."""

    code = "invalid_effective_from"


class AlreadyPublished(RuleConflict):
    """Raised when a rule set already published is published again."""

    code = "already_published"

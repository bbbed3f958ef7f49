"""Members' records that more than one aggregate holds: a merge of two records
of the same person."""

from __future__ import annotations

from uuid import UUID

from api.services.read_models import caught_up
from api.system import System
from domain.idempotency import RequestKey
from domain.results import MembersMerged


def merge_members(
    system: System,
    survivor_id: UUID,
    duplicate_id: UUID,
    reason: str,
    actor: str,
    *,
    request: RequestKey | None = None,
) -> MembersMerged:
    """Merges a duplicate record of the same person into the survivor: the
    attendances and team memberships the read models know of move by events,
    and later writes naming the duplicate are refused."""
    activities, teams = caught_up(system).involvement(str(duplicate_id))
    return system.app.merge_members(
        survivor_id,
        duplicate_id,
        reason,
        actor,
        activity_ids=[UUID(a) for a in activities],
        team_ids=[UUID(t) for t in teams],
        request=request,
    )

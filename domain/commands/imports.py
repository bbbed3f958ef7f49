"""Imports of the organiser's files: a roster (花名册) registers its new
members, a sign-in sheet (签到表) records an activity's attendance; each in one
transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from domain.activity import Activity
from domain.commands.members import MemberCommands
from domain.commands.saving import in_turn, retried
from domain.community import Community
from domain.errors import InvalidCommand, InvalidRows, RowError, UnknownReference
from domain.idempotency import RequestKey
from domain.member import Member
from domain.results import AttendanceWritten, MembersImported


@dataclass(frozen=True)
class RosterEntry:
    """A roster row naming a new member, with the row's number in its file."""

    row: int
    name: str
    phone: str
    party_member: bool
    grid_id: UUID | None = None
    unit_id: UUID | None = None
    registered_on: date | None = None


class ImportCommands(MemberCommands):
    @retried
    def import_members(
        self,
        community_id: UUID,
        entries: Sequence[RosterEntry],
        actor: str,
        unchanged: int = 0,
        dry_run: bool = False,
        *,
        request: RequestKey | None = None,
    ) -> MembersImported:
        """Registers a roster's new members together, each checked as a
        registration is; ``unchanged`` counts the rows of members already
        known. Any wrong row refuses them all, naming every wrong row."""
        self._check_reference(Community, community_id, "community_id", "社区")
        members: list[Member] = []
        errors: list[RowError] = []
        for entry in entries:
            try:
                members.append(
                    self._new_member(
                        entry.name,
                        community_id,
                        entry.party_member,
                        actor,
                        unit_id=entry.unit_id,
                        phone=entry.phone,
                        registered_on=entry.registered_on,
                        grid_id=entry.grid_id,
                    )
                )
            except (InvalidCommand, UnknownReference) as error:
                errors.append(
                    RowError(entry.row, error.field, error.code, error.message)
                )
        if errors:
            raise InvalidRows(errors)
        imported = MembersImported(
            community_id, len(entries) + unchanged, len(members), unchanged
        )
        if dry_run:
            return replace(imported, position=self.position())
        return self._saved(imported, *members, request=request)

    @in_turn("activity_id")
    def import_attendance(
        self,
        activity_id: UUID,
        records: Sequence[tuple[UUID, object]],
        actor: str,
        dry_run: bool = False,
        *,
        request: RequestKey | None = None,
    ) -> AttendanceWritten:
        """Records a checked sign-in sheet's attendances, any number of them, in
        one transaction, by the rules of recording attendance."""
        activity = self._load(Activity, activity_id, "活动")
        if not records:
            raise InvalidCommand("签到表中没有参加记录", "records")
        self._check_registered(list(dict.fromkeys(m for m, _ in records)), "member_id")
        outcome = activity.record_attendance(records, self.clock(), actor)
        written = AttendanceWritten(
            activity.id, outcome.recorded, outcome.unchanged, outcome.corrected
        )
        if dry_run:
            return replace(written, position=self.position())
        return self._saved(written, activity, request=request)

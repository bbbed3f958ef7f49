"""Check-in at the door: members' scans, and the organiser's confirmation
that turns each complete stay into an attendance."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.activity import Activity
from domain.checkin import DoorList, stay_hours
from domain.commands.saving import ApplicationBase, in_turn
from domain.idempotency import RequestKey
from domain.results import CheckinScanned, CheckinsConfirmed


def _door_of(_: object, arguments: dict[str, Any]) -> UUID:
    return DoorList.create_id(arguments["activity_id"])


class CheckinCommands(ApplicationBase):
    def door_list(self, activity_id: UUID) -> DoorList | None:
        return self._found(DoorList, DoorList.create_id(activity_id))

    @in_turn(_door_of)
    def scan_checkin(
        self,
        activity_id: UUID,
        member_id: UUID,
        device: str,
        location: dict[str, Any] | None,
    ) -> CheckinScanned:
        """Checks the member in, or out at a later scan; a scan within a
        minute of the last is answered as that one was."""
        activity = self._load(Activity, activity_id, "活动")
        activity.check_is_not_cancelled()
        self._check_registered([member_id], "member_id")
        door = self.door_list(activity_id) or DoorList(activity_id=activity_id)
        scan = door.scan(
            member_id,
            self.clock(),
            activity.starts_at,
            activity.ends_at,
            device,
            location,
        )
        if scan is None:
            last = door.last_scan(member_id)
            assert last is not None
            repeated = CheckinScanned(activity_id, member_id, last.kind, last.at, True)
            return self._saved(repeated, request=None)
        scanned = CheckinScanned(activity_id, member_id, scan.kind, scan.at, False)
        return self._saved(scanned, door, request=None)

    @in_turn("activity_id", _door_of)
    def confirm_checkins(
        self, activity_id: UUID, actor: str, *, request: RequestKey | None = None
    ) -> CheckinsConfirmed:
        """Records an attendance of each stay not confirmed before: the time
        checked in within the activity's window. A member whose attendance
        is already recorded keeps it; those without a check-out, or in for
        under a quarter hour, are listed and given nothing."""
        activity = self._load(Activity, activity_id, "活动")
        door = self.door_list(activity_id) or DoorList(activity_id=activity_id)
        records: list[tuple[UUID, object]] = []
        confirmed: list[UUID] = []
        missing: list[UUID] = []
        too_short: list[UUID] = []
        stays = sorted(door.stays.items(), key=lambda item: item[1].checked_in_at)
        for member_id, stay in stays:
            if stay.confirmed:
                continue
            hours = stay_hours(stay, activity.starts_at, activity.ends_at)
            if hours is None:
                missing.append(member_id)
                continue
            if not hours:
                too_short.append(member_id)
                continue
            confirmed.append(member_id)
            current = activity.attendances.get(member_id)
            if current is None or current.revoked:
                records.append((member_id, hours))
        if records:
            activity.record_attendance(records, self.clock(), actor)
        door.confirm(confirmed, actor)
        recorded = [
            {
                "member_id": member_id,
                "hours": activity.attendances[member_id].hours,
                "points": activity.attendances[member_id].points,
            }
            for member_id, _ in records
        ]
        result = CheckinsConfirmed(activity_id, recorded, missing, too_short)
        changed = [a for a in (activity, door) if a.pending_events]
        return self._saved(result, *changed, request=request)

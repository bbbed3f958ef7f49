"""Check-in at the door: the code shown, the scans, who is in, and the
confirmation (each in a worker thread)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.system import System
from domain.activity import Activity
from domain.checkin import stay_hours
from domain.results import CheckinScanned, CheckinsConfirmed
from projections.amounts import hours_text, hundredths, points_text, tenths


def checkin_code(system: System, activity_id: UUID, base_url: str) -> dict[str, Any]:
    code, valid_until = system.checkin_codes.current(activity_id)
    url = f"{base_url.rstrip('/')}/console/checkin?activity={activity_id}&code={code}"
    return {"code": code, "url": url, "valid_until": valid_until}


def scan(
    system: System,
    activity_id: UUID,
    member_id: UUID,
    code: str,
    device: str,
    location: dict[str, Any] | None,
) -> CheckinScanned:
    system.app.ensure_exists(Activity, activity_id)
    system.checkin_codes.check(activity_id, code)
    device_key = system.sessions.device_key(device)
    return system.app.scan_checkin(activity_id, member_id, device_key, location)


def checkins(system: System, activity_id: UUID) -> dict[str, Any]:
    """Who scanned in and out, with the hours their stay would give."""
    activity: object = system.app.repository.get(activity_id)
    assert isinstance(activity, Activity)
    door = system.app.door_list(activity_id)
    stays = sorted(
        (door.stays.items() if door else []), key=lambda item: item[1].checked_in_at
    )
    names = system.command_queries.members_by_id([str(m) for m, _ in stays])
    items = []
    for member_id, stay in stays:
        hours = stay_hours(stay, activity.starts_at, activity.ends_at)
        items.append(
            {
                "member_id": member_id,
                "name": names.get(str(member_id), {}).get("name"),
                "checked_in_at": stay.checked_in_at,
                "checked_out_at": stay.checked_out_at,
                "hours": None if hours is None else hours_text(hundredths(hours)),
                "confirmed": stay.confirmed,
            }
        )
    return {"items": items}


def confirmed_answer(result: CheckinsConfirmed) -> dict[str, Any]:
    recorded = [
        {
            "member_id": entry["member_id"],
            "hours": hours_text(hundredths(entry["hours"])),
            "points": points_text(tenths(entry["points"])),
        }
        for entry in result.recorded
    ]
    return {
        "recorded": recorded,
        "missing_checkout": result.missing_checkout,
        "too_short": result.too_short,
        "position": result.position,
    }

"""Values of attendance: one member's hours and points at one activity."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID


@dataclass(frozen=True)
class Attendance:
    hours: Decimal
    points: Decimal
    revoked: bool = False


@dataclass(frozen=True)
class AttendanceOutcome:
    recorded: int
    unchanged: int
    corrected: int


class AttendanceEntry(NamedTuple):
    """One member's hours and points in an AttendanceRecorded event."""

    member_id: UUID
    hours: Decimal
    points: Decimal


class AttendanceChange(NamedTuple):
    """One member's new and earlier hours and points in an AttendanceCorrected event."""

    member_id: UUID
    hours: Decimal
    points: Decimal
    previous_hours: Decimal
    previous_points: Decimal

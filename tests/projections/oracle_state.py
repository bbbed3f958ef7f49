"""The stored events folded into plain, dated state, for the oracle.

Every fact keeps its business date; every ending keeps the date it ends on.
Nothing here counts anything: the oracle does, from this state. The fold
shares no code with ``projections/`` and does not import the domain's event
classes: it dispatches on each event's qualified class name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC
from typing import Any

from tests.projections.oracle_records import (
    Activity,
    Attendance,
    Change,
    Community,
    Grid,
    Interval,
    Member,
    Team,
    text,
)


class State:
    """Everything the events say, with every date."""

    def __init__(self, events: Iterable[Any]) -> None:
        self.districts: dict[str, str] = {}
        self.streets: dict[str, tuple[str, str]] = {}
        self.communities: dict[str, Community] = {}
        self.grids: dict[str, Grid] = {}
        self.units: dict[str, str] = {}
        self.unit_reports: dict[str, list[Interval]] = {}
        self.members: dict[str, Member] = {}
        self.teams: dict[str, Team] = {}
        self.activities: dict[str, Activity] = {}
        self.events = 0
        self.entries = 0
        self.kinds: set[str] = set()
        folds: dict[str, Callable[[Any], None]] = {
            "District.Registered": self._district_registered,
            "Street.Registered": self._street_registered,
            "Community.Registered": self._community_registered,
            "Grid.Registered": self._grid_registered,
            "Unit.Registered": self._unit_registered,
            "Unit.DoubleReported": self._unit_reported,
            "Unit.DoubleReportEnded": self._unit_report_ended,
            "Member.Registered": self._member_registered,
            "Member.DetailsChanged": self._details_changed,
            "Member.Moved": self._moved,
            "Member.Deregistered": self._deregistered,
            "Member.DoubleReported": self._member_reported,
            "Member.DoubleReportEnded": self._member_report_ended,
            "Team.Founded": self._team_founded,
            "Team.MemberJoined": self._member_joined,
            "Team.MemberLeft": self._member_left,
            "Team.Dissolved": self._team_dissolved,
            "Activity.Scheduled": self._scheduled,
            "Activity.SignedUp": self._signed_up,
            "Activity.Withdrew": self._withdrew,
            "Activity.AttendanceRecorded": self._recorded,
            "Activity.AttendanceCorrected": self._corrected,
            "Activity.AttendanceRevoked": self._revoked,
            "Activity.Cancelled": self._cancelled,
            "Activity.Closed": self._closed,
        }
        for event in events:
            self.events += 1
            kind = type(event).__qualname__
            self.kinds.add(kind)
            fold = folds.get(kind)
            if fold is not None:
                fold(event)

    # The organisation tree and units.

    def _district_registered(self, e: Any) -> None:
        self.districts[str(e.originator_id)] = e.name

    def _street_registered(self, e: Any) -> None:
        self.streets[str(e.originator_id)] = (e.name, str(e.district_id))

    def _community_registered(self, e: Any) -> None:
        community_id = str(e.originator_id)
        self.communities[community_id] = Community(
            community_id, e.name, e.street, text(e.street_id), e.party_organisation
        )

    def _grid_registered(self, e: Any) -> None:
        grid_id = str(e.originator_id)
        self.grids[grid_id] = Grid(
            grid_id, e.name, str(e.community_id), e.party_organisation
        )

    def _unit_registered(self, e: Any) -> None:
        self.units[str(e.originator_id)] = e.name
        self.unit_reports[str(e.originator_id)] = []

    def _unit_reported(self, e: Any) -> None:
        reports = self.unit_reports[str(e.originator_id)]
        reports.append(Interval(str(e.community_id), e.reported_on))

    def _unit_report_ended(self, e: Any) -> None:
        reports = self.unit_reports[str(e.originator_id)]
        (open_report,) = [
            r for r in reports if r.place_id == str(e.community_id) and r.end is None
        ]
        open_report.end = e.ended_on

    # Members.

    def _member_registered(self, e: Any) -> None:
        member_id = str(e.originator_id)
        period = Interval(str(e.community_id), e.registered_on, None, text(e.grid_id))
        self.members[member_id] = Member(
            member_id,
            e.name,
            e.party_member,
            text(e.unit_id),
            e.phone,
            e.registered_on,
            e.grid,
            [period],
        )

    def _details_changed(self, e: Any) -> None:
        member = self.members[str(e.originator_id)]
        for name, value in e.changes.items():
            if name == "grid_id":
                # The grid belongs to the registration period the member is in.
                member.periods[-1].grid_id = text(value)
            elif name == "grid":
                member.grid_name = value
            elif name == "unit_id":
                member.unit_id = text(value)
            else:
                setattr(member, name, value)

    def _moved(self, e: Any) -> None:
        member = self.members[str(e.originator_id)]
        assert member.periods[-1].place_id == str(e.previous_community_id)
        member.periods[-1].end = e.moved_on
        member.periods.append(Interval(str(e.community_id), e.moved_on))
        member.grid_name = None

    def _deregistered(self, e: Any) -> None:
        member = self.members[str(e.originator_id)]
        member.periods[-1].end = e.left_on
        member.left_on = e.left_on
        member.end_report(e.left_on)

    def _member_reported(self, e: Any) -> None:
        member = self.members[str(e.originator_id)]
        member.end_report(e.reported_on)
        member.reports.append(Interval(str(e.community_id), e.reported_on))

    def _member_report_ended(self, e: Any) -> None:
        member = self.members[str(e.originator_id)]
        assert member.reports[-1].place_id == str(e.community_id)
        member.end_report(e.ended_on)

    # Teams.

    def _team_founded(self, e: Any) -> None:
        team_id = str(e.originator_id)
        self.teams[team_id] = Team(team_id, e.name, str(e.community_id), e.founded_on)

    def _member_joined(self, e: Any) -> None:
        team = self.teams[str(e.originator_id)]
        team.memberships.append(Interval(str(e.member_id), e.joined_on))

    def _member_left(self, e: Any) -> None:
        team = self.teams[str(e.originator_id)]
        (open_membership,) = [
            m
            for m in team.memberships
            if m.place_id == str(e.member_id) and m.end is None
        ]
        open_membership.end = e.left_on

    def _team_dissolved(self, e: Any) -> None:
        self.teams[str(e.originator_id)].dissolved_on = e.dissolved_on

    # Activities and attendance.

    def _scheduled(self, e: Any) -> None:
        activity_id = str(e.originator_id)
        self.activities[activity_id] = Activity(
            activity_id,
            e.title,
            str(e.team_id),
            str(e.community_id),
            e.category,
            e.starts_at.astimezone(UTC),
            e.ends_at.astimezone(UTC),
            e.location,
            e.capacity,
            e.points_per_hour,
            e.fixed_points,
        )

    def _signed_up(self, e: Any) -> None:
        self.activities[str(e.originator_id)].signups.add(str(e.member_id))

    def _withdrew(self, e: Any) -> None:
        self.activities[str(e.originator_id)].signups.remove(str(e.member_id))

    def _attend(self, e: Any, status: str, reason: str | None) -> None:
        activity = self.activities[str(e.originator_id)]
        kind = type(e).__qualname__.rpartition(".")[2]
        for entry in e.entries:
            self.entries += 1
            member_id = str(entry["member_id"])
            hours = entry["hours"]
            points = activity.points_for(hours)
            assert entry["points"] == points, (entry, points)
            change = Change(kind, hours, points, e.actor, e.timestamp, reason)
            earlier = activity.attendances.get(member_id)
            if earlier is not None and earlier.counts:
                change.previous_hours = earlier.hours
                change.previous_points = earlier.points
            if earlier is None:
                attendance = Attendance(member_id, hours, points, status, e.actor, None)
                activity.attendances[member_id] = attendance
            else:
                attendance = earlier
                attendance.hours, attendance.points = hours, points
                attendance.status = status
                if status == "recorded":
                    attendance.recorded_by = e.actor
            attendance.reason = reason
            attendance.history.append(change)

    def _recorded(self, e: Any) -> None:
        self._attend(e, "recorded", None)

    def _corrected(self, e: Any) -> None:
        self._attend(e, "corrected", e.reason)

    def _take_back(self, attendance: Attendance, status: str, e: Any) -> None:
        attendance.status = status
        attendance.reason = e.reason
        kind = type(e).__qualname__.rpartition(".")[2]
        attendance.history.append(
            Change(
                kind,
                attendance.hours,
                attendance.points,
                e.actor,
                e.timestamp,
                e.reason,
            )
        )

    def _revoked(self, e: Any) -> None:
        activity = self.activities[str(e.originator_id)]
        self._take_back(activity.attendances[str(e.member_id)], "revoked", e)

    def _cancelled(self, e: Any) -> None:
        # From the state, not from the event's own list: every attendance
        # still counting is taken back.
        activity = self.activities[str(e.originator_id)]
        activity.status = "cancelled"
        for attendance in activity.attendances.values():
            if attendance.counts:
                self._take_back(attendance, "cancelled", e)

    def _closed(self, e: Any) -> None:
        self.activities[str(e.originator_id)].status = "closed"

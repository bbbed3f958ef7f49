"""The oracle's figures of a member (points, statement, place on the
leaderboard) and of a team."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.projections.oracle_counting import (
    STAR_HOURS,
    Counting,
    hours_shown,
    points_shown,
    total,
)
from tests.projections.oracle_records import (
    Activity,
    Attendance,
    Team,
    text,
)


class MemberFigures(Counting):
    """What a member's and a team's figures must be."""

    # A member's figures.

    def member_points(self, member_id: str, year: int, on: date) -> dict[str, Any]:
        """Points and hours from the year's activities held through D; lifetime
        totals and star rating from every activity held on or before D (as of
        the end of the year, never after today: for a year not begun, as of
        today)."""
        this_year = self.earned(member_id, year, on)
        lifetime = [t for a, t in self.counting(member_id) if a.day <= on]
        lifetime_hours = total(t.hours for t in lifetime)
        return {
            "member_id": member_id,
            "year": year,
            "as_of": on.isoformat(),
            "points": points_shown(total(t.points for t in this_year)),
            "hours": hours_shown(total(t.hours for t in this_year)),
            "activities": len(this_year),
            "lifetime_points": points_shown(total(t.points for t in lifetime)),
            "lifetime_hours": hours_shown(lifetime_hours),
            "star": sum(1 for h in STAR_HOURS if lifetime_hours >= h),
        }

    def statement(self, member_id: str, year: int, on: date) -> dict[str, Any]:
        """Every attendance at the year's activities dated from 1 January
        through D, revoked and cancelled ones included, by start time.

        Choices where the text leaves one: ``recorded_by`` is who recorded the
        attendance (recording it again after a revocation makes a new
        recorder; corrections, revocations and cancellations do not);
        ``reason`` is that of the latest correction, revocation or
        cancellation, none once recorded again. Each history entry carries
        the hours and points its event concerns: recorded, corrected to, or
        taken back by a revocation or cancellation; only a correction has
        earlier values (``previous_hours``, ``previous_points``: DESIGN names
        them for corrections alone)."""
        rows = sorted(
            (
                (a, t)
                for a, t in self._by_member.get(member_id, [])
                if date(year, 1, 1) <= a.day <= on
            ),
            key=lambda row: (row[0].starts_at, row[0].id),
        )
        totals = self.member_points(member_id, year, on)
        return {
            "member_id": member_id,
            "year": year,
            "as_of": on.isoformat(),
            "items": [self._item(a, t) for a, t in rows],
            "points": totals["points"],
            "hours": totals["hours"],
        }

    @staticmethod
    def _item(activity: Activity, attendance: Attendance) -> dict[str, Any]:
        return {
            "activity_id": activity.id,
            "title": activity.title,
            "date": activity.day.isoformat(),
            "hours": str(attendance.hours),
            "points": str(attendance.points) if attendance.counts else "0.0",
            # Without rule sets, every point is the activity's own rule's.
            "full_points": str(attendance.points),
            "rule_version": None,
            "status": attendance.status,
            "recorded_by": attendance.recorded_by,
            "reason": attendance.reason,
            "history": [
                {
                    "type": change.type,
                    "hours": str(change.hours),
                    "points": str(change.points),
                    "previous_hours": text(change.previous_hours),
                    "previous_points": text(change.previous_points),
                    "recorded_by": change.actor,
                    "recorded_at": change.at.isoformat(),
                    "reason": change.reason,
                    "rule_version": None,
                    "previous_rule_version": None,
                }
                for change in attendance.history
            ],
        }

    def leaderboard(
        self, community_id: str, year: int, on: date, limit: int
    ) -> dict[str, Any]:
        """The community's members on D with annual points, most points first
        (then most hours, then member id); members with none are left out."""
        board = []
        for member in self.registered(on, {community_id}):
            earned = self.earned(member.id, year, on)
            points = total(t.points for t in earned)
            hours = total(t.hours for t in earned)
            if points > 0:
                board.append((-points, -hours, member.id, member.name, points, hours))
        board.sort()
        return {
            "community_id": community_id,
            "year": year,
            "as_of": on.isoformat(),
            "items": [
                {
                    "member_id": member_id,
                    "name": name,
                    "points": points_shown(points),
                    "hours": hours_shown(hours),
                }
                for _, _, member_id, name, points, hours in board[:limit]
            ],
        }

    # A team.

    def team(self, team_id: str, year: int, on: date) -> dict[str, Any] | None:
        """The team's record as known now, and its figures as of D: members on
        D (none while the team does not stand: before ``founded_on`` or from
        ``dissolved_on``), its activities held in the year through D, whatever
        became of the team (dissolving leaves its activities as they are)."""
        team = self.teams.get(team_id)
        if team is None:
            return None
        begun = self.begun(year, on)
        held = [
            a
            for a in self.activities.values()
            if a.team_id == team_id and begun and self.held(a, year, on)
        ]
        counted = [t for a in held for t in a.attendances.values() if t.counts]
        members = team.members_on(on) if begun and team.stands_on(on) else set()
        return self.team_record(team) | {
            "year": year,
            "as_of": on.isoformat(),
            "members": len(members),
            "activities": len(held),
            "participations": len(counted),
            "hours": hours_shown(total(t.hours for t in counted)),
            "points": points_shown(total(t.points for t in counted)),
        }

    @staticmethod
    def team_record(team: Team) -> dict[str, Any]:
        return {
            "id": team.id,
            "name": team.name,
            "community_id": team.community_id,
            "dissolved": team.dissolved_on is not None,
            "founded_on": team.founded_on.isoformat(),
            "dissolved_on": None
            if team.dissolved_on is None
            else team.dissolved_on.isoformat(),
        }

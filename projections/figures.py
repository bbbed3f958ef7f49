"""The projection: one handler per event, each folding it into a page of writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from domain.activity import Activity
from domain.community import Community, Unit
from domain.member import Member
from domain.rules import local_date
from domain.team import Team
from projections.page import Page
from projections.sealing import Sealer
from projections.view import Cursor

Handler = Callable[[Any, Page], None]
ACTIVITIES_REMEMBERED = 200_000


def event_class(aggregate: type[Any], name: str) -> type[Any]:
    """An event class that ``@event`` made on an aggregate."""
    cls: type[Any] = getattr(aggregate, name)
    return cls


def tenths(points: Decimal) -> int:
    return int(points * 10)


def hundredths(hours: Decimal) -> int:
    return int(hours * 100)


class Figures:
    """Every read model, kept by one projection so a page of events is one
    transaction with one tracking position."""

    def __init__(self, sealer: Sealer | None = None) -> None:
        self.sealer = sealer or Sealer()
        self.activities: dict[str, tuple[str, str, int]] = {}
        self.handlers: dict[type[Any], Handler] = {
            event_class(Community, "Registered"): self.community_registered,
            event_class(Unit, "Registered"): self.unit_registered,
            event_class(Unit, "DoubleReported"): self.unit_double_reported,
            event_class(Member, "Registered"): self.member_registered,
            event_class(Member, "DoubleReported"): self.member_double_reported,
            event_class(Team, "Founded"): self.team_founded,
            event_class(Team, "MemberJoined"): self.team_member_joined,
            event_class(Team, "MemberLeft"): self.team_member_left,
            event_class(Team, "Dissolved"): self.team_dissolved,
            event_class(Activity, "Scheduled"): self.activity_scheduled,
            event_class(Activity, "SignedUp"): self.activity_signed_up,
            event_class(Activity, "Withdrew"): self.activity_withdrew,
            event_class(Activity, "AttendanceRecorded"): self.attendance_recorded,
            event_class(Activity, "AttendanceCorrected"): self.attendance_corrected,
            event_class(Activity, "AttendanceRevoked"): self.attendance_revoked,
            event_class(Activity, "Cancelled"): self.activity_cancelled,
            event_class(Activity, "Closed"): self.activity_closed,
        }

    def process(self, events: Iterable[Any], c: Cursor) -> None:
        page = Page(c)
        for domain_event in events:
            handler = self.handlers.get(type(domain_event))
            if handler is not None:
                handler(domain_event, page)
        page.flush()

    def community_registered(self, e: Any, page: Page) -> None:
        page.run(
            "INSERT INTO @vp_community VALUES (?, ?, ?)",
            (str(e.originator_id), e.name, e.street),
        )

    def unit_registered(self, e: Any, page: Page) -> None:
        page.run("INSERT INTO @vp_unit VALUES (?, ?)", (str(e.originator_id), e.name))

    def unit_double_reported(self, e: Any, page: Page) -> None:
        page.run(
            "INSERT INTO @vp_unit_report VALUES (?, ?, ?)",
            (str(e.originator_id), str(e.community_id), e.reported_on.isoformat()),
        )

    def member_registered(self, e: Any, page: Page) -> None:
        page.run(
            "INSERT INTO @vp_member VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            (
                str(e.originator_id),
                self.sealer.seal(e.name),
                str(e.community_id),
                int(e.party_member),
                None if e.unit_id is None else str(e.unit_id),
                e.grid,
                self.sealer.seal(e.phone),
                e.registered_on.isoformat(),
            ),
        )

    def member_double_reported(self, e: Any, page: Page) -> None:
        page.run(
            "UPDATE @vp_member SET reported_to = ?, reported_on = ? "
            "WHERE member_id = ?",
            (str(e.community_id), e.reported_on.isoformat(), str(e.originator_id)),
        )

    def team_founded(self, e: Any, page: Page) -> None:
        page.run(
            "INSERT INTO @vp_team VALUES (?, ?, ?, 0)",
            (str(e.originator_id), e.name, str(e.community_id)),
        )

    def team_member_joined(self, e: Any, page: Page) -> None:
        page.run(
            "INSERT INTO @vp_team_member VALUES (?, ?)",
            (str(e.originator_id), str(e.member_id)),
        )

    def team_member_left(self, e: Any, page: Page) -> None:
        page.run(
            "DELETE FROM @vp_team_member WHERE team_id = ? AND member_id = ?",
            (str(e.originator_id), str(e.member_id)),
        )

    def team_dissolved(self, e: Any, page: Page) -> None:
        page.run(
            "UPDATE @vp_team SET dissolved = 1 WHERE team_id = ?",
            (str(e.originator_id),),
        )

    def activity_scheduled(self, e: Any, page: Page) -> None:
        activity_id = str(e.originator_id)
        day = local_date(e.starts_at)
        team_id, community_id = str(e.team_id), str(e.community_id)
        page.run(
            "INSERT INTO @vp_activity VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, 0, 0)",
            (
                activity_id,
                e.title,
                team_id,
                community_id,
                e.category,
                e.starts_at.isoformat(),
                e.ends_at.isoformat(),
                day.isoformat(),
                day.year,
                e.location,
                e.capacity,
            ),
        )
        self._remember(activity_id, (team_id, community_id, day.year))
        page.add_team_year(team_id, day.year, community_id, 1)

    def activity_signed_up(self, e: Any, page: Page) -> None:
        page.count(str(e.originator_id), signups=1)

    def activity_withdrew(self, e: Any, page: Page) -> None:
        page.count(str(e.originator_id), signups=-1)

    def attendance_recorded(self, e: Any, page: Page) -> None:
        activity_id = str(e.originator_id)
        team_id, community_id, year = self._activity(page, activity_id)
        hours_total = points_total = 0
        for entry in e.entries:
            member_id = str(entry["member_id"])
            hours, points = entry["hours"], entry["points"]
            h100, p10 = hundredths(hours), tenths(points)
            page.put_attendance(
                (
                    activity_id,
                    member_id,
                    year,
                    str(hours),
                    str(points),
                    h100,
                    p10,
                    "recorded",
                    e.actor,
                    None,
                )
            )
            page.add_member_year(member_id, year, p10, h100, 1)
            hours_total += h100
            points_total += p10
        count = len(e.entries)
        page.add_team_year(
            team_id, year, community_id, 0, count, hours_total, points_total
        )
        page.count(activity_id, attendances=count)

    def attendance_corrected(self, e: Any, page: Page) -> None:
        activity_id = str(e.originator_id)
        team_id, community_id, year = self._activity(page, activity_id)
        for entry in e.entries:
            member_id = str(entry["member_id"])
            hours, points = entry["hours"], entry["points"]
            h100, p10 = hundredths(hours), tenths(points)
            d_hours = h100 - hundredths(entry["previous_hours"])
            d_points = p10 - tenths(entry["previous_points"])
            page.put_attendance(
                (
                    activity_id,
                    member_id,
                    year,
                    str(hours),
                    str(points),
                    h100,
                    p10,
                    "corrected",
                    e.actor,
                    e.reason,
                )
            )
            page.add_member_year(member_id, year, d_points, d_hours, 0)
            page.add_team_year(team_id, year, community_id, 0, 0, d_hours, d_points)

    def attendance_revoked(self, e: Any, page: Page) -> None:
        self._take_back(page, str(e.originator_id), [e.member_id], "revoked", e)

    def activity_cancelled(self, e: Any, page: Page) -> None:
        activity_id = str(e.originator_id)
        self._take_back(page, activity_id, e.revoked_member_ids, "cancelled", e)
        team_id, community_id, year = self._activity(page, activity_id)
        page.add_team_year(team_id, year, community_id, -1)
        page.run(
            "UPDATE @vp_activity SET status = 'cancelled' WHERE activity_id = ?",
            (activity_id,),
        )

    def activity_closed(self, e: Any, page: Page) -> None:
        page.run(
            "UPDATE @vp_activity SET status = 'closed' WHERE activity_id = ?",
            (str(e.originator_id),),
        )

    def _take_back(
        self,
        page: Page,
        activity_id: str,
        member_ids: Iterable[Any],
        status: str,
        e: Any,
    ) -> None:
        team_id, community_id, year = self._activity(page, activity_id)
        taken = 0
        for member in member_ids:
            row = page.attendance_row(activity_id, str(member))
            hours, points = row[5], row[6]
            page.put_attendance((*row[:7], status, e.actor, e.reason))
            page.add_member_year(str(member), year, -points, -hours, -1)
            page.add_team_year(team_id, year, community_id, 0, -1, -hours, -points)
            taken += 1
        page.count(activity_id, attendances=-taken)

    def _activity(self, page: Page, activity_id: str) -> tuple[str, str, int]:
        known = self.activities.get(activity_id)
        if known is None:
            row = page.query(
                "SELECT team_id, community_id, year FROM @vp_activity "
                "WHERE activity_id = ?",
                [activity_id],
            )
            known = (row["team_id"], row["community_id"], int(row["year"]))
            self._remember(activity_id, known)
        return known

    def _remember(self, activity_id: str, facts: tuple[str, str, int]) -> None:
        if len(self.activities) >= ACTIVITIES_REMEMBERED:
            self.activities.clear()
        self.activities[activity_id] = facts

"""The projection: one handler per event, each turning it into table rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from domain.activity import Activity
from domain.community import Community, Unit
from domain.member import Member
from domain.rules import local_date
from domain.team import Team
from projections.sealing import Sealer
from projections.view import Cursor

Handler = Callable[[Any, Cursor], None]

MEMBER_YEAR_UPSERT = (
    "INSERT INTO @vp_member_year VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (member_id, year) DO UPDATE SET "
    "points10 = vp_member_year.points10 + excluded.points10, "
    "hours100 = vp_member_year.hours100 + excluded.hours100, "
    "activities = vp_member_year.activities + excluded.activities"
)


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
        for domain_event in events:
            handler = self.handlers.get(type(domain_event))
            if handler is not None:
                handler(domain_event, c)

    def community_registered(self, e: Any, c: Cursor) -> None:
        c.execute(
            "INSERT INTO @vp_community VALUES (?, ?, ?)",
            [str(e.originator_id), e.name, e.street],
        )

    def unit_registered(self, e: Any, c: Cursor) -> None:
        c.execute("INSERT INTO @vp_unit VALUES (?, ?)", [str(e.originator_id), e.name])

    def unit_double_reported(self, e: Any, c: Cursor) -> None:
        c.execute(
            "INSERT INTO @vp_unit_report VALUES (?, ?, ?)",
            [str(e.originator_id), str(e.community_id), e.reported_on.isoformat()],
        )

    def member_registered(self, e: Any, c: Cursor) -> None:
        c.execute(
            "INSERT INTO @vp_member VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            [
                str(e.originator_id),
                self.sealer.seal(e.name),
                str(e.community_id),
                int(e.party_member),
                None if e.unit_id is None else str(e.unit_id),
                e.grid,
                self.sealer.seal(e.phone),
                e.registered_on.isoformat(),
            ],
        )

    def member_double_reported(self, e: Any, c: Cursor) -> None:
        c.execute(
            "UPDATE @vp_member SET reported_to = ?, reported_on = ? "
            "WHERE member_id = ?",
            [str(e.community_id), e.reported_on.isoformat(), str(e.originator_id)],
        )

    def team_founded(self, e: Any, c: Cursor) -> None:
        c.execute(
            "INSERT INTO @vp_team VALUES (?, ?, ?, 0)",
            [str(e.originator_id), e.name, str(e.community_id)],
        )

    def team_member_joined(self, e: Any, c: Cursor) -> None:
        c.execute(
            "INSERT INTO @vp_team_member VALUES (?, ?)",
            [str(e.originator_id), str(e.member_id)],
        )

    def team_member_left(self, e: Any, c: Cursor) -> None:
        c.execute(
            "DELETE FROM @vp_team_member WHERE team_id = ? AND member_id = ?",
            [str(e.originator_id), str(e.member_id)],
        )

    def team_dissolved(self, e: Any, c: Cursor) -> None:
        c.execute(
            "UPDATE @vp_team SET dissolved = 1 WHERE team_id = ?",
            [str(e.originator_id)],
        )

    def activity_scheduled(self, e: Any, c: Cursor) -> None:
        day = local_date(e.starts_at)
        c.execute(
            "INSERT INTO @vp_activity VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, 0, 0)",
            [
                str(e.originator_id),
                e.title,
                str(e.team_id),
                str(e.community_id),
                e.category,
                e.starts_at.isoformat(),
                e.ends_at.isoformat(),
                day.isoformat(),
                day.year,
                e.location,
                e.capacity,
            ],
        )
        self._add_to_team_year(c, str(e.team_id), day.year, str(e.community_id), 1)

    def activity_signed_up(self, e: Any, c: Cursor) -> None:
        self._count_signups(c, str(e.originator_id), 1)

    def activity_withdrew(self, e: Any, c: Cursor) -> None:
        self._count_signups(c, str(e.originator_id), -1)

    def attendance_recorded(self, e: Any, c: Cursor) -> None:
        activity_id = str(e.originator_id)
        team_id, community_id, year = self._activity(c, activity_id)
        rows = [
            (
                str(entry["member_id"]),
                str(entry["hours"]),
                str(entry["points"]),
                hundredths(entry["hours"]),
                tenths(entry["points"]),
            )
            for entry in e.entries
        ]
        c.executemany(
            "DELETE FROM @vp_attendance WHERE activity_id = ? AND member_id = ?",
            [(activity_id, member_id) for member_id, *_ in rows],
        )
        c.executemany(
            "INSERT INTO @vp_attendance VALUES "
            "(?, ?, ?, ?, ?, ?, ?, 'recorded', ?, NULL)",
            [
                (activity_id, m, year, h, p, h100, p10, e.actor)
                for m, h, p, h100, p10 in rows
            ],
        )
        c.executemany(
            MEMBER_YEAR_UPSERT,
            [(m, year, p10, h100, 1) for m, _, _, h100, p10 in rows],
        )
        self._add_to_team_year(
            c,
            team_id,
            year,
            community_id,
            0,
            len(rows),
            sum(row[3] for row in rows),
            sum(row[4] for row in rows),
        )
        self._count_attendances(c, activity_id, len(rows))

    def attendance_corrected(self, e: Any, c: Cursor) -> None:
        activity_id = str(e.originator_id)
        team_id, community_id, year = self._activity(c, activity_id)
        for entry in e.entries:
            member_id = str(entry["member_id"])
            hours, points = entry["hours"], entry["points"]
            row = c.execute(
                "SELECT hours100, points10 FROM @vp_attendance "
                "WHERE activity_id = ? AND member_id = ?",
                [activity_id, member_id],
            ).fetchone()
            d_hours = hundredths(hours) - int(row["hours100"])
            d_points = tenths(points) - int(row["points10"])
            c.execute(
                "UPDATE @vp_attendance SET hours = ?, points = ?, hours100 = ?, "
                "points10 = ?, status = 'corrected', recorded_by = ?, reason = ? "
                "WHERE activity_id = ? AND member_id = ?",
                [
                    str(hours),
                    str(points),
                    hundredths(hours),
                    tenths(points),
                    e.actor,
                    e.reason,
                    activity_id,
                    member_id,
                ],
            )
            self._add_to_member_year(c, member_id, year, d_points, d_hours, 0)
            self._add_to_team_year(
                c, team_id, year, community_id, 0, 0, d_hours, d_points
            )

    def attendance_revoked(self, e: Any, c: Cursor) -> None:
        self._take_back(c, str(e.originator_id), [e.member_id], "revoked", e)

    def activity_cancelled(self, e: Any, c: Cursor) -> None:
        activity_id = str(e.originator_id)
        self._take_back(c, activity_id, e.revoked_member_ids, "cancelled", e)
        team_id, community_id, year = self._activity(c, activity_id)
        self._add_to_team_year(c, team_id, year, community_id, -1)
        c.execute(
            "UPDATE @vp_activity SET status = 'cancelled' WHERE activity_id = ?",
            [activity_id],
        )

    def activity_closed(self, e: Any, c: Cursor) -> None:
        c.execute(
            "UPDATE @vp_activity SET status = 'closed' WHERE activity_id = ?",
            [str(e.originator_id)],
        )

    def _take_back(
        self,
        c: Cursor,
        activity_id: str,
        member_ids: Iterable[Any],
        status: str,
        e: Any,
    ) -> None:
        team_id, community_id, year = self._activity(c, activity_id)
        taken = 0
        for member in member_ids:
            member_id = str(member)
            row = c.execute(
                "SELECT hours100, points10 FROM @vp_attendance "
                "WHERE activity_id = ? AND member_id = ?",
                [activity_id, member_id],
            ).fetchone()
            hours, points = int(row["hours100"]), int(row["points10"])
            c.execute(
                "UPDATE @vp_attendance SET status = ?, reason = ?, recorded_by = ? "
                "WHERE activity_id = ? AND member_id = ?",
                [status, e.reason, e.actor, activity_id, member_id],
            )
            self._add_to_member_year(c, member_id, year, -points, -hours, -1)
            self._add_to_team_year(
                c, team_id, year, community_id, 0, -1, -hours, -points
            )
            taken += 1
        self._count_attendances(c, activity_id, -taken)

    def _activity(self, c: Cursor, activity_id: str) -> tuple[str, str, int]:
        row = c.execute(
            "SELECT team_id, community_id, year FROM @vp_activity "
            "WHERE activity_id = ?",
            [activity_id],
        ).fetchone()
        return row["team_id"], row["community_id"], int(row["year"])

    def _count_signups(self, c: Cursor, activity_id: str, delta: int) -> None:
        c.execute(
            "UPDATE @vp_activity SET signups = signups + ? WHERE activity_id = ?",
            [delta, activity_id],
        )

    def _count_attendances(self, c: Cursor, activity_id: str, delta: int) -> None:
        c.execute(
            "UPDATE @vp_activity SET attendances = attendances + ? "
            "WHERE activity_id = ?",
            [delta, activity_id],
        )

    def _add_to_member_year(
        self, c: Cursor, member_id: str, year: int, points: int, hours: int, n: int
    ) -> None:
        c.execute(MEMBER_YEAR_UPSERT, [member_id, year, points, hours, n])

    def _add_to_team_year(
        self,
        c: Cursor,
        team_id: str,
        year: int,
        community_id: str,
        activities: int,
        participations: int = 0,
        hours: int = 0,
        points: int = 0,
    ) -> None:
        c.execute(
            "INSERT INTO @vp_team_year VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (team_id, year) DO UPDATE SET "
            "activities = vp_team_year.activities + excluded.activities, "
            "participations = vp_team_year.participations + excluded.participations, "
            "hours100 = vp_team_year.hours100 + excluded.hours100, "
            "points10 = vp_team_year.points10 + excluded.points10",
            [team_id, year, community_id, activities, participations, hours, points],
        )

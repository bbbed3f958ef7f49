"""The 台账 of a scope for a year as of a date D: its activities held, each
attendance of them, and the members registered in it on D, read from the other
read models' tables in keyset-paginated batches, so that an export of any size
holds one batch in memory at a time. This module keeps no table of its own.

Each batch is its own short read: a batch is fetched whole before it is
handed on, so no read stays open while the rows are written out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from projections.amounts import Stored, hours_decimal
from projections.attendance_rows import EARNING as COUNTED
from projections.figures import EARNING, covers, in_scope
from projections.sealing import Sealer
from projections.sql import Reader, Row, Sql

BATCH = 2000
SCOPES = ("all", "district", "street", "community")


def held(scope: str) -> Sql:
    """A batch of the scope's activities held from :start to :on, after the
    key (:after_date, :after_id)."""
    return Sql(
        "SELECT v.activity_id, v.title, v.category, v.local_date, v.status, "
        "v.attendances, v.hours100, v.points10, t.name AS team "
        "FROM {t}vp_activity v LEFT JOIN {t}vp_team t ON t.team_id = v.team_id "
        f"WHERE {in_scope(scope, 'v.community_id')} "
        "AND v.local_date BETWEEN :start AND :on "
        "AND (v.local_date > :after_date "
        "OR (v.local_date = :after_date AND v.activity_id > :after_id)) "
        "ORDER BY v.local_date, v.activity_id LIMIT :batch"
    )


ACTIVITY_ATTENDANCE = Sql(
    "SELECT a.member_id, a.hours100, a.points10, a.status, a.recorded_by, "
    "m.name, m.grid FROM {t}vp_attendance a "
    "LEFT JOIN {t}vp_member m ON m.member_id = a.member_id "
    "WHERE a.activity_id = :activity_id AND a.member_id > :after "
    "ORDER BY a.member_id LIMIT :batch"
)
MEMBER_YEAR = (
    "(SELECT SUM(a.{column}) FROM {{t}}vp_attendance a "
    "WHERE a.member_id = r.member_id AND a.local_date BETWEEN :start AND :on "
    f"AND a.status IN {EARNING})"
)


def registered(scope: str) -> Sql:
    """A batch of the members registered in the scope on :on, after the
    member id :after, with their points and hours of the year to :on."""
    return Sql(
        "SELECT r.member_id, m.name, m.phone, m.party_member, m.registered_on, "
        "COALESCE(g.name, CASE WHEN r.until IS NULL THEN m.grid END) AS grid, "
        f"{MEMBER_YEAR.format(column='points10')} AS points10, "
        f"{MEMBER_YEAR.format(column='hours100')} AS hours100 "
        "FROM {t}vp_member_registration r "
        "JOIN {t}vp_member m ON m.member_id = r.member_id "
        "LEFT JOIN {t}vp_grid g ON g.grid_id = r.grid_id "
        f"WHERE {in_scope(scope, 'r.community_id')} "
        f"AND {covers('r', 'since', 'until')} AND r.member_id > :after "
        "ORDER BY r.member_id LIMIT :batch"
    )


HELD = {scope: held(scope) for scope in SCOPES}
REGISTERED = {scope: registered(scope) for scope in SCOPES}


class ActivityLine(NamedTuple):
    activity_id: str
    date: date
    title: str
    team: str
    category: str
    status: str
    attendances: int
    hours: Decimal
    points: Decimal


class AttendanceLine(NamedTuple):
    date: date
    activity: str
    team: str
    category: str
    member_id: str
    member: str
    grid: str
    hours: Decimal
    points: Decimal
    status: str
    recorded_by: str


class MemberLine(NamedTuple):
    member_id: str
    name: str
    phone: str
    grid: str
    party_member: bool
    registered_on: date
    points: Decimal
    hours: Decimal


def points_decimal(points10: Stored) -> Decimal:
    return Decimal(int(points10 or 0)) / 10


class LedgerQueries:
    """The rows of a scope's 台账, a batch at a time: ``scope`` is "district",
    "street", "community" (or "all", where ``scope_id`` is None)."""

    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer

    def activity_rows(
        self,
        scope: str,
        scope_id: str | None,
        year: int,
        on: date,
        batch: int = BATCH,
    ) -> Iterator[ActivityLine]:
        """The scope's activities held in the year up to D, by date."""
        sql = HELD[scope]
        params: dict[str, object] = {
            "scope_id": scope_id,
            "start": date(year, 1, 1).isoformat(),
            "on": on.isoformat(),
            "after_date": "",
            "after_id": "",
            "batch": batch,
        }
        while True:
            rows = self.view.all(sql, params)
            for row in rows:
                yield ActivityLine(
                    activity_id=row["activity_id"],
                    date=date.fromisoformat(row["local_date"]),
                    title=row["title"],
                    team=row["team"] or "",
                    category=row["category"],
                    status=row["status"],
                    attendances=int(row["attendances"]),
                    hours=hours_decimal(row["hours100"]),
                    points=points_decimal(row["points10"]),
                )
            if len(rows) < batch:
                return
            last = rows[-1]
            params |= {
                "after_date": last["local_date"],
                "after_id": last["activity_id"],
            }

    def attendance_rows(
        self,
        scope: str,
        scope_id: str | None,
        year: int,
        on: date,
        batch: int = BATCH,
    ) -> Iterator[AttendanceLine]:
        """Every attendance of the scope's activities held in the year up to
        D, whatever its status, by date, activity and member; as in a
        statement, one revoked or cancelled keeps its hours and earns no
        points."""
        for activity in self.activity_rows(scope, scope_id, year, on, batch):
            for row in self._attendances(activity.activity_id, batch):
                yield AttendanceLine(
                    date=activity.date,
                    activity=activity.title,
                    team=activity.team,
                    category=activity.category,
                    member_id=row["member_id"],
                    member=self.sealer.open(row["name"]) or "",
                    grid=row["grid"] or "",
                    hours=hours_decimal(row["hours100"]),
                    points=points_decimal(
                        row["points10"] if row["status"] in COUNTED else 0
                    ),
                    status=row["status"],
                    recorded_by=row["recorded_by"],
                )

    def member_rows(
        self,
        scope: str,
        scope_id: str | None,
        year: int,
        on: date,
        batch: int = BATCH,
    ) -> Iterator[MemberLine]:
        """The members registered in the scope on D, with their points and
        hours of the year up to D."""
        sql = REGISTERED[scope]
        params: dict[str, object] = {
            "scope_id": scope_id,
            "start": date(year, 1, 1).isoformat(),
            "on": on.isoformat(),
            "after": "",
            "batch": batch,
        }
        while True:
            rows = self.view.all(sql, params)
            for row in rows:
                yield MemberLine(
                    member_id=row["member_id"],
                    name=self.sealer.open(row["name"]) or "",
                    phone=self.sealer.open(row["phone"]) or "",
                    grid=row["grid"] or "",
                    party_member=bool(row["party_member"]),
                    registered_on=date.fromisoformat(row["registered_on"]),
                    points=points_decimal(row["points10"]),
                    hours=hours_decimal(row["hours100"]),
                )
            if len(rows) < batch:
                return
            params["after"] = rows[-1]["member_id"]

    def _attendances(self, activity_id: str, batch: int) -> Iterator[Row]:
        params: dict[str, object] = {
            "activity_id": activity_id,
            "after": "",
            "batch": batch,
        }
        while True:
            rows = self.view.all(ACTIVITY_ATTENDANCE, params)
            yield from rows
            if len(rows) < batch:
                return
            params["after"] = rows[-1]["member_id"]

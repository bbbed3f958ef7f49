"""Members (志愿者): who they are, where they registered and where they
double-report; a member's record and statement, and a community's members."""

from __future__ import annotations

from typing import Any, NamedTuple

from eventsourcing.domain import DomainEvent

from domain.member import Member
from projections.page import Handler, Page, on
from projections.paging import decode_cursor, page
from projections.points import EARNING, PointsQueries
from projections.sealing import Sealer
from projections.sql import Reader, Row, Statement, Table

TABLES = (
    Table(
        "vp_member",
        "member_id TEXT PRIMARY KEY, name TEXT NOT NULL, "
        "community_id TEXT NOT NULL, party_member INTEGER NOT NULL, unit_id TEXT, "
        "grid TEXT, phone TEXT, registered_on TEXT NOT NULL, reported_to TEXT, "
        "reported_on TEXT",
        {
            "vp_member_community": "community_id, registered_on",
            "vp_member_reported": "reported_to",
        },
    ),
)

INSERT_MEMBER = Statement(
    sqlite="INSERT INTO vp_member VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    postgres="INSERT INTO {schema}.vp_member "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
)
REPORT_MEMBER = Statement(
    sqlite="UPDATE vp_member SET reported_to = ?, reported_on = ? WHERE member_id = ?",
    postgres="UPDATE {schema}.vp_member SET reported_to = %s, reported_on = %s "
    "WHERE member_id = %s",
)
SELECT_MEMBER = Statement(
    sqlite="SELECT * FROM vp_member WHERE member_id = ?",
    postgres="SELECT * FROM {schema}.vp_member WHERE member_id = %s",
)
MEMBER_TEAMS = Statement(
    sqlite="SELECT team_id FROM vp_team_member WHERE member_id = ? ORDER BY team_id",
    postgres="SELECT team_id FROM {schema}.vp_team_member WHERE member_id = %s "
    "ORDER BY team_id",
)
COMMUNITY_MEMBERS = Statement(
    sqlite="SELECT * FROM vp_member WHERE community_id = ? AND member_id > ? "
    "ORDER BY member_id LIMIT ?",
    postgres="SELECT * FROM {schema}.vp_member WHERE community_id = %s "
    "AND member_id > %s ORDER BY member_id LIMIT %s",
)

STATEMENT_ITEMS = Statement(
    sqlite="SELECT a.activity_id, v.title, v.local_date, a.hours, a.points, "
    "a.status, a.recorded_by, a.reason FROM vp_attendance a "
    "JOIN vp_activity v ON v.activity_id = a.activity_id "
    "WHERE a.member_id = ? AND a.year = ? ORDER BY v.starts_at, a.activity_id",
    postgres="SELECT a.activity_id, v.title, v.local_date, a.hours, a.points, "
    "a.status, a.recorded_by, a.reason FROM {schema}.vp_attendance a "
    "JOIN {schema}.vp_activity v ON v.activity_id = a.activity_id "
    "WHERE a.member_id = %s AND a.year = %s ORDER BY v.starts_at, a.activity_id",
)


class MemberRow(NamedTuple):
    """A row of vp_member, in column order; name and phone sealed."""

    member_id: str
    name: str | None
    community_id: str
    party_member: int
    unit_id: str | None
    grid: str | None
    phone: str | None
    registered_on: str
    reported_to: str | None
    reported_on: str | None


class Members:
    """Keeps vp_member."""

    def __init__(self, sealer: Sealer) -> None:
        self.sealer = sealer

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Member.Registered, self.member_registered),
            on(Member.DoubleReported, self.member_double_reported),
        ]

    def member_registered(self, e: Member.Registered, page: Page) -> None:
        page.run(
            INSERT_MEMBER,
            MemberRow(
                str(e.originator_id),
                self.sealer.seal(e.name),
                str(e.community_id),
                int(e.party_member),
                None if e.unit_id is None else str(e.unit_id),
                e.grid,
                self.sealer.seal(e.phone),
                e.registered_on.isoformat(),
                reported_to=None,
                reported_on=None,
            ),
        )

    def member_double_reported(self, e: Member.DoubleReported, page: Page) -> None:
        page.run(
            REPORT_MEMBER,
            (str(e.community_id), e.reported_on.isoformat(), str(e.originator_id)),
        )


class MemberQueries:
    """A member's record and statement, and a community's members."""

    def __init__(self, view: Reader, sealer: Sealer, points: PointsQueries) -> None:
        self.view = view
        self.sealer = sealer
        self.points = points

    def member(self, member_id: str) -> dict[str, Any] | None:
        with self.view.read() as c:
            row = c.execute(SELECT_MEMBER, (member_id,)).one()
            if row is None:
                return None
            teams = c.execute(MEMBER_TEAMS, (member_id,)).all()
        return self._record(row) | {"teams": [t["team_id"] for t in teams]}

    def statement(self, member_id: str, year: int) -> dict[str, Any]:
        rows = self.view.all(STATEMENT_ITEMS, (member_id, year))
        totals = self.points.member_points(member_id, year)
        return {
            "member_id": member_id,
            "year": year,
            "items": [self._item(r) for r in rows],
            "points": totals["points"],
            "hours": totals["hours"],
        }

    @staticmethod
    def _item(row: Row) -> dict[str, Any]:
        return {
            "activity_id": row["activity_id"],
            "title": row["title"],
            "date": row["local_date"],
            "hours": row["hours"],
            "points": row["points"] if row["status"] in EARNING else "0.0",
            "status": row["status"],
            "recorded_by": row["recorded_by"],
            "reason": row["reason"],
        }

    def community_members(
        self, community_id: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        after = decode_cursor(cursor, 1)[0] if cursor else ""
        rows = self.view.all(COMMUNITY_MEMBERS, (community_id, after, limit + 1))
        rows, next_cursor = page(rows, limit, ["member_id"])
        return {
            "items": [self._record(r) for r in rows],
            "next_cursor": next_cursor,
        }

    def _record(self, row: Row) -> dict[str, Any]:
        report = None
        if row["reported_to"]:
            report = {
                "community_id": row["reported_to"],
                "reported_on": row["reported_on"],
            }
        return {
            "id": row["member_id"],
            "name": self.sealer.open(row["name"]),
            "community_id": row["community_id"],
            "party_member": bool(row["party_member"]),
            "unit_id": row["unit_id"],
            "grid": row["grid"],
            "phone": self.sealer.open(row["phone"]),
            "registered_on": row["registered_on"],
            "double_report": report,
        }

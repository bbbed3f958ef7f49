"""Members (志愿者): who they are now, and the dated periods of their
registration (community and grid) and of their double report (个人报到); a
member's record and a community's members."""

from __future__ import annotations

from typing import Any, NamedTuple

from eventsourcing.domain import DomainEvent

from domain.member import Member
from projections.attendance_rows import EARNING_SQL
from projections.batch import Batch, Handler, on
from projections.paging import decode_cursor, page
from projections.sealing import Sealer
from projections.sql import Reader, Row, Sql, Table

TABLES = (
    Table(
        "vp_member",
        "member_id TEXT PRIMARY KEY, name TEXT NOT NULL, "
        "community_id TEXT NOT NULL, party_member INTEGER NOT NULL, unit_id TEXT, "
        "grid_id TEXT, grid TEXT, phone TEXT, registered_on TEXT NOT NULL, "
        "left_on TEXT, reported_to TEXT, reported_on TEXT, merged_into TEXT",
        {
            "vp_member_community": "community_id",
            "vp_member_reported": "reported_to",
        },
    ),
    Table(
        "vp_member_registration",
        "member_id TEXT NOT NULL, version INTEGER NOT NULL, "
        "community_id TEXT NOT NULL, grid_id TEXT, since TEXT NOT NULL, until TEXT, "
        "PRIMARY KEY (member_id, version)",
        {
            "vp_registration_community": "community_id, since, until, member_id",
            "vp_registration_grid": "grid_id, since, until, member_id, community_id",
            "vp_registration_since": "since, until, member_id",
        },
    ),
    Table(
        "vp_member_report",
        "member_id TEXT NOT NULL, origin_id TEXT NOT NULL, version INTEGER NOT NULL, "
        "community_id TEXT NOT NULL, reported_on TEXT NOT NULL, ended_on TEXT, "
        "PRIMARY KEY (origin_id, version)",
        {
            "vp_member_report_community": "community_id, reported_on, ended_on",
            "vp_member_report_on": "reported_on, ended_on",
            "vp_member_report_member": "member_id",
        },
        kept=frozenset({"vp_member_report_member"}),
    ),
)

INSERT_MEMBER = Sql(
    "INSERT INTO {t}vp_member VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)"
)
INSERT_REGISTRATION = Sql(
    "INSERT INTO {t}vp_member_registration VALUES (?, ?, ?, ?, ?, NULL)"
)
END_REGISTRATION = Sql(
    "UPDATE {t}vp_member_registration SET until = ? "
    "WHERE member_id = ? AND until IS NULL"
)
SET_REGISTRATION_GRID = Sql(
    "UPDATE {t}vp_member_registration SET grid_id = ? "
    "WHERE member_id = ? AND until IS NULL"
)
INSERT_REPORT = Sql("INSERT INTO {t}vp_member_report VALUES (?, ?, ?, ?, ?, NULL)")
END_REPORT = Sql(
    "UPDATE {t}vp_member_report SET ended_on = ? "
    "WHERE member_id = ? AND ended_on IS NULL"
)
REPORT_MEMBER = Sql(
    "UPDATE {t}vp_member SET reported_to = ?, reported_on = ? WHERE member_id = ?"
)
MOVE_MEMBER = Sql(
    "UPDATE {t}vp_member SET community_id = ?, grid_id = NULL, grid = NULL "
    "WHERE member_id = ?"
)
DEREGISTER_MEMBER = Sql(
    "UPDATE {t}vp_member SET left_on = ?, reported_to = NULL, reported_on = NULL "
    "WHERE member_id = ?"
)
MERGE_MEMBER = Sql(
    "UPDATE {t}vp_member SET merged_into = ?, reported_to = NULL, "
    "reported_on = NULL WHERE member_id = ?"
)
FORGET_REGISTRATIONS = Sql("DELETE FROM {t}vp_member_registration WHERE member_id = ?")
MOVE_REPORTS = Sql("UPDATE {t}vp_member_report SET member_id = ? WHERE member_id = ?")
CHANGE_DETAIL = {
    column: Sql(f"UPDATE {{t}}vp_member SET {column} = ? WHERE member_id = ?")
    for column in ("name", "phone", "grid_id", "grid", "party_member", "unit_id")
}
SELECT_MEMBER = Sql("SELECT * FROM {t}vp_member WHERE member_id = ?")
MEMBER_TEAMS = Sql(
    "SELECT DISTINCT team_id FROM {t}vp_team_member "
    "WHERE member_id = ? AND left_on IS NULL ORDER BY team_id"
)
MEMBER_ATTENDED = Sql(
    "SELECT activity_id FROM {t}vp_attendance WHERE member_id = ? "
    f"AND status IN {EARNING_SQL} ORDER BY activity_id"
)
MEMBER_EVER_IN = Sql(
    "SELECT DISTINCT team_id FROM {t}vp_team_member WHERE member_id = ? "
    "ORDER BY team_id"
)
COMMUNITY_MEMBERS = Sql(
    "SELECT * FROM {t}vp_member WHERE community_id = ? AND member_id > ? "
    "ORDER BY member_id LIMIT ?"
)


class MemberRow(NamedTuple):
    """A row of vp_member, in column order; name and phone sealed."""

    member_id: str
    name: str | None
    community_id: str
    party_member: int
    unit_id: str | None
    grid_id: str | None
    grid: str | None
    phone: str | None
    registered_on: str
    left_on: str | None
    reported_to: str | None
    reported_on: str | None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


class Members:
    """Keeps vp_member, vp_member_registration and vp_member_report."""

    def __init__(self, sealer: Sealer) -> None:
        self.sealer = sealer

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Member.Registered, self.member_registered),
            on(Member.DetailsChanged, self.details_changed),
            on(Member.Moved, self.member_moved),
            on(Member.Deregistered, self.member_deregistered),
            on(Member.DoubleReported, self.member_double_reported),
            on(Member.DoubleReportEnded, self.member_double_report_ended),
            on(Member.Merged, self.member_merged),
            on(Member.Absorbed, self.member_absorbed),
        ]

    def member_registered(self, e: Member.Registered, batch: Batch) -> None:
        member_id = str(e.originator_id)
        batch.run(
            INSERT_MEMBER,
            MemberRow(
                member_id,
                self.sealer.seal(e.name),
                str(e.community_id),
                int(e.party_member),
                _text(e.unit_id),
                _text(e.grid_id),
                e.grid,
                self.sealer.seal(e.phone),
                e.registered_on.isoformat(),
                left_on=None,
                reported_to=None,
                reported_on=None,
            ),
        )
        batch.run(
            INSERT_REGISTRATION,
            (
                member_id,
                e.originator_version,
                str(e.community_id),
                _text(e.grid_id),
                e.registered_on.isoformat(),
            ),
        )

    def details_changed(self, e: Member.DetailsChanged, batch: Batch) -> None:
        member_id = str(e.originator_id)
        for column, value in e.changes.items():
            if column in ("name", "phone"):
                stored: object = self.sealer.seal(value)
            elif column == "party_member":
                stored = int(value)
            else:
                stored = _text(value)
            batch.run(CHANGE_DETAIL[column], (stored, member_id))
            if column == "grid_id":
                batch.run(SET_REGISTRATION_GRID, (stored, member_id))

    def member_moved(self, e: Member.Moved, batch: Batch) -> None:
        member_id = str(e.originator_id)
        moved_on = e.moved_on.isoformat()
        batch.run(MOVE_MEMBER, (str(e.community_id), member_id))
        batch.run(END_REGISTRATION, (moved_on, member_id))
        batch.run(
            INSERT_REGISTRATION,
            (member_id, e.originator_version, str(e.community_id), None, moved_on),
        )

    def member_deregistered(self, e: Member.Deregistered, batch: Batch) -> None:
        member_id = str(e.originator_id)
        left_on = e.left_on.isoformat()
        batch.run(DEREGISTER_MEMBER, (left_on, member_id))
        batch.run(END_REGISTRATION, (left_on, member_id))
        batch.run(END_REPORT, (left_on, member_id))

    def member_double_reported(self, e: Member.DoubleReported, batch: Batch) -> None:
        member_id = str(e.originator_id)
        reported_on = e.reported_on.isoformat()
        batch.run(REPORT_MEMBER, (str(e.community_id), reported_on, member_id))
        batch.run(END_REPORT, (reported_on, member_id))
        batch.run(
            INSERT_REPORT,
            (
                member_id,
                member_id,
                e.originator_version,
                str(e.community_id),
                reported_on,
            ),
        )

    def member_double_report_ended(
        self, e: Member.DoubleReportEnded, batch: Batch
    ) -> None:
        member_id = str(e.originator_id)
        batch.run(REPORT_MEMBER, (None, None, member_id))
        batch.run(END_REPORT, (e.ended_on.isoformat(), member_id))

    def member_merged(self, e: Member.Merged, batch: Batch) -> None:
        """The duplicate no longer counts as a registered member on any date;
        its double reports, ended or not, count as the survivor's."""
        member_id, survivor_id = str(e.originator_id), str(e.survivor_id)
        batch.run(MERGE_MEMBER, (survivor_id, member_id))
        batch.run(FORGET_REGISTRATIONS, (member_id,))
        batch.run(MOVE_REPORTS, (survivor_id, member_id))

    def member_absorbed(self, e: Member.Absorbed, batch: Batch) -> None:
        if e.reported_to is not None and e.reported_on is not None:
            batch.run(
                REPORT_MEMBER,
                (
                    str(e.reported_to),
                    e.reported_on.isoformat(),
                    str(e.originator_id),
                ),
            )


class MemberQueries:
    """A member's record, and a community's members."""

    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer

    def member(self, member_id: str) -> dict[str, Any] | None:
        with self.view.read() as c:
            row = c.execute(SELECT_MEMBER, (member_id,)).one()
            if row is None:
                return None
            teams = c.execute(MEMBER_TEAMS, (member_id,)).all()
        return self._record(row) | {"teams": [t["team_id"] for t in teams]}

    def involvement(self, member_id: str) -> tuple[list[str], list[str]]:
        """The activities where a member's attendance counts, and the teams it
        is or was in: what a merge of that member has to move."""
        with self.view.read() as c:
            activities = c.execute(MEMBER_ATTENDED, (member_id,)).all()
            teams = c.execute(MEMBER_EVER_IN, (member_id,)).all()
        return [r["activity_id"] for r in activities], [r["team_id"] for r in teams]

    def community_members(
        self, community_id: str, limit: int, cursor: str | None, q: str | None = None
    ) -> dict[str, Any]:
        after = decode_cursor(cursor, 1)[0] if cursor else ""
        if q:
            rows = self._matching(community_id, after, limit + 1, q)
        else:
            rows = self.view.all(COMMUNITY_MEMBERS, (community_id, after, limit + 1))
        rows, next_cursor = page(rows, limit, ["member_id"])
        return {
            "items": [self._record(r) for r in rows],
            "next_cursor": next_cursor,
        }

    def _matching(
        self, community_id: str, after: str, wanted: int, q: str
    ) -> list[Row]:
        """Members whose name or phone contains ``q``: names and phones may be
        sealed at rest, so they are compared once opened, a batch at a time."""
        needle = q.strip().casefold()
        found: list[Row] = []
        while len(found) < wanted:
            batch = self.view.all(COMMUNITY_MEMBERS, (community_id, after, 500))
            if not batch:
                break
            for row in batch:
                name = self.sealer.open(row["name"]) or ""
                phone = self.sealer.open(row["phone"]) or ""
                if needle in name.casefold() or needle in phone:
                    found.append(row)
            after = batch[-1]["member_id"]
        return found[:wanted]

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
            "grid_id": row["grid_id"],
            "grid": row["grid"],
            "phone": self.sealer.open(row["phone"]),
            "registered_on": row["registered_on"],
            "left_on": row["left_on"],
            "status": "merged"
            if row["merged_into"]
            else "deregistered"
            if row["left_on"]
            else "registered",
            "merged_into": row["merged_into"],
            "double_report": report,
        }

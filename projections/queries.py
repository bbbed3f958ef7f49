"""Queries over the read models, returning plain data (decimals as strings)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from domain.rules import DEFAULT_STAR_THRESHOLDS, star_rating
from projections.sealing import Sealer
from projections.view import Cursor, View

MAX_PAGE = 500


class BadCursor(ValueError):
    """Raised when a pagination cursor was not made by this server."""


def points_text(points10: Any) -> str:
    return f"{Decimal(int(points10 or 0)) / 10:.1f}"


def hours_decimal(hours100: Any) -> Decimal:
    return Decimal(int(hours100 or 0)) / 100


def hours_text(hours100: Any) -> str:
    value = hours_decimal(hours100)
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def encode_cursor(key: Sequence[Any]) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeError):
        raise BadCursor("cursor 无效") from None
    if not isinstance(key, list) or len(key) != size:
        raise BadCursor("cursor 无效")
    if not all(isinstance(k, str) for k in key):
        raise BadCursor("cursor 无效")
    return key


def page(
    rows: list[Any], limit: int, key: Sequence[str]
) -> tuple[list[Any], str | None]:
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        return rows, encode_cursor([str(last[k]) for k in key])
    return rows, None


class Queries:
    """What the API asks of the read models."""

    def __init__(
        self,
        view: View,
        star_thresholds: Sequence[Decimal] = DEFAULT_STAR_THRESHOLDS,
        sealer: Sealer | None = None,
    ) -> None:
        self.view = view
        self.star_thresholds = tuple(star_thresholds)
        self.sealer = sealer or Sealer()

    def _one(self, sql: str, params: Sequence[Any]) -> Any:
        with self.view.read(single=True) as c:
            return c.execute(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence[Any]) -> list[Any]:
        with self.view.read(single=True) as c:
            return c.execute(sql, params).fetchall()

    # Members.

    def member_points(self, member_id: str, year: int) -> dict[str, Any]:
        row = self._one(
            "SELECT SUM(CASE WHEN year = ? THEN points10 ELSE 0 END) AS points10, "
            "SUM(CASE WHEN year = ? THEN hours100 ELSE 0 END) AS hours100, "
            "SUM(CASE WHEN year = ? THEN activities ELSE 0 END) AS activities, "
            "SUM(points10) AS p, SUM(hours100) AS h "
            "FROM @vp_member_year WHERE member_id = ?",
            [year, year, year, member_id],
        )
        return {
            "member_id": member_id,
            "year": year,
            "points": points_text(row["points10"]),
            "hours": hours_text(row["hours100"]),
            "activities": int(row["activities"] or 0),
            "lifetime_points": points_text(row["p"]),
            "lifetime_hours": hours_text(row["h"]),
            "star": star_rating(hours_decimal(row["h"]), self.star_thresholds),
        }

    def statement(self, member_id: str, year: int) -> dict[str, Any]:
        rows = self._all(
            "SELECT a.activity_id, v.title, v.local_date, v.starts_at, a.hours, "
            "a.points, a.status, a.recorded_by, a.reason FROM @vp_attendance a "
            "JOIN @vp_activity v ON v.activity_id = a.activity_id "
            "WHERE a.member_id = ? AND a.year = ? ORDER BY v.starts_at, a.activity_id",
            [member_id, year],
        )
        items = [
            {
                "activity_id": r["activity_id"],
                "title": r["title"],
                "date": r["local_date"],
                "hours": r["hours"],
                "points": r["points"]
                if r["status"] in ("recorded", "corrected")
                else "0.0",
                "status": r["status"],
                "recorded_by": r["recorded_by"],
                "reason": r["reason"],
            }
            for r in rows
        ]
        totals = self.member_points(member_id, year)
        return {
            "member_id": member_id,
            "year": year,
            "items": items,
            "points": totals["points"],
            "hours": totals["hours"],
        }

    def member(self, member_id: str) -> dict[str, Any] | None:
        with self.view.read() as c:
            row = c.execute(
                "SELECT * FROM @vp_member WHERE member_id = ?", [member_id]
            ).fetchone()
            if row is None:
                return None
            teams = c.execute(
                "SELECT team_id FROM @vp_team_member WHERE member_id = ? "
                "ORDER BY team_id",
                [member_id],
            ).fetchall()
        return self._member_record(row) | {"teams": [t["team_id"] for t in teams]}

    def _member_record(self, row: Any) -> dict[str, Any]:
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

    def community_members(
        self, community_id: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        after = decode_cursor(cursor, 1)[0] if cursor else ""
        rows = self._all(
            "SELECT * FROM @vp_member WHERE community_id = ? AND member_id > ? "
            "ORDER BY member_id LIMIT ?",
            [community_id, after, limit + 1],
        )
        rows, next_cursor = page(rows, limit, ["member_id"])
        return {
            "items": [self._member_record(r) for r in rows],
            "next_cursor": next_cursor,
        }

    def leaderboard(self, community_id: str, year: int, limit: int) -> dict[str, Any]:
        rows = self._all(
            "SELECT m.member_id, m.name, y.points10, y.hours100 FROM @vp_member_year y "
            "JOIN @vp_member m ON m.member_id = y.member_id "
            "WHERE m.community_id = ? AND y.year = ? AND y.points10 > 0 "
            "ORDER BY y.points10 DESC, y.hours100 DESC, m.member_id LIMIT ?",
            [community_id, year, limit],
        )
        return {
            "community_id": community_id,
            "year": year,
            "items": [
                {
                    "member_id": r["member_id"],
                    "name": self.sealer.open(r["name"]),
                    "points": points_text(r["points10"]),
                    "hours": hours_text(r["hours100"]),
                }
                for r in rows
            ],
        }

    # Teams.

    def team(self, team_id: str, year: int) -> dict[str, Any] | None:
        with self.view.read() as c:
            row = c.execute(
                "SELECT * FROM @vp_team WHERE team_id = ?", [team_id]
            ).fetchone()
            if row is None:
                return None
            members = c.execute(
                "SELECT COUNT(*) AS n FROM @vp_team_member WHERE team_id = ?",
                [team_id],
            ).fetchone()
            figures = c.execute(
                "SELECT * FROM @vp_team_year WHERE team_id = ? AND year = ?",
                [team_id, year],
            ).fetchone()
        return self._team_record(row) | {
            "year": year,
            "members": int(members["n"]),
            "activities": int(figures["activities"]) if figures else 0,
            "participations": int(figures["participations"]) if figures else 0,
            "hours": hours_text(figures["hours100"] if figures else 0),
            "points": points_text(figures["points10"] if figures else 0),
        }

    @staticmethod
    def _team_record(row: Any) -> dict[str, Any]:
        return {
            "id": row["team_id"],
            "name": row["name"],
            "community_id": row["community_id"],
            "dissolved": bool(row["dissolved"]),
        }

    def teams(
        self, community_id: str | None, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        after = decode_cursor(cursor, 1)[0] if cursor else ""
        sql = "SELECT * FROM @vp_team WHERE team_id > ?"
        params: list[Any] = [after]
        if community_id is not None:
            sql += " AND community_id = ?"
            params.append(community_id)
        rows = self._all(sql + " ORDER BY team_id LIMIT ?", [*params, limit + 1])
        rows, next_cursor = page(rows, limit, ["team_id"])
        return {
            "items": [self._team_record(r) for r in rows],
            "next_cursor": next_cursor,
        }

    # Activities.

    def activity(self, activity_id: str) -> dict[str, Any] | None:
        row = self._one(
            "SELECT * FROM @vp_activity WHERE activity_id = ?", [activity_id]
        )
        return None if row is None else self._activity_record(row)

    @staticmethod
    def _activity_record(row: Any) -> dict[str, Any]:
        return {
            "id": row["activity_id"],
            "title": row["title"],
            "team_id": row["team_id"],
            "community_id": row["community_id"],
            "category": row["category"],
            "starts_at": row["starts_at"],
            "ends_at": row["ends_at"],
            "date": row["local_date"],
            "location": row["location"],
            "status": row["status"],
            "capacity": row["capacity"],
            "signups": int(row["signups"]),
            "attendances": int(row["attendances"]),
        }

    def activities(
        self,
        *,
        team_id: str | None,
        community_id: str | None,
        starts_from: str | None,
        starts_to: str | None,
        limit: int,
        cursor: str | None,
    ) -> dict[str, Any]:
        sql = "SELECT * FROM @vp_activity WHERE 1 = 1"
        params: list[Any] = []
        for column, value, op in (
            ("team_id", team_id, "="),
            ("community_id", community_id, "="),
            ("starts_at", starts_from, ">="),
            ("starts_at", starts_to, "<"),
        ):
            if value is not None:
                sql += f" AND {column} {op} ?"
                params.append(value)
        if cursor:
            starts_at, activity_id = decode_cursor(cursor, 2)
            sql += " AND (starts_at > ? OR (starts_at = ? AND activity_id > ?))"
            params += [starts_at, starts_at, activity_id]
        sql += " ORDER BY starts_at, activity_id LIMIT ?"
        rows = self._all(sql, [*params, limit + 1])
        rows, next_cursor = page(rows, limit, ["starts_at", "activity_id"])
        return {
            "items": [self._activity_record(r) for r in rows],
            "next_cursor": next_cursor,
        }

    # Community and district figures.

    def stats(self, community_id: str | None, year: int) -> dict[str, Any]:
        scope, params = (
            ("", [])
            if community_id is None
            else (
                " AND community_id = ?",
                [community_id],
            )
        )
        year_end = f"{year:04d}-12-31"
        with self.view.read() as c:
            teams = self._scalar(
                c, f"SELECT COUNT(*) FROM @vp_team WHERE dissolved = 0{scope}", params
            )
            volunteers = self._scalar(
                c,
                "SELECT COUNT(DISTINCT tm.member_id) FROM @vp_team_member tm "
                "JOIN @vp_team t ON t.team_id = tm.team_id WHERE t.dissolved = 0"
                + scope.replace("community_id", "t.community_id"),
                params,
            )
            figures = c.execute(
                "SELECT SUM(activities) AS a, SUM(participations) AS p, "
                "SUM(hours100) AS h, SUM(points10) AS s FROM @vp_team_year "
                f"WHERE year = ?{scope}",
                [year, *params],
            ).fetchone()
            members = c.execute(
                "SELECT COUNT(*) AS n, SUM(y.points10) AS s FROM @vp_member m "
                "LEFT JOIN @vp_member_year y ON y.member_id = m.member_id "
                "AND y.year = ? WHERE m.registered_on <= ?"
                + scope.replace("community_id", "m.community_id"),
                [year, year_end, *params],
            ).fetchone()
            units_reported = self._scalar(
                c,
                "SELECT COUNT(DISTINCT unit_id) FROM @vp_unit_report WHERE 1 = 1"
                + scope,
                params,
            )
            members_reported = self._scalar(
                c,
                "SELECT COUNT(*) FROM @vp_member WHERE reported_to IS NOT NULL"
                + scope.replace("community_id", "reported_to"),
                params,
            )
        counted = int(members["n"] or 0)
        total10 = int(members["s"] or 0)
        average = (
            (Decimal(total10) / 10 / counted).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
            if counted
            else Decimal("0.0")
        )
        return {
            "year": year,
            "teams": teams,
            "volunteers": volunteers,
            "activities": int(figures["a"] or 0),
            "participations": int(figures["p"] or 0),
            "hours": hours_text(figures["h"]),
            "points": points_text(figures["s"]),
            "members": counted,
            "avg_annual_points": f"{average:.1f}",
            "units_reported": units_reported,
            "members_reported": members_reported,
        }

    @staticmethod
    def _scalar(c: Cursor, sql: str, params: Sequence[Any]) -> int:
        row = c.execute(sql, params).fetchone()
        return int(next(iter(row.values())) if isinstance(row, dict) else row[0])

    # Double reports.

    def community_double_reports(self, community_id: str) -> dict[str, Any]:
        units = self._all(
            "SELECT r.unit_id, u.name, r.reported_on FROM @vp_unit_report r "
            "JOIN @vp_unit u ON u.unit_id = r.unit_id WHERE r.community_id = ? "
            "ORDER BY r.reported_on, r.unit_id",
            [community_id],
        )
        members = self._all(
            "SELECT member_id, name, reported_on FROM @vp_member "
            "WHERE reported_to = ? ORDER BY reported_on, member_id",
            [community_id],
        )
        return {
            "community_id": community_id,
            "units": [dict(r) for r in units],
            "members": [self._opened(r) for r in members],
        }

    def unit_double_reports(self, unit_id: str) -> dict[str, Any]:
        communities = self._all(
            "SELECT community_id, reported_on FROM @vp_unit_report WHERE unit_id = ? "
            "ORDER BY reported_on, community_id",
            [unit_id],
        )
        members = self._all(
            "SELECT member_id, name, reported_to AS community_id, reported_on "
            "FROM @vp_member WHERE unit_id = ? AND reported_to IS NOT NULL "
            "ORDER BY member_id",
            [unit_id],
        )
        return {
            "unit_id": unit_id,
            "communities": [dict(r) for r in communities],
            "members": [self._opened(r) for r in members],
        }

    def _opened(self, row: Any) -> dict[str, Any]:
        record = dict(row)
        record["name"] = self.sealer.open(record["name"])
        return record

"""The figures a community or the district reports for a year: teams, volunteers,
activities held, participations (人次), hours, points, members and their average
annual points (人均年积分), units and members double-reported; and a
community's leaderboard.

Each scope's figures are read in one statement, from the other read models'
tables; each part of it uses the index for that scope."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from projections.amounts import hours_text, points_text
from projections.sealing import Sealer
from projections.sql import Reader, Statement

DISTRICT_FIGURES = Statement(
    sqlite="SELECT * FROM "
    "(SELECT COUNT(*) AS teams FROM vp_team WHERE dissolved = 0), "
    "(SELECT COUNT(DISTINCT tm.member_id) AS volunteers FROM vp_team_member tm "
    "JOIN vp_team t ON t.team_id = tm.team_id WHERE t.dissolved = 0), "
    "(SELECT SUM(activities) AS activities, SUM(participations) AS participations, "
    "SUM(hours100) AS hours100, SUM(points10) AS points10 FROM vp_team_year "
    "WHERE year = :year), "
    "(SELECT COUNT(*) AS members, SUM(y.points10) AS member_points10 "
    "FROM vp_member m LEFT JOIN vp_member_year y "
    "ON y.member_id = m.member_id AND y.year = :year "
    "WHERE m.registered_on <= :year_end), "
    "(SELECT COUNT(DISTINCT unit_id) AS units_reported FROM vp_unit_report), "
    "(SELECT COUNT(*) AS members_reported FROM vp_member "
    "WHERE reported_to IS NOT NULL)",
    postgres="SELECT * FROM "
    "(SELECT COUNT(*) AS teams FROM {schema}.vp_team WHERE dissolved = 0) AS t, "
    "(SELECT COUNT(DISTINCT tm.member_id) AS volunteers "
    "FROM {schema}.vp_team_member tm "
    "JOIN {schema}.vp_team t ON t.team_id = tm.team_id WHERE t.dissolved = 0) AS v, "
    "(SELECT SUM(activities) AS activities, SUM(participations) AS participations, "
    "SUM(hours100) AS hours100, SUM(points10) AS points10 "
    "FROM {schema}.vp_team_year WHERE year = %(year)s) AS f, "
    "(SELECT COUNT(*) AS members, SUM(y.points10) AS member_points10 "
    "FROM {schema}.vp_member m LEFT JOIN {schema}.vp_member_year y "
    "ON y.member_id = m.member_id AND y.year = %(year)s "
    "WHERE m.registered_on <= %(year_end)s) AS m, "
    "(SELECT COUNT(DISTINCT unit_id) AS units_reported "
    "FROM {schema}.vp_unit_report) AS u, "
    "(SELECT COUNT(*) AS members_reported FROM {schema}.vp_member "
    "WHERE reported_to IS NOT NULL) AS r",
)
COMMUNITY_FIGURES = Statement(
    sqlite="SELECT * FROM "
    "(SELECT COUNT(*) AS teams FROM vp_team "
    "WHERE dissolved = 0 AND community_id = :community_id), "
    "(SELECT COUNT(DISTINCT tm.member_id) AS volunteers FROM vp_team_member tm "
    "JOIN vp_team t ON t.team_id = tm.team_id "
    "WHERE t.dissolved = 0 AND t.community_id = :community_id), "
    "(SELECT SUM(activities) AS activities, SUM(participations) AS participations, "
    "SUM(hours100) AS hours100, SUM(points10) AS points10 FROM vp_team_year "
    "WHERE year = :year AND community_id = :community_id), "
    "(SELECT COUNT(*) AS members, SUM(y.points10) AS member_points10 "
    "FROM vp_member m LEFT JOIN vp_member_year y "
    "ON y.member_id = m.member_id AND y.year = :year "
    "WHERE m.registered_on <= :year_end AND m.community_id = :community_id), "
    "(SELECT COUNT(DISTINCT unit_id) AS units_reported FROM vp_unit_report "
    "WHERE community_id = :community_id), "
    "(SELECT COUNT(*) AS members_reported FROM vp_member "
    "WHERE reported_to = :community_id)",
    postgres="SELECT * FROM "
    "(SELECT COUNT(*) AS teams FROM {schema}.vp_team "
    "WHERE dissolved = 0 AND community_id = %(community_id)s) AS t, "
    "(SELECT COUNT(DISTINCT tm.member_id) AS volunteers "
    "FROM {schema}.vp_team_member tm "
    "JOIN {schema}.vp_team t ON t.team_id = tm.team_id "
    "WHERE t.dissolved = 0 AND t.community_id = %(community_id)s) AS v, "
    "(SELECT SUM(activities) AS activities, SUM(participations) AS participations, "
    "SUM(hours100) AS hours100, SUM(points10) AS points10 "
    "FROM {schema}.vp_team_year "
    "WHERE year = %(year)s AND community_id = %(community_id)s) AS f, "
    "(SELECT COUNT(*) AS members, SUM(y.points10) AS member_points10 "
    "FROM {schema}.vp_member m LEFT JOIN {schema}.vp_member_year y "
    "ON y.member_id = m.member_id AND y.year = %(year)s "
    "WHERE m.registered_on <= %(year_end)s "
    "AND m.community_id = %(community_id)s) AS m, "
    "(SELECT COUNT(DISTINCT unit_id) AS units_reported "
    "FROM {schema}.vp_unit_report WHERE community_id = %(community_id)s) AS u, "
    "(SELECT COUNT(*) AS members_reported FROM {schema}.vp_member "
    "WHERE reported_to = %(community_id)s) AS r",
)

LEADERBOARD = Statement(
    sqlite="SELECT m.member_id, m.name, y.points10, y.hours100 "
    "FROM vp_member_year y JOIN vp_member m ON m.member_id = y.member_id "
    "WHERE m.community_id = ? AND y.year = ? AND y.points10 > 0 "
    "ORDER BY y.points10 DESC, y.hours100 DESC, m.member_id LIMIT ?",
    postgres="SELECT m.member_id, m.name, y.points10, y.hours100 "
    "FROM {schema}.vp_member_year y "
    "JOIN {schema}.vp_member m ON m.member_id = y.member_id "
    "WHERE m.community_id = %s AND y.year = %s AND y.points10 > 0 "
    "ORDER BY y.points10 DESC, y.hours100 DESC, m.member_id LIMIT %s",
)


class FigureQueries:
    """A community's figures for a year, or the whole district's, and a
    community's leaderboard."""

    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer

    def stats(self, community_id: str | None, year: int) -> dict[str, Any]:
        params = {
            "community_id": community_id,
            "year": year,
            "year_end": f"{year:04d}-12-31",
        }
        statement = DISTRICT_FIGURES if community_id is None else COMMUNITY_FIGURES
        row = self.view.one(statement, params)
        assert row is not None  # aggregates without GROUP BY give one row
        counted = int(row["members"] or 0)
        total10 = int(row["member_points10"] or 0)
        average = (
            (Decimal(total10) / 10 / counted).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
            if counted
            else Decimal("0.0")
        )
        return {
            "year": year,
            "teams": int(row["teams"]),
            "volunteers": int(row["volunteers"]),
            "activities": int(row["activities"] or 0),
            "participations": int(row["participations"] or 0),
            "hours": hours_text(row["hours100"]),
            "points": points_text(row["points10"]),
            "members": counted,
            "avg_annual_points": f"{average:.1f}",
            "units_reported": int(row["units_reported"]),
            "members_reported": int(row["members_reported"]),
        }

    def leaderboard(self, community_id: str, year: int, limit: int) -> dict[str, Any]:
        rows = self.view.all(LEADERBOARD, (community_id, year, limit))
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

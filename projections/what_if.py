"""What a draft rule set would do (what-if): the log up to the position the
read models stand at, replayed into private read models with the draft in
effect for its owner from 1 January of the year asked, and compared with the
read models themselves. Nothing is recorded.

Who it changes: the members who served at the scope's activities in the
year (up to the date asked), with their annual points wherever earned, now
and under the draft."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.application import VolunteerPoints
from domain.rules import RuleVersion
from projections.amounts import points_text
from projections.attendance_rows import EARNING_SQL
from projections.figures import FigureQueries
from projections.replay import replayed_view
from projections.sealing import Sealer
from projections.sql import Cursor, Sql
from projections.view import TRACKED_APPLICATION, TRACKED_POSITION, View

LARGEST = 20
SCOPES = ("all", "district", "street", "community")

WHERE_SERVED = (
    "FROM {t}vp_attendance a JOIN {t}vp_activity v ON v.activity_id = a.activity_id "
    "LEFT JOIN {t}vp_community c ON c.community_id = v.community_id "
    "WHERE a.local_date BETWEEN :start AND :on AND a.status IN " + EARNING_SQL + " "
    "AND (:scope = 'all' OR (:scope = 'district' AND c.district_id = :scope_id) "
    "OR (:scope = 'street' AND c.street_id = :scope_id) "
    "OR (:scope = 'community' AND v.community_id = :scope_id))"
)
# A what-if's date is 31 December, or today in the current year: a member's
# points up to it are the year's.
SERVED_POINTS = Sql(
    "SELECT y.member_id, y.points10 FROM {t}vp_member_year y WHERE y.year = :year "
    "AND y.member_id IN (SELECT a.member_id " + WHERE_SERVED + ")"
)
BY_COMMUNITY = Sql(
    "SELECT v.community_id, SUM(a.points10) AS points10 "
    + WHERE_SERVED
    + " GROUP BY v.community_id"
)
NAMES = Sql("SELECT member_id, name FROM {t}vp_member WHERE member_id = ?")
COMMUNITY_NAME = Sql("SELECT name FROM {t}vp_community WHERE community_id = ?")


def _read(
    c: Cursor, scope: str, scope_id: str | None, year: int, on: date
) -> tuple[dict[str, int], dict[str, int]]:
    params = {
        "scope": scope,
        "scope_id": scope_id or "",
        "start": f"{year:04d}-01-01",
        "on": on.isoformat(),
        "year": year,
    }
    members = {
        r["member_id"]: int(r["points10"] or 0)
        for r in c.execute(SERVED_POINTS, params).all()
    }
    communities = {
        r["community_id"]: int(r["points10"] or 0)
        for r in c.execute(BY_COMMUNITY, params).all()
    }
    return members, communities


def what_if(
    app: VolunteerPoints,
    live: View,
    sealer: Sealer,
    draft: RuleVersion,
    scope: str,
    scope_id: str | None,
    year: int,
    on: date,
) -> dict[str, Any]:
    figures = FigureQueries(live, sealer)
    with live.read() as c:
        tracked = c.execute(TRACKED_POSITION, (TRACKED_APPLICATION,)).one()
        position = 0 if tracked is None else int(tracked["notification_id"])
        current = figures.stats_in(c, scope, scope_id, year, on)
        members_now, communities_now = _read(c, scope, scope_id, year, on)
    replay = replayed_view(app, position, draft)
    try:
        under = FigureQueries(replay, sealer)
        with replay.read() as c:
            drafted = under.stats_in(c, scope, scope_id, year, on)
            members_then, communities_then = _read(c, scope, scope_id, year, on)
    finally:
        replay.recorder.datastore.close()
    changed = [
        (member_id, members_now.get(member_id, 0), members_then.get(member_id, 0))
        for member_id in members_now.keys() | members_then.keys()
        if members_now.get(member_id, 0) != members_then.get(member_id, 0)
    ]
    changed.sort(key=lambda m: (-abs(m[2] - m[1]), m[0]))
    with live.read() as c:
        largest = [
            {
                "member_id": member_id,
                "name": _name(c, sealer, member_id),
                "current_points": points_text(now),
                "draft_points": points_text(then),
            }
            for member_id, now, then in changed[:LARGEST]
        ]
        by_community = [
            {
                "community_id": community_id,
                "name": _community(c, community_id),
                "current_points": points_text(communities_now.get(community_id, 0)),
                "draft_points": points_text(communities_then.get(community_id, 0)),
            }
            for community_id in sorted(communities_now.keys() | communities_then.keys())
        ]
    return {
        "scope": scope,
        "scope_id": scope_id,
        "year": year,
        "position": position,
        "current": current,
        "draft": drafted,
        "members_changed": len(changed),
        "largest_changes": largest,
        "by_community": by_community,
    }


def _name(c: Cursor, sealer: Sealer, member_id: str) -> str | None:
    row = c.execute(NAMES, (member_id,)).one()
    return None if row is None else sealer.open(row["name"])


def _community(c: Cursor, community_id: str) -> str | None:
    row = c.execute(COMMUNITY_NAME, (community_id,)).one()
    return None if row is None else str(row["name"])

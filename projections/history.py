"""History (历史记录): every event that concerns a member or an activity, with
what, when, who, why, and the earlier values of corrections. A member's
attendance history is read from the points model's changes."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import orjson
from eventsourcing.domain import DomainEvent

from domain.activity import Activity
from domain.member import Member
from domain.team import Team
from projections.attendance_rows import EARNING_SQL, RECORDING, RERATED
from projections.batch import Batch, Handler, on
from projections.paging import BadCursor, decode_cursor, decode_position, page
from projections.sealing import Sealer
from projections.sql import Cursor, Reader, Row, Sql, Table

TABLES = (
    Table(
        "vp_history",
        "subject_id TEXT NOT NULL, position BIGINT NOT NULL, type TEXT NOT NULL, "
        "recorded_at TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT, "
        "details TEXT NOT NULL",
        {"vp_history_key": "subject_id, position"},
        unique=frozenset({"vp_history_key"}),
    ),
)

INSERT_HISTORY = Sql("INSERT INTO {t}vp_history VALUES (?, ?, ?, ?, ?, ?, ?)")
SUBJECT_HISTORY = Sql(
    "SELECT * FROM {t}vp_history WHERE subject_id = ? AND position > ? "
    "ORDER BY position LIMIT ?"
)
# A member's history in order of position, then type and activity: a change
# elsewhere in a member's year re-rates several attendances at one position.
MEMBER_HISTORY = Sql(
    "SELECT * FROM (SELECT position, type, recorded_at, actor, reason, details, "
    "'' AS activity_id, NULL AS hours, NULL AS points, NULL AS previous_hours, "
    "NULL AS previous_points, NULL AS rule_version, NULL AS previous_rule_version "
    "FROM {t}vp_history WHERE subject_id = :member_id AND position >= :after "
    "UNION ALL "
    "SELECT position, type, recorded_at, actor, reason, NULL, activity_id, hours, "
    "points, previous_hours, previous_points, rule_version, previous_rule_version "
    "FROM {t}vp_attendance_change "
    "WHERE member_id = :member_id AND position >= :after UNION ALL "
    "SELECT position, '" + RECORDING + "', recorded_at, recorded_by, NULL, NULL, "
    "activity_id, recorded_hours, recorded_points, NULL, NULL, NULL, NULL "
    "FROM {t}vp_attendance WHERE member_id = :member_id AND position >= :after "
    "AND status IN " + EARNING_SQL + ") h "
    "WHERE (position, type, activity_id) > (:after, :after_type, :after_activity) "
    "ORDER BY position, type, activity_id LIMIT :limit"
)
# JSON as ``json.dumps(details, default=_plain, sort_keys=True)`` reads it:
# moments, dates and dataclasses through ``_plain``; ids as their text.
DETAILS_JSON = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)
META = frozenset(
    (
        "originator_id",
        "originator_version",
        "originator_topic",
        "timestamp",
        "actor",
        "reason",
    )
)


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def details_of(e: DomainEvent, **only: object) -> dict[str, Any]:
    """The event's own fields, or, given ``only``, those values."""
    if only:
        return dict(only)
    return {k: v for k, v in vars(e).items() if k not in META}


class HistoryFold:
    """The history rows of a batch, written once at its end."""

    def __init__(self) -> None:
        self.rows: list[tuple[object, ...]] = []

    def flush(self, c: Cursor) -> None:
        c.append(TABLES[0], INSERT_HISTORY, self.rows)


class History:
    """Keeps vp_history for members (their own events, team memberships and
    sign-ups) and activities (all their events)."""

    def __init__(self, sealer: Sealer) -> None:
        self.sealer = sealer

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        member_events = (
            Member.Registered,
            Member.DetailsChanged,
            Member.Moved,
            Member.Deregistered,
            Member.DoubleReported,
            Member.DoubleReportEnded,
            Member.Merged,
            Member.Absorbed,
        )
        activity_events = (
            Activity.Scheduled,
            Activity.SignedUp,
            Activity.Withdrew,
            Activity.AttendanceRecorded,
            Activity.AttendanceCorrected,
            Activity.AttendanceRevoked,
            Activity.Cancelled,
            Activity.Closed,
        )
        return [
            *(on(cls, self.own_event) for cls in member_events),
            *(on(cls, self.own_event) for cls in activity_events),
            on(Activity.SignedUp, self.signup_changed),
            on(Activity.Withdrew, self.signup_changed),
            on(Team.MemberJoined, self.team_joined),
            on(Team.MemberLeft, self.team_left),
            on(Team.MemberMerged, self.team_merged),
        ]

    def own_event(self, e: DomainEvent, batch: Batch) -> None:
        self._add(batch, batch.id_text(e.originator_id), e, details_of(e))

    def signup_changed(
        self, e: Activity.SignedUp | Activity.Withdrew, batch: Batch
    ) -> None:
        details = details_of(e, activity_id=e.originator_id)
        self._add(batch, batch.id_text(e.member_id), e, details)

    def team_joined(self, e: Team.MemberJoined, batch: Batch) -> None:
        details = details_of(e, team_id=e.originator_id, joined_on=e.joined_on)
        self._add(batch, batch.id_text(e.member_id), e, details)

    def team_left(self, e: Team.MemberLeft, batch: Batch) -> None:
        details = details_of(e, team_id=e.originator_id, left_on=e.left_on)
        self._add(batch, batch.id_text(e.member_id), e, details)

    def team_merged(self, e: Team.MemberMerged, batch: Batch) -> None:
        details = details_of(
            e,
            team_id=e.originator_id,
            duplicate_id=e.duplicate_id,
            survivor_id=e.survivor_id,
        )
        self._add(batch, batch.id_text(e.duplicate_id), e, details)
        self._add(batch, batch.id_text(e.survivor_id), e, details)

    def _add(
        self, batch: Batch, subject_id: str, e: DomainEvent, details: dict[str, Any]
    ) -> None:
        text = orjson.dumps(details, default=_plain, option=DETAILS_JSON).decode()
        batch.fold(HistoryFold).rows.append(
            (
                subject_id,
                batch.position,
                type(e).__name__,
                e.timestamp.isoformat(),
                getattr(e, "actor", ""),
                getattr(e, "reason", None),
                self.sealer.seal(text),
            )
        )


class HistoryQueries:
    """A member's and an activity's history, oldest first."""

    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer

    def activity_history(
        self, activity_id: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        after = decode_position(cursor)
        rows = self.view.all(SUBJECT_HISTORY, (activity_id, after, limit + 1))
        rows, next_cursor = page(rows, limit, ["position"])
        return {"items": [self._item(r) for r in rows], "next_cursor": next_cursor}

    def member_history(
        self, member_id: str, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        after, after_type, after_activity = _member_after(cursor)
        params = {
            "member_id": member_id,
            "after": after,
            "after_type": after_type,
            "after_activity": after_activity,
            "limit": limit + 1,
        }
        rows = self.view.all(MEMBER_HISTORY, params)
        rows, next_cursor = page(rows, limit, ["position", "type", "activity_id"])
        return {"items": [self._item(r) for r in rows], "next_cursor": next_cursor}

    def _item(self, row: Row) -> dict[str, Any]:
        if row["details"] is not None:
            details = json.loads(self.sealer.open(row["details"]) or "{}")
        else:
            details = {"activity_id": row["activity_id"]}
            details["hours"], details["points"] = row["hours"], row["points"]
            if row["previous_hours"] is not None:
                details["previous_hours"] = row["previous_hours"]
                details["previous_points"] = row["previous_points"]
            if row["type"] == RERATED:
                details["rule_version"] = row["rule_version"]
                details["previous_rule_version"] = row["previous_rule_version"]
        return {
            "position": int(row["position"]),
            "recorded_at": row["recorded_at"],
            "type": row["type"],
            "actor": row["actor"],
            "reason": row["reason"],
            "details": details,
        }


def _member_after(cursor: str | None) -> tuple[int, str, str]:
    """Where a page of a member's history continues: after a position, and
    the type and activity of the last item at it."""
    if not cursor:
        return 0, "", ""
    text, kind, activity_id = decode_cursor(cursor, 3)
    if not (text.isascii() and text.isdigit()):
        raise BadCursor("cursor 无效")
    return int(text), kind, activity_id

"""The events a projection reads most (attendances recorded, corrected and
revoked, members registered, team members joining), decoded from their stored
JSON in one pass, without the library's call back for every stored value.

The result is the event the library's mapper makes of the same record. Any
other event, an encrypted or compressed log, or a record whose fields are not
the ones expected of its class (another version of it), is decoded by the
library's mapper."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import ApplicationRecorder, Mapper, Notification
from eventsourcing.utils import get_topic

from domain.activity import Activity
from domain.member import Member
from domain.team import Team
from infrastructure.recorders import GroupCommitSQLiteRecorder

Convert = Callable[[Any], Any]
# The ids kept for reuse: a page's members and activities, a few MB at most.
UUIDS_KEPT = 1 << 16
DECIMALS_KEPT = 1 << 10


def read_after(
    recorder: ApplicationRecorder, start: int, limit: int
) -> Sequence[Notification]:
    """Up to ``limit`` notifications after position ``start``; from SQLite,
    with their ids as stored, which the decoding turns into UUIDs."""
    if isinstance(recorder, GroupCommitSQLiteRecorder):
        return recorder.notifications_after(start, limit)
    return recorder.select_notifications(
        start=start, limit=limit, inclusive_of_start=False
    )


class NotHot(Exception):
    """A record the one-pass decoding does not know the shape of."""


class Decoder:
    """Turns a stored record into its domain event, as ``Mapper.to_domain_event``
    does, faster for the hot events of a clear-text log."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self.mapper = mapper
        self._uuids: dict[str, UUID] = {}
        clear = mapper.cipher is None and mapper.compressor is None
        self._shapes: dict[str, tuple[type[Any], dict[str, Convert]]] = {}
        if clear:
            for cls, fields in self._hot_events().items():
                self._shapes[get_topic(cls)] = (cls, fields)

    def __call__(self, notification: Notification) -> object:
        shape = self._shapes.get(notification.topic)
        if shape is not None:
            try:
                return self._decode(notification, *shape)
            except NotHot:
                pass
        return self.mapper.to_domain_event(notification)

    def _decode(
        self, notification: Notification, cls: type[Any], fields: dict[str, Convert]
    ) -> object:
        try:
            state = orjson.loads(notification.state)
        except orjson.JSONDecodeError as error:
            raise NotHot from error
        if not isinstance(state, dict):
            raise NotHot
        if state.pop("class_version", 1) != getattr(cls, "class_version", 1):
            raise NotHot
        if len(state) != len(fields):
            raise NotHot
        try:
            for name, convert in fields.items():
                value = state[name]
                if value is not None:
                    state[name] = convert(value)
        except (KeyError, TypeError, ValueError, ArithmeticError) as error:
            raise NotHot from error
        state["originator_id"] = self.uuid_of(notification.originator_id)
        state["originator_version"] = notification.originator_version
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return event

    def uuid_of(self, value: object) -> UUID:
        """A UUID from its hex; the ids of members and activities recur."""
        if isinstance(value, UUID):
            return value
        if not isinstance(value, str):
            raise NotHot
        found = self._uuids.get(value)
        if found is None:
            if len(self._uuids) >= UUIDS_KEPT:
                self._uuids.clear()
            found = self._uuids[value] = UUID(value)
        return found

    def _typed(self, name: str, make: Convert) -> Convert:
        def convert(value: Any) -> Any:
            if value["_type_"] != name or len(value) != 2:
                raise NotHot
            return make(value["_data_"])

        return convert

    def _hot_events(self) -> dict[type[Any], dict[str, Convert]]:
        uuid = self._typed("uuid_hex", self.uuid_of)
        moment = self._typed("datetime_iso", datetime.fromisoformat)
        day = self._typed("date_iso", date.fromisoformat)
        entry = self._entries(("hours", "points"))
        change = self._entries(("hours", "points", "previous_hours", "previous_points"))
        return {
            Activity.AttendanceRecorded: {
                "timestamp": moment,
                "entries": entry,
                "actor": text,
            },
            Activity.AttendanceCorrected: {
                "timestamp": moment,
                "entries": change,
                "reason": text,
                "actor": text,
            },
            Activity.AttendanceRevoked: {
                "timestamp": moment,
                "member_id": uuid,
                "reason": text,
                "actor": text,
            },
            Member.Registered: {
                "timestamp": moment,
                "originator_topic": text,
                "name": text,
                "community_id": uuid,
                "party_member": flag,
                "unit_id": uuid,
                "grid_id": uuid,
                "grid": text,
                "phone": text,
                "registered_on": day,
                "actor": text,
            },
            Team.MemberJoined: {
                "timestamp": moment,
                "member_id": uuid,
                "joined_on": day,
                "actor": text,
            },
        }

    def _entries(self, amounts: tuple[str, ...]) -> Convert:
        """The entries of an attendance event: a member and decimal amounts,
        each amount of the same text one shared Decimal (they are few)."""
        size = len(amounts) + 1
        uuid_of = self.uuid_of
        decimals: dict[str, Decimal] = {}

        def decimal_of(value: Any) -> Decimal:
            if value["_type_"] != "decimal_str":
                raise NotHot
            text = value["_data_"]
            found = decimals.get(text)
            if found is None:
                if len(decimals) >= DECIMALS_KEPT:
                    decimals.clear()
                found = decimals[text] = Decimal(text)
            return found

        def convert(entries: Any) -> list[dict[str, Any]]:
            if not isinstance(entries, list):
                raise NotHot
            for entry in entries:
                member = entry["member_id"]
                if len(entry) != size or member["_type_"] != "uuid_hex":
                    raise NotHot
                entry["member_id"] = uuid_of(member["_data_"])
                for name in amounts:
                    entry[name] = decimal_of(entry[name])
            return entries

        return convert


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise NotHot
    return value


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise NotHot
    return value

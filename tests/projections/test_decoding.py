"""The hot events decoded in one pass are the events the library's mapper
makes of the same records, in the clear, encrypted or compressed, and records
of another shape are left to the mapper."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import Mapper, Notification
from eventsourcing.utils import get_topic

from domain.activity import Activity
from domain.member import Member
from domain.team import Team
from infrastructure.transcodings import Transcoder
from projections.decoding import Decoder

MOMENT = datetime(2026, 12, 6, 9, 30, 15, 120, tzinfo=UTC)


def hot_events() -> list[Any]:
    activity, member, other = uuid4(), uuid4(), uuid4()
    common = {"originator_id": activity, "timestamp": MOMENT, "actor": "区委王敏"}
    return [
        Activity.AttendanceRecorded(
            originator_version=3,
            entries=[
                {"member_id": member, "hours": Decimal("1.5"), "points": Decimal("15")},
                {"member_id": other, "hours": Decimal("2"), "points": Decimal("20")},
            ],
            **common,
        ),
        Activity.AttendanceCorrected(
            originator_version=4,
            entries=[
                {
                    "member_id": member,
                    "hours": Decimal("1"),
                    "points": Decimal("10.0"),
                    "previous_hours": Decimal("1.5"),
                    "previous_points": Decimal("15.0"),
                }
            ],
            reason="签到有误",
            **common,
        ),
        Activity.AttendanceRevoked(
            originator_version=5, member_id=other, reason="未到场", **common
        ),
        Member.Registered(
            originator_id=member,
            originator_version=1,
            originator_topic=get_topic(Member),
            timestamp=MOMENT,
            name="李华",
            community_id=uuid4(),
            party_member=True,
            unit_id=None,
            grid_id=uuid4(),
            grid="一网格",
            phone=None,
            registered_on=date(2026, 1, 2),
            actor="区委王敏",
        ),
        Team.MemberJoined(
            originator_id=uuid4(),
            originator_version=2,
            timestamp=MOMENT,
            member_id=member,
            joined_on=date(2026, 3, 4),
            actor="区委王敏",
        ),
    ]


def mapper(cipher: bool = False) -> Mapper[UUID]:
    environment = {"CIPHER_KEY": AESCipher.create_key(16)}
    return Mapper(Transcoder(), cipher=AESCipher(environment) if cipher else None)


def notification(stored: Any, state: dict[str, Any] | None = None) -> Notification:
    """The record as the projection reads it, its state replaced if given."""
    return Notification(
        id=1,
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=stored.state if state is None else json.dumps(state).encode(),
    )


@pytest.mark.parametrize("cipher", [False, True])
def test_hot_events_decode_to_the_mappers_events(cipher: bool) -> None:
    events = mapper(cipher)
    decoder = Decoder(events)
    for event in hot_events():
        record = notification(events.to_stored_event(event))
        decoded = decoder(record)
        expected = events.to_domain_event(record)
        assert type(decoded) is type(expected) is type(event)
        assert vars(decoded) == vars(expected) == vars(event)


def test_a_record_of_another_shape_is_left_to_the_mapper() -> None:
    events = mapper()
    decoder = Decoder(events)
    recorded = hot_events()[0]
    stored = events.to_stored_event(recorded)
    state = json.loads(stored.state)
    state["entries"][0]["note"] = {"_type_": "date_iso", "_data_": "2026-01-02"}
    reshaped = notification(stored, state)
    decoded = decoder(reshaped)
    assert decoded.entries[0]["note"] == date(2026, 1, 2)  # type: ignore[attr-defined]
    assert vars(decoded) == vars(events.to_domain_event(reshaped))


def test_an_earlier_version_of_an_event_is_upcast_by_the_mapper() -> None:
    events = mapper()
    decoder = Decoder(events)
    joined = hot_events()[-1]
    stored = events.to_stored_event(joined)
    state = json.loads(stored.state)
    del state["joined_on"], state["class_version"]
    earlier = notification(stored, state)
    decoded = decoder(earlier)
    assert decoded.joined_on == date(2026, 12, 6)  # type: ignore[attr-defined]
    assert vars(decoded) == vars(events.to_domain_event(earlier))

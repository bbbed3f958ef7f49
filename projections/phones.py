"""Phone numbers (手机号): which member has which, so that a roster or a sign-in
sheet finds its members by phone. Phones are kept as keyed digests, never as
text, so the lookup works when the members' details are sealed."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from eventsourcing.domain import DomainEvent

from domain.member import Member
from projections.batch import Batch, Handler, on
from projections.sealing import Sealer
from projections.sql import Reader, Row, Sql, Table

TABLES = (
    Table(
        "vp_member_phone",
        "phone_key TEXT PRIMARY KEY, member_id TEXT NOT NULL",
        {"vp_member_phone_member": "member_id"},
    ),
)

INSERT_PHONE = Sql(
    "INSERT INTO {t}vp_member_phone VALUES (?, ?) ON CONFLICT (phone_key) DO NOTHING"
)
DELETE_PHONE = Sql(
    "DELETE FROM {t}vp_member_phone WHERE phone_key = ? AND member_id = ?"
)
MOVE_PHONES = Sql("UPDATE {t}vp_member_phone SET member_id = ? WHERE member_id = ?")
BATCH = 500


@cache
def _keys_in(size: int) -> Sql:
    return Sql(
        "SELECT phone_key, member_id FROM {t}vp_member_phone "
        f"WHERE phone_key IN ({', '.join('?' * size)})"
    )


@cache
def _members_in(size: int) -> Sql:
    return Sql(
        "SELECT member_id, name, community_id, left_on, merged_into "
        f"FROM {{t}}vp_member WHERE member_id IN ({', '.join('?' * size)})"
    )


GRIDS_OF_COMMUNITY = Sql("SELECT grid_id, name FROM {t}vp_grid WHERE community_id = ?")
UNITS = Sql("SELECT unit_id, name FROM {t}vp_unit")


def normalised_phone(phone: str) -> str:
    """The digits of a phone number, which is what two spellings share."""
    return "".join(c for c in phone if c.isdigit())


class PhoneKeys:
    """Turns a phone number into the key it is kept under: an HMAC-SHA256
    under a key derived from the cipher key when there is one, else SHA-256."""

    def __init__(self, sealer: Sealer) -> None:
        secret = getattr(sealer.cipher, "key", None)
        self.secret = (
            None
            if not isinstance(secret, bytes)
            else hmac.digest(secret, b"vpoints member phone key", "sha256")
        )

    def key(self, phone: str) -> str:
        digits = normalised_phone(phone).encode("ascii")
        if self.secret is None:
            return hashlib.sha256(digits).hexdigest()
        return hmac.new(self.secret, digits, "sha256").hexdigest()


class Phones:
    """Keeps vp_member_phone."""

    def __init__(self, sealer: Sealer) -> None:
        self.keys = PhoneKeys(sealer)

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Member.Registered, self.member_registered),
            on(Member.DetailsChanged, self.details_changed),
            on(Member.Merged, self.member_merged),
        ]

    def member_registered(self, e: Member.Registered, batch: Batch) -> None:
        if e.phone and normalised_phone(e.phone):
            batch.run(INSERT_PHONE, (self.keys.key(e.phone), str(e.originator_id)))

    def details_changed(self, e: Member.DetailsChanged, batch: Batch) -> None:
        if "phone" not in e.changes:
            return
        member_id = str(e.originator_id)
        previous = e.previous.get("phone")
        if previous and normalised_phone(previous):
            batch.run(DELETE_PHONE, (self.keys.key(previous), member_id))
        phone = e.changes["phone"]
        if phone and normalised_phone(phone):
            batch.run(INSERT_PHONE, (self.keys.key(phone), member_id))

    def member_merged(self, e: Member.Merged, batch: Batch) -> None:
        """The duplicate's phone numbers find the survivor from now on."""
        batch.run(MOVE_PHONES, (str(e.survivor_id), str(e.originator_id)))


class PhoneQueries:
    """Members by phone, members by id, and the names of grids and units, as an
    import needs them."""

    def __init__(self, view: Reader, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer
        self.keys = PhoneKeys(sealer)

    def members_by_phone(self, phones: Iterable[str]) -> dict[str, str]:
        """``{phone: member_id}`` for the phones some member has."""
        by_key: dict[str, list[str]] = {}
        for phone in phones:
            if normalised_phone(phone):
                by_key.setdefault(self.keys.key(phone), []).append(phone)
        found: dict[str, str] = {}
        for rows in self._in_batches(_keys_in, list(by_key)):
            for row in rows:
                for phone in by_key[row["phone_key"]]:
                    found[phone] = row["member_id"]
        return found

    def members_by_id(self, member_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """``{member_id: {name, community_id, left_on, merged_into}}`` for the
        members that exist."""
        found: dict[str, dict[str, Any]] = {}
        for rows in self._in_batches(_members_in, list(dict.fromkeys(member_ids))):
            for row in rows:
                found[row["member_id"]] = {
                    "name": self.sealer.open(row["name"]),
                    "community_id": row["community_id"],
                    "left_on": row["left_on"],
                    "merged_into": row["merged_into"],
                }
        return found

    def grid_names(self, community_id: str) -> dict[str, list[str]]:
        """``{name: [grid_id, ...]}`` of a community's grids."""
        names: dict[str, list[str]] = {}
        for row in self.view.all(GRIDS_OF_COMMUNITY, (community_id,)):
            names.setdefault(row["name"], []).append(row["grid_id"])
        return names

    def unit_names(self) -> dict[str, list[str]]:
        """``{name: [unit_id, ...]}`` of every unit."""
        names: dict[str, list[str]] = {}
        for row in self.view.all(UNITS, ()):
            names.setdefault(row["name"], []).append(row["unit_id"])
        return names

    def _in_batches(
        self, sql: Callable[[int], Sql], values: Sequence[str]
    ) -> Iterator[list[Row]]:
        for start in range(0, len(values), BATCH):
            batch = values[start : start + BATCH]
            yield self.view.all(sql(len(batch)), batch)

"""The application's machinery: storage, saving with bounded retries, loading,
references, positions and scopes; the commands build on it."""

from __future__ import annotations

import hmac
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    PersistenceError,
    Recording,
    Transcoding,
)

from domain.access import AccessToken, token_digest
from domain.activity import Activity
from domain.community import Community, Unit
from domain.errors import InvalidCommand, NotFound, UnknownReference, WriteConflict
from domain.idempotency import IdempotentRequest
from domain.member import Member
from domain.rules import (
    check_text,
    to_decimal,
)
from domain.storage import Storage, StorageError, prepare
from domain.team import Team

A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")

WRITE_ATTEMPTS = 30
KNOWN_IDS_LIMIT = 500_000
AGGREGATE_CACHE_SIZE = 20_000
LABELS: dict[type[Aggregate], str] = {
    Member: "志愿者",
    Team: "志愿服务队",
    Activity: "活动",
    Community: "社区",
    Unit: "单位党组织",
}
MAX_ATTENDANCE_RECORDS = 500


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


@dataclass(frozen=True)
class Written:
    """What a command did: the id it concerns, whether it changed anything,
    and the event log position that reflects it."""

    id: UUID
    position: int
    changed: bool = True


@dataclass(frozen=True)
class AttendanceWritten:
    activity_id: UUID
    position: int
    recorded: int
    unchanged: int
    corrected: int


class RequestAlreadyAnswered(Exception):
    """Raised when an idempotent request's record was saved by a concurrent writer."""

    def __init__(self, request_id: UUID) -> None:
        super().__init__(str(request_id))
        self.request_id = request_id


@dataclass(frozen=True)
class Scope:
    """Where a member, team or activity belongs; it never changes once recorded."""

    community_id: UUID
    team_id: UUID | None


@dataclass
class Decision:
    aggregates: Sequence[Aggregate]
    id: UUID
    value: Any = None


Extra = Callable[[Decision], Sequence[Aggregate]]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Service(Application[UUID]):
    """What every command needs: storage, saving with retries, loading, scopes."""

    env: ClassVar[dict[str, str]] = {
        "AGGREGATE_CACHE_MAXSIZE": str(AGGREGATE_CACHE_SIZE)
    }

    def __init__(
        self,
        storage: Storage,
        clock: Callable[[], datetime] = utc_now,
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        self.storage = storage
        self.clock = clock
        self._known: dict[UUID, tuple[type[Aggregate], Scope | None]] = {}
        self.listeners: list[Callable[[], None]] = []
        prepare(storage)
        try:
            super().__init__(env={**storage.env, **(extra_env or {})})
        except (PersistenceError, OSError) as error:
            detail = str(error).strip().splitlines()
            raise StorageError(
                f"VPOINTS_DATABASE_URL: cannot open the {storage.kind} database: "
                f"{detail[0] if detail else type(error).__name__}"
            ) from None

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # Positions and saving.

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        recordings = super()._record(processing_event)
        cache = self.repository.cache
        if cache is not None:
            # Saved state is stored state: caching it spares the next command
            # from fast-forwarding through the events it has just written.
            for aggregate_id, aggregate in processing_event.aggregates.items():
                cache.put(aggregate_id, aggregate)
        return recordings

    def _notify(self, recordings: list[Any]) -> None:
        if recordings:
            for listener in self.listeners:
                listener()

    def position(self) -> int:
        """The highest position in the event log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    def _run(
        self, decide: Callable[[], Decision], extra: Extra | None = None
    ) -> tuple[Decision, int]:
        for attempt in range(WRITE_ATTEMPTS):
            decision = decide()
            aggregates = list(decision.aggregates)
            extras = list(extra(decision)) if extra else []
            try:
                recordings = self.save(*aggregates, *extras)
            except IntegrityError:
                for aggregate in extras:
                    if aggregate.id in self.repository:
                        raise RequestAlreadyAnswered(aggregate.id) from None
                # Jittered exponential back-off spreads out many writers
                # contending for one aggregate.
                time.sleep(random.uniform(0, min(0.1, 0.002 * 2**attempt)))
                continue
            for aggregate in aggregates:
                self._remember(aggregate)
            if recordings:
                position = max(r.notification.id for r in recordings)
            else:
                position = self.position()
            return decision, position
        raise WriteConflict("并发写入冲突，请稍后重试")

    def _load(self, cls: type[A], aggregate_id: UUID, what: str) -> A:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"{what} {aggregate_id} 不存在") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"{what} {aggregate_id} 不存在")
        self._remember(aggregate)
        return aggregate

    def _remember(self, aggregate: Aggregate) -> None:
        """Remembers what never changes about an aggregate: its type and scope."""
        scope = None
        if isinstance(aggregate, Team):
            scope = Scope(aggregate.community_id, aggregate.id)
        elif isinstance(aggregate, Activity):
            scope = Scope(aggregate.community_id, aggregate.team_id)
        elif isinstance(aggregate, Member):
            scope = Scope(aggregate.community_id, None)
        if len(self._known) >= KNOWN_IDS_LIMIT:
            self._known.clear()
        self._known[aggregate.id] = (type(aggregate), scope)

    def _check_reference(
        self, cls: type[Aggregate], aggregate_id: UUID, field: str, what: str
    ) -> None:
        known = self._known.get(aggregate_id)
        if known is not None and known[0] is cls:
            return
        try:
            self._load(cls, aggregate_id, what)
        except NotFound:
            raise UnknownReference(f"{what} {aggregate_id} 不存在", field) from None

    def _written(self, decision: Decision, position: int) -> Written:
        changed = bool(decision.value) if isinstance(decision.value, bool) else True
        return Written(decision.id, position, changed)

    def token_for(self, secret: str) -> AccessToken | None:
        """The token whose secret this is, if it was issued and is not revoked."""
        digest = token_digest(secret)
        try:
            token: Aggregate = self.repository.get(AccessToken.create_id(digest))
        except AggregateNotFoundError:
            return None
        if not isinstance(token, AccessToken) or token.revoked:
            return None
        return token if hmac.compare_digest(token.digest, digest) else None

    # Idempotent requests.

    def position_of(self, aggregate_id: UUID) -> int:
        """The event log position of an aggregate's first event."""
        recorder: Any = self.recorder
        if hasattr(recorder, "_stored_events_index"):
            index = recorder._stored_events_index[str(aggregate_id)]
            return int(index[1]) + 1
        datastore: Any = getattr(self.factory, "datastore", None)
        table = recorder.events_table_name
        if self.storage.kind == "postgresql":
            schema = datastore.schema
            sql = (
                f'SELECT notification_id FROM "{schema}"."{table}" '
                "WHERE originator_id = %s AND originator_version = 1"
            )
            with datastore.transaction(commit=False) as c:
                c.execute(sql, (aggregate_id,))
                return int(c.fetchone()["notification_id"])
        with datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT rowid FROM {table} "
                "WHERE originator_id = ? AND originator_version = 1",
                (aggregate_id.hex,),
            )
            return int(c.fetchone()[0])

    def answered_request(self, request_id: UUID) -> IdempotentRequest | None:
        try:
            aggregate: Aggregate = self.repository.get(request_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, IdempotentRequest) else None

    # Plain data for readers that need the current state of one thing.

    def scope_of(self, aggregate_id: UUID, kind: type[Aggregate]) -> Scope:
        """The community (and team) of a member, team or activity; remembered,
        since it never changes."""
        known = self._known.get(aggregate_id)
        if known is None or known[1] is None:
            self._load(kind, aggregate_id, LABELS[kind])
            known = self._known[aggregate_id]
        if known[0] is not kind or known[1] is None:
            raise NotFound(f"{LABELS[kind]} {aggregate_id} 不存在")
        return known[1]

    def member(self, member_id: UUID) -> Member:
        return self._load(Member, member_id, LABELS[Member])

    def team(self, team_id: UUID) -> Team:
        return self._load(Team, team_id, LABELS[Team])

    def activity(self, activity_id: UUID) -> Activity:
        return self._load(Activity, activity_id, LABELS[Activity])

    def community(self, community_id: UUID) -> Community:
        return self._load(Community, community_id, LABELS[Community])

    def unit(self, unit_id: UUID) -> Unit:
        return self._load(Unit, unit_id, LABELS[Unit])


def optional_text(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    return check_text(value, field)


def check_phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    text = check_text(phone, "phone", max_length=20)
    if not all(c.isdigit() or c in "+- " for c in text):
        raise InvalidCommand("phone 只能包含数字、空格、+ 和 -", "phone")
    return text


def check_date(value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidCommand("日期格式应为 YYYY-MM-DD", "reported_on")
    return value


def points_rule(
    points_per_hour: object, fixed_points: object
) -> tuple[Decimal | None, Decimal | None]:
    if points_per_hour is not None and fixed_points is not None:
        raise InvalidCommand(
            "points_per_hour 与 fixed_points 只能给出一个", "fixed_points"
        )
    if fixed_points is not None:
        fixed = to_decimal(fixed_points, "fixed_points")
        if fixed < 0 or fixed > 10_000:
            raise InvalidCommand("fixed_points 必须在 0 到 10000 之间", "fixed_points")
        return None, fixed
    if points_per_hour is not None:
        rate = to_decimal(points_per_hour, "points_per_hour")
        if rate < 0 or rate > 1_000:
            raise InvalidCommand(
                "points_per_hour 必须在 0 到 1000 之间", "points_per_hour"
            )
        return rate, None
    return None, None

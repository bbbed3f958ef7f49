"""What every command needs: loading, remembered scopes, and saving a command's
aggregates together with the idempotency record of the request it answers."""

from __future__ import annotations

import hmac
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import wraps
from typing import (
    Any,
    ClassVar,
    Concatenate,
    ParamSpec,
    Protocol,
    TypeVar,
    runtime_checkable,
)
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    LRUCache,
    ProcessingEvent,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Recording,
    Transcoding,
)
from eventsourcing.utils import get_topic

from domain.access import AccessToken, token_digest
from domain.activity import Activity
from domain.base import BudgetedCache
from domain.community import Community, Unit
from domain.dates import local_date
from domain.errors import (
    MemberDeregistered,
    NotFound,
    UnknownReference,
    WriteConflict,
)
from domain.idempotency import IdempotentRequest, RequestAlreadyAnswered, RequestKey
from domain.member import Member
from domain.redemption import PointsAccount, Redemption, Reward
from domain.report import Report
from domain.results import Result, result_transcodings
from domain.team import Team
from domain.tree import District, Grid, Street

A = TypeVar("A", bound=Aggregate)
R = TypeVar("R", bound=Result)
P = ParamSpec("P")
App = TypeVar("App", bound="ApplicationBase")

WRITE_ATTEMPTS = 30
SCOPES_REMEMBERED = 500_000
AGGREGATE_CACHE_SIZE = 20_000
LABELS: dict[type[Aggregate], str] = {
    Member: "志愿者",
    Team: "志愿服务队",
    Activity: "活动",
    Community: "社区",
    Unit: "单位党组织",
    District: "区县",
    Street: "街道",
    Grid: "网格",
    Report: "报告",
    Reward: "奖品",
    Redemption: "兑换",
}
DEREGISTERED_TOPICS = (get_topic(Member.Deregistered), get_topic(Member.Merged))

_open_request: ContextVar[RequestKey | None] = ContextVar("request", default=None)


def utc_now() -> datetime:
    return datetime.now(UTC)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


@dataclass(frozen=True)
class Scope:
    """Where a community, team, activity or member belongs in the organisation
    tree: its community (and team), and the community's street and district."""

    community_id: UUID
    team_id: UUID | None = None
    street_id: UUID | None = None
    district_id: UUID | None = None

    def places(self) -> tuple[UUID | None, ...]:
        return (self.district_id, self.street_id, self.community_id, self.team_id)


@runtime_checkable
class PositionedRecorder(Protocol):
    def position_of(self, originator_id: UUID) -> int:
        """The event log position of an aggregate's first event."""

    def originators_with(
        self, originator_ids: Sequence[UUID], topics: Sequence[str]
    ) -> set[UUID]:
        """Those of the aggregates that have recorded an event of these topics."""


def retried(
    command: Callable[Concatenate[App, P], R],
) -> Callable[Concatenate[App, P], R]:
    """Runs a command again, from loading, when another writer saved one of its
    aggregates first; jittered exponential back-off spreads out many writers
    contending for one aggregate. Each run again is counted in the
    application's ``write_conflicts_retried``."""

    @wraps(command)
    def run(app: App, /, *args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(WRITE_ATTEMPTS):
            if attempt:
                app.write_conflicts_retried += 1
            try:
                return command(app, *args, **kwargs)
            except IntegrityError:
                time.sleep(random.uniform(0, min(0.1, 0.002 * 2**attempt)))
        raise WriteConflict("并发写入冲突，请稍后重试")

    return run


class ApplicationBase(Application[UUID]):
    """The event-sourced application: commands are get → command → save."""

    name = "VolunteerPoints"
    env: ClassVar[dict[str, str]] = {
        "AGGREGATE_CACHE_MAXSIZE": str(AGGREGATE_CACHE_SIZE)
    }

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []
        self.write_conflicts_retried = 0
        self._scopes: LRUCache[UUID, tuple[type[Aggregate], Scope | None]] = LRUCache(
            maxsize=SCOPES_REMEMBERED
        )
        super().__init__(env=env)
        budget = self.env.get("AGGREGATE_CACHE_MB")
        if budget and isinstance(self.repository.cache, LRUCache):
            self.repository.cache = BudgetedCache(
                int(self.env.get("AGGREGATE_CACHE_MAXSIZE") or AGGREGATE_CACHE_SIZE),
                int(budget) * 1024 * 1024,
            )

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        for transcoding in result_transcodings():
            transcoder.register(transcoding)

    # Saving.

    @contextmanager
    def answering(self, request: RequestKey) -> Iterator[None]:
        """Within this block, a command saves the request's record, with its
        result, in the same transaction as its events."""
        token = _open_request.set(request)
        try:
            yield
        finally:
            _open_request.reset(token)

    def _saved(self, result: R, *aggregates: Aggregate) -> R:
        """Saves the aggregates, and the record of the request being answered,
        atomically; returns the result at the position that reflects it."""
        request = _open_request.get()
        records = [] if request is None else [request.answered_with(result)]
        try:
            recordings = self.save(*aggregates, *records)
        except IntegrityError:
            if request is not None and request.id in self.repository:
                raise RequestAlreadyAnswered(request.id) from None
            raise
        for aggregate in aggregates:
            self._remember(aggregate)
        if recordings:
            return replace(result, position=max(r.notification.id for r in recordings))
        return replace(result, position=self.position())

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

    # Positions and answered requests.

    def position(self) -> int:
        """The highest position in the event log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    def answered(self, request: RequestKey) -> IdempotentRequest | None:
        """The record of a request answered before, if there is one."""
        try:
            aggregate: Aggregate = self.repository.get(request.id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, IdempotentRequest) else None

    def position_of(self, aggregate_id: UUID) -> int:
        """The event log position of an aggregate's first event."""
        return self._positioned_recorder().position_of(aggregate_id)

    def _positioned_recorder(self) -> PositionedRecorder:
        recorder = self.recorder
        assert isinstance(recorder, PositionedRecorder), type(recorder)
        return recorder

    def today(self) -> date:
        """Today in Asia/Shanghai, by the application's clock."""
        return local_date(self.clock())

    # Loading.

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
        """Remembers what never changes about an aggregate: its type and, but
        for a member, who moves, its scope."""
        scope = None
        if isinstance(aggregate, Community):
            street = None
            if aggregate.street_id is not None:
                street = self._load(Street, aggregate.street_id, LABELS[Street])
            scope = Scope(
                aggregate.id,
                street_id=aggregate.street_id,
                district_id=None if street is None else street.district_id,
            )
        elif isinstance(aggregate, Team):
            scope = replace(
                self._placement(aggregate.community_id), team_id=aggregate.id
            )
        elif isinstance(aggregate, Activity):
            placement = self._placement(aggregate.community_id)
            scope = replace(placement, team_id=aggregate.team_id)
        elif isinstance(aggregate, Grid | Reward | Redemption):
            scope = self._placement(aggregate.community_id)
        self._scopes.put(aggregate.id, (type(aggregate), scope))

    def _placement(self, community_id: UUID) -> Scope:
        """Where a community stands in the tree; remembered, since it never
        changes."""
        known = self._known(community_id)
        if known is None or known[1] is None:
            self._load(Community, community_id, LABELS[Community])
            known = self._known(community_id)
        assert known is not None
        assert known[1] is not None
        return known[1]

    def _known(self, aggregate_id: UUID) -> tuple[type[Aggregate], Scope | None] | None:
        try:
            return self._scopes.get(aggregate_id)
        except KeyError:
            return None

    def ensure_exists(self, kind: type[Aggregate], aggregate_id: UUID) -> None:
        """Raises NotFound unless the aggregate exists and is of this kind; what
        exists once exists for good, so an aggregate seen once is not loaded
        again."""
        known = self._known(aggregate_id)
        if known is None or known[0] is not kind:
            self._load(kind, aggregate_id, LABELS[kind])

    def _check_reference(
        self, cls: type[Aggregate], aggregate_id: UUID, field: str, what: str
    ) -> None:
        try:
            self.ensure_exists(cls, aggregate_id)
        except NotFound:
            raise UnknownReference(f"{what} {aggregate_id} 不存在", field) from None

    def _check_registered(self, member_ids: Sequence[UUID], field: str) -> None:
        """Refuses members that do not exist (422) or have deregistered (409)."""
        for member_id in member_ids:
            self._check_reference(Member, member_id, field, LABELS[Member])
        recorder = self._positioned_recorder()
        gone = recorder.originators_with(member_ids, DEREGISTERED_TOPICS)
        if gone:
            member = self._load(Member, min(gone, key=str), LABELS[Member])
            member.check_is_registered()
            raise MemberDeregistered(f"志愿者 {member.id} 已注销")

    def community_scope(self, community_id: UUID) -> Scope | None:
        """Where a community stands in the tree, or None if there is no such
        community."""
        try:
            return self._placement(community_id)
        except NotFound:
            return None

    def scope_of(self, aggregate_id: UUID, kind: type[Aggregate]) -> Scope:
        """Where a member, community, grid, team or activity stands: remembered
        for all but members, whose community changes when they move."""
        if kind is Member:
            member = self._load(Member, aggregate_id, LABELS[Member])
            return self._placement(member.community_id)
        known = self._known(aggregate_id)
        if known is None or known[1] is None:
            self._load(kind, aggregate_id, LABELS[kind])
            known = self._known(aggregate_id)
        if known is None or known[0] is not kind or known[1] is None:
            raise NotFound(f"{LABELS[kind]} {aggregate_id} 不存在")
        return known[1]

    def _existing_account(self, member_id: UUID) -> PointsAccount | None:
        try:
            found: Aggregate = self.repository.get(PointsAccount.create_id(member_id))
        except AggregateNotFoundError:
            return None
        assert isinstance(found, PointsAccount)
        return found

    def _account(self, member_id: UUID) -> PointsAccount:
        """A member's points account, opened (not yet saved) if it has none."""
        found = self._existing_account(member_id)
        return PointsAccount(member_id=member_id) if found is None else found

    # The current state of one thing, for readers that need it.

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

    def district(self, district_id: UUID) -> District:
        return self._load(District, district_id, LABELS[District])

    def street(self, street_id: UUID) -> Street:
        return self._load(Street, street_id, LABELS[Street])

    def grid(self, grid_id: UUID) -> Grid:
        return self._load(Grid, grid_id, LABELS[Grid])

    def report(self, report_id: UUID) -> Report:
        return self._load(Report, report_id, LABELS[Report])

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

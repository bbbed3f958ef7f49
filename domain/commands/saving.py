"""What every group of commands builds on: the application's settings and
clock, and saving a command's aggregates together with the record of the
request it answers, in turn with this process's other writers of the same
aggregates, and run again when another process's writer saved first."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import wraps
from typing import Any, ClassVar, Concatenate, ParamSpec, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording

from domain.commands.loading import Loading
from domain.dates import local_date
from domain.errors import WriteConflict
from domain.idempotency import IdempotentRequest, RequestAlreadyAnswered, RequestKey
from domain.results import Result

R = TypeVar("R", bound=Result)
T = TypeVar("T")
P = ParamSpec("P")
App = TypeVar("App", bound="ApplicationBase")

AGGREGATE_CACHE_SIZE = 20_000


def utc_now() -> datetime:
    return datetime.now(UTC)


class Retries(Protocol):
    """How a command takes its turn with this process's other writers of its
    aggregates, and is run again, from loading, when a writer of another
    process saved one of them first (the library's IntegrityError)."""

    retried: int
    """How many times a command was run again."""

    def run(self, command: Callable[[], T], writing: Sequence[Hashable] = ()) -> T:
        """The command's result, once no other command of this process that
        writes one of the aggregates ``writing`` names runs; raises
        WriteConflict once it runs no more."""


class RunOnce:
    """Runs a command once: a conflict is answered as such, for the client to
    try again."""

    retried = 0

    def run(self, command: Callable[[], T], writing: Sequence[Hashable] = ()) -> T:
        try:
            return command()
        except IntegrityError:
            raise WriteConflict("并发写入冲突，请稍后重试") from None


def retried(
    command: Callable[Concatenate[App, P], R],
) -> Callable[Concatenate[App, P], R]:
    """Runs a command again, from loading, when another writer saved one of its
    aggregates first, as the application's retries have it."""

    @wraps(command)
    def run(app: App, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return app.retries.run(lambda: command(app, *args, **kwargs))

    return run


Key = str | Callable[[Any, dict[str, Any]], Hashable]
"""What a command writes: the name of its argument that names an aggregate,
or a function of the application and the command's arguments that finds one."""


def in_turn(
    *keys: Key,
) -> Callable[[Callable[Concatenate[App, P], R]], Callable[Concatenate[App, P], R]]:
    """Runs a command in turn with this process's other commands that write
    the aggregates its ``keys`` name, so that they do not fail each other's
    optimistic check; and again, from loading, when another process's writer
    saved one of its aggregates first (as ``retried``)."""

    def decorate(
        command: Callable[Concatenate[App, P], R],
    ) -> Callable[Concatenate[App, P], R]:
        names = list(inspect.signature(command).parameters)[1:]

        @wraps(command)
        def run(app: App, /, *args: P.args, **kwargs: P.kwargs) -> R:
            arguments = dict(zip(names, args, strict=False)) | kwargs
            writing = [
                arguments[key] if isinstance(key, str) else key(app, arguments)
                for key in keys
            ]
            return app.retries.run(lambda: command(app, *args, **kwargs), writing)

        return run

    return decorate


class ApplicationBase(Loading):
    """The event-sourced application: commands are get → command → save.

    Its settings come from ``env``; ``retries`` decides how a command that
    lost a race is run again (by default, not at all)."""

    name = "VolunteerPoints"
    env: ClassVar[dict[str, str]] = {
        "AGGREGATE_CACHE_MAXSIZE": str(AGGREGATE_CACHE_SIZE)
    }

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        clock: Callable[[], datetime] = utc_now,
        retries: Retries | None = None,
    ) -> None:
        self.clock = clock
        self.retries: Retries = RunOnce() if retries is None else retries
        self.listeners: list[Callable[[Sequence[Recording[UUID]]], None]] = []
        super().__init__(env=env)

    @property
    def write_conflicts_retried(self) -> int:
        """How many times a command was run again after a write conflict."""
        return self.retries.retried

    def _saved(
        self, result: R, *aggregates: Aggregate, request: RequestKey | None
    ) -> R:
        """Saves the aggregates and, if the command answers a request made with
        an Idempotency-Key, the request's record with the result, atomically;
        returns the result at the position that reflects it."""
        records = [] if request is None else [request.answered_with(result)]
        try:
            recordings = self.save(*aggregates, *records)
        except IntegrityError:
            if request is not None and request.id in self.repository:
                raise RequestAlreadyAnswered(request.id) from None
            raise
        for aggregate in aggregates:
            self.scopes.remember(aggregate)
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

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        """Hands the events a save committed to the listeners (the projector
        of this process, its cache of principals), before the command
        returns."""
        if recordings:
            for listener in self.listeners:
                listener(recordings)

    def position(self) -> int:
        """The highest position in the event log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    def position_of(self, aggregate_id: UUID) -> int:
        """The event log position of an aggregate's first event."""
        return self._positioned_recorder().position_of(aggregate_id)

    def answered(self, request: RequestKey) -> IdempotentRequest | None:
        """The record of a request answered before, if there is one."""
        try:
            aggregate: Aggregate = self.repository.get(request.id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, IdempotentRequest) else None

    def today(self) -> date:
        """Today in Asia/Shanghai, by the application's clock."""
        return local_date(self.clock())

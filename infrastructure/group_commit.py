"""Group commit: concurrent writers share one transaction and one flush to
disk. The first writer to find no commit under way leads: it takes every write
waiting (up to ``MAX_GROUP``) and commits them together; the others wait for
its answer. A recorder gives ``_commit``, which stores a group and sets each
write's ``ids`` or ``error``."""

from __future__ import annotations

import threading
from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import StoredEvent

MAX_GROUP = 256


@dataclass
class Write:
    """One writer's events, waiting to be committed."""

    events: Sequence[StoredEvent]
    kwargs: dict[str, Any]
    ids: Sequence[int] | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


class GroupCommit:
    """The waiting and leading of group commit, for an application recorder."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._waiting: list[Write] = []
        self._state = threading.Condition()
        self._leading = False

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        write = Write(stored_events, kwargs)
        with self._state:
            self._waiting.append(write)
            while not write.done.is_set() and self._leading:
                self._state.wait()
            if write.done.is_set():
                return self._result(write)
            self._leading = True
            group, self._waiting = self._waiting[:MAX_GROUP], self._waiting[MAX_GROUP:]
        try:
            self._commit_group(group)
        finally:
            with self._state:
                self._leading = False
                self._state.notify_all()
        return self._result(write)

    def _commit_group(self, group: list[Write]) -> None:
        try:
            self._commit(group)
        except BaseException as error:
            # Nothing of the group was stored: each write fails, with its own
            # error if it had one.
            for write in group:
                if write.error is None:
                    write.error = error
        finally:
            for write in group:
                write.done.set()

    @abstractmethod
    def _commit(self, group: list[Write]) -> None:
        """Stores the group's events in one transaction: each write's ``ids``,
        or its ``error`` if its events alone conflicted."""

    @staticmethod
    def _result(write: Write) -> Sequence[int] | None:
        if write.error is not None:
            raise write.error
        return write.ids

"""The in-memory application recorder (``memory://``), with the hash chain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory

from infrastructure.chain import EMPTY, links


class MemoryRecorder(POPOApplicationRecorder):
    """The library's in-memory application recorder, with the hash chain."""

    def __init__(self) -> None:
        super().__init__()
        self._chain: list[tuple[int, bytes]] = []

    def _update_table(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._update_table(stored_events, **kwargs)
        assert ids is not None
        head = self._chain[-1][1] if self._chain else EMPTY
        self._chain.extend(links(head, ids, stored_events))
        return ids

    def chain_head(self) -> tuple[int, bytes]:
        with self._database_lock:
            return self._chain[-1] if self._chain else (0, EMPTY)

    def chain_digest_at(self, position: int) -> bytes:
        with self._database_lock:
            found = [d for p, d in self._chain[:position] if p <= position]
            return found[-1] if found else EMPTY

    def chain_links(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        with self._database_lock:
            return [link for link in self._chain if link[0] > after][:limit]

    def position_of(self, originator_id: UUID) -> int:
        """The event log position of an aggregate's first event."""
        with self._database_lock:
            return self._stored_events_index[str(originator_id)][1] + 1

    def originators_with(
        self, originator_ids: Sequence[UUID], topics: Sequence[str]
    ) -> set[UUID]:
        """Those of the aggregates that have recorded an event of these topics."""
        wanted = set(topics)
        found = set()
        with self._database_lock:
            for originator_id in originator_ids:
                index = self._stored_events_index.get(str(originator_id), {})
                if any(self._stored_events[i].topic in wanted for i in index.values()):
                    found.add(originator_id)
        return found


class MemoryFactory(POPOFactory):
    """The library's in-memory persistence, with the recorder above."""

    def application_recorder(self) -> MemoryRecorder:
        return MemoryRecorder()

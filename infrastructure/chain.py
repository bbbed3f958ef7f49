"""The hash chain over the event log (tamper evidence).

Each stored event has a digest that covers its content and the digest before
it; the digests are kept in a table of their own (``vpoints_chain``), written in
the same transaction as the events. Before any event the digest is 32 zero
bytes; the event at position n chains on to the digest before it::

    digest_n = SHA-256(
        digest_{n-1}                        32 bytes
        notification id                      8 bytes, unsigned, big-endian
        originator id                       16 bytes, the UUID's bytes
        originator version                   8 bytes, unsigned, big-endian
        length of the topic                  4 bytes, unsigned, big-endian
        topic                               UTF-8
        length of the state                  8 bytes, unsigned, big-endian
        state                               the stored bytes (compressed or
                                            encrypted as they are stored)
    )

The head digest at a position is the digest of the last event at or before it,
as 64 hex digits (64 zeros before the first event). Walking the log and the
chain together names the first position where a row was changed (its digest no
longer follows), deleted (a digest without its event) or inserted (an event
without its digest) behind the application's back."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent

TABLE = "vpoints_chain"
EMPTY = bytes(32)
PAGE = 2000


def chained(
    previous: bytes,
    position: int,
    originator_id: UUID | str,
    originator_version: int,
    topic: str,
    state: bytes,
) -> bytes:
    """The digest after one more event."""
    encoded = topic.encode("utf-8")
    digest = hashlib.sha256(previous)
    digest.update(position.to_bytes(8, "big"))
    digest.update(UUID(str(originator_id)).bytes)
    digest.update(originator_version.to_bytes(8, "big"))
    digest.update(len(encoded).to_bytes(4, "big"))
    digest.update(encoded)
    digest.update(len(state).to_bytes(8, "big"))
    digest.update(state)
    return digest.digest()


def links(
    previous: bytes, positions: Sequence[int], events: Sequence[StoredEvent]
) -> list[tuple[int, bytes]]:
    """The chain's links for events just stored at these positions."""
    made = []
    for position, event in zip(positions, events, strict=True):
        previous = chained(
            previous,
            position,
            event.originator_id,
            event.originator_version,
            event.topic,
            event.state,
        )
        made.append((position, previous))
    return made


def of_notification(previous: bytes, notification: Notification) -> bytes:
    return chained(
        previous,
        notification.id,
        notification.originator_id,
        notification.originator_version,
        notification.topic,
        notification.state,
    )


@runtime_checkable
class ChainedRecorder(Protocol):
    """A recorder that keeps the chain with the events."""

    def chain_head(self) -> tuple[int, bytes]:
        """The position and digest of the last link (0 and zeros if none)."""

    def chain_digest_at(self, position: int) -> bytes:
        """The digest of the last link at or before ``position``."""

    def chain_links(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        """Up to ``limit`` links after a position, in order."""

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]: ...


@dataclass(frozen=True)
class Verdict:
    """What a walk of the chain found: how many events it checked, and the
    first position where the log and the chain part (None if none)."""

    ok: bool
    checked: int
    first_broken_position: int | None
    head_position: int
    head_digest: str


def _pages(
    fetch: Callable[[int], Sequence[Any]], position_of: Callable[[Any], int]
) -> Iterator[Any]:
    after = 0
    while True:
        page = fetch(after)
        if not page:
            return
        yield from page
        after = position_of(page[-1])


def verify(
    recorder: ChainedRecorder, progress: Callable[[int], object] | None = None
) -> Verdict:
    """Walks the events and the chain together, recomputing each digest from
    the one before it."""
    events = _pages(
        lambda after: recorder.select_notifications(
            after, PAGE, inclusive_of_start=False
        ),
        lambda n: int(n.id),
    )
    chain = _pages(lambda after: recorder.chain_links(after, PAGE), lambda k: k[0])
    digest, checked = EMPTY, 0
    event, link = next(events, None), next(chain, None)
    while event is not None or link is not None:
        if link is None or (event is not None and event.id < link[0]):
            assert event is not None
            return Verdict(False, checked, event.id, *_head(recorder))
        if event is None or link[0] < event.id:
            return Verdict(False, checked, link[0], *_head(recorder))
        digest = of_notification(digest, event)
        if digest != link[1]:
            return Verdict(False, checked, event.id, *_head(recorder))
        checked += 1
        if progress is not None and checked % PAGE == 0:
            progress(PAGE)
        event, link = next(events, None), next(chain, None)
    if progress is not None:
        progress(checked % PAGE)
    return Verdict(True, checked, None, *_head(recorder))


def _head(recorder: ChainedRecorder) -> tuple[int, str]:
    position, digest = recorder.chain_head()
    return position, digest.hex()

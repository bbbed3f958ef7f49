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

    def max_notification_id(self) -> int | None:
        """The position of the last event (None or 0 if none)."""

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
class Link:
    """A position of the log, the chain's digest there, and how many events
    the chain covers up to it: where a walk that found no break ended, and
    where the next one may resume."""

    position: int
    digest: bytes
    events: int


START = Link(0, EMPTY, 0)


@dataclass(frozen=True)
class Verdict:
    """What a walk of the chain found: how many events it checked, and the
    first position where the log and the chain part (None if none).
    ``checked`` counts the events up to the break (or the head) that the
    chain was verified over, those of the walk it resumed after included;
    ``resumed_from`` is the position the walk began after (0: the whole
    log); ``verified`` is where the walk could next resume."""

    ok: bool
    checked: int
    first_broken_position: int | None
    head_position: int
    head_digest: str
    resumed_from: int = 0
    verified: Link = START


def _pages(
    fetch: Callable[[int], Sequence[Any]],
    position_of: Callable[[Any], int],
    after: int,
    stop: int,
) -> Iterator[Any]:
    while after < stop:
        page = fetch(after)
        if not page:
            return
        for item in page:
            if position_of(item) > stop:
                return
            yield item
        after = position_of(page[-1])


def verify(
    recorder: ChainedRecorder,
    progress: Callable[[int], object] | None = None,
    after: Link = START,
) -> Verdict:
    """Walks the events and the chain together, recomputing each digest from
    the one before it, up to the end of the log as it stood when the walk
    began (the last event or the last link, whichever is later: a link
    without its event and an event without its link are both breaks).
    Given ``after``, a link verified before, the walk starts from it instead
    of the first event: see ``ChainVerifier`` for what that trusts."""
    head_position, head = recorder.chain_head()
    stop = max(head_position, recorder.max_notification_id() or 0)
    events = _pages(
        lambda start: recorder.select_notifications(
            start, PAGE, stop=stop, inclusive_of_start=False
        ),
        lambda n: int(n.id),
        after.position,
        stop,
    )
    chain = _pages(
        lambda start: recorder.chain_links(start, PAGE),
        lambda k: int(k[0]),
        after.position,
        stop,
    )
    verified = after
    digest, checked = after.digest, after.events

    def broken(position: int) -> Verdict:
        return Verdict(
            False,
            checked,
            position,
            head_position,
            head.hex(),
            after.position,
            verified,
        )

    event, link = next(events, None), next(chain, None)
    while event is not None or link is not None:
        if link is None or (event is not None and event.id < link[0]):
            assert event is not None
            return broken(event.id)
        if event is None or link[0] < event.id:
            return broken(link[0])
        digest = of_notification(digest, event)
        if digest != link[1]:
            return broken(event.id)
        checked += 1
        verified = Link(event.id, digest, checked)
        if progress is not None and checked % PAGE == 0:
            progress(PAGE)
        event, link = next(events, None), next(chain, None)
    if progress is not None:
        progress(checked % PAGE)
    # A write saved after the head was read is walked too: the head answered
    # is the last link walked.
    last = max(verified, Link(head_position, head, checked), key=lambda k: k.position)
    return Verdict(
        True, checked, None, last.position, last.digest.hex(), after.position, verified
    )


class ChainVerifier:
    """Walks of the chain in one process, each resuming after the last link
    the walks before it verified instead of starting over.

    Resuming after position P with digest D is sound for what a walk is
    for, rows changed behind the application's back, as far as this: the
    stored link at P must still be D (else the walk starts over from the
    first event), so a chain rewritten from any position up to P to match
    changed rows is found, as is every change after P. A row at or below P
    changed without its link, or deleted or inserted together with its
    link, is not seen by a resumed walk: ``verify(full=True)`` walks the
    whole log again (``vpoints audit verify`` always does). A walk that
    finds a break keeps the links verified before it, so the next one
    resumes just before the break and names it again.

    Not safe to call from two threads at once: callers run it one at a time
    (``infrastructure.single_flight``)."""

    def __init__(self, recorder: ChainedRecorder) -> None:
        self.recorder = recorder
        self.verified = START

    def verify(self, full: bool = False) -> Verdict:
        after = START if full else self.verified
        if after.position and self.recorder.chain_digest_at(after.position) != (
            after.digest
        ):
            after = START
        verdict = verify(self.recorder, after=after)
        self.verified = verdict.verified
        return verdict

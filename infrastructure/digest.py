"""The head digest of the event log: one SHA-256 chained through every stored
event up to a position, so that a published report names the exact record its
figures came from.

The digest before any event is 32 zero bytes. Each event, in position order,
chains on to the digest before it::

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

The head digest at a position is the last ``digest_n`` written as 64 hex digits
(64 zeros at position 0, and for a log with no event up to the position).
"""

from __future__ import annotations

import hashlib
from uuid import UUID

from eventsourcing.persistence import Notification

from domain.application import VolunteerPoints

EMPTY = bytes(32)
PAGE = 1000


def chained(previous: bytes, notification: Notification) -> bytes:
    """The digest after one more event."""
    topic = notification.topic.encode("utf-8")
    state = notification.state
    digest = hashlib.sha256(previous)
    digest.update(notification.id.to_bytes(8, "big"))
    digest.update(UUID(str(notification.originator_id)).bytes)
    digest.update(notification.originator_version.to_bytes(8, "big"))
    digest.update(len(topic).to_bytes(4, "big"))
    digest.update(topic)
    digest.update(len(state).to_bytes(8, "big"))
    digest.update(state)
    return digest.digest()


def log_digest(app: VolunteerPoints, position: int) -> str:
    """The head digest of the event log up to and including ``position``."""
    digest = EMPTY
    start = 1
    while start <= position:
        page = app.recorder.select_notifications(start, PAGE, stop=position)
        if not page:
            break
        for notification in page:
            digest = chained(digest, notification)
        start = page[-1].id + 1
    return digest.hex()

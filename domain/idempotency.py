from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import Entity


class IdempotentRequest(Entity):
    """The first successful answer to a request made with an Idempotency-Key.

    Saved in the same transaction as the command's events, so a key is never
    recorded without its effect, nor an effect without its key."""

    @staticmethod
    def create_id(principal: str, key: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"vpoints:idempotency:{principal}:{key}")

    @event("Answered")
    def __init__(
        self, principal: str, key: str, fingerprint: str, status: int, body: Any
    ) -> None:
        self.fingerprint = fingerprint
        self.status = status
        self.body = body

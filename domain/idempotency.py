from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate
from domain.results import EarlierAnswer, Result


class IdempotentRequest(CachedAggregate):
    """The result of the first successful request made with an Idempotency-Key.

    Saved in the same transaction as the command's events, so a key is never
    recorded without its effect, nor an effect without its key."""

    class Answered(Aggregate.Created):
        principal: str
        key: str
        fingerprint: str
        result: Result

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 recorded the HTTP status and body of the answer."""
            status, body = state.pop("status"), state.pop("body")
            state["result"] = EarlierAnswer(status=status, body=body)

    @staticmethod
    def create_id(principal: str, key: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"vpoints:idempotency:{principal}:{key}")

    @event(Answered)
    def __init__(
        self, principal: str, key: str, fingerprint: str, result: Result
    ) -> None:
        self.fingerprint = fingerprint
        self.result = result


@dataclass(frozen=True)
class RequestKey:
    """A request made with an Idempotency-Key: who made it, the key, and a
    fingerprint of what was asked."""

    principal: str
    key: str
    fingerprint: str

    @property
    def id(self) -> UUID:
        return IdempotentRequest.create_id(self.principal, self.key)

    def answered_with(self, result: Result) -> IdempotentRequest:
        return IdempotentRequest(
            principal=self.principal,
            key=self.key,
            fingerprint=self.fingerprint,
            result=replace(result, position=0),
        )


class RequestAlreadyAnswered(Exception):
    """Raised when a concurrent request with the same key was answered first."""

    def __init__(self, request_id: UUID) -> None:
        super().__init__(str(request_id))
        self.request_id = request_id

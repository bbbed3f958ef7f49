"""What the sign-in tests share: an inbox in place of the SMS gateway, and
the steps of signing in."""

from __future__ import annotations

import queue
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from api.system import System

MEMBER_PHONE = "13800138000"
OTHER_PHONE = "13900139000"
NOBODY_PHONE = "13700137000"
ORGANISER_PHONE = "13600136000"


@dataclass(frozen=True)
class Sent:
    phone: str
    code: str
    purpose: str
    expires_at: datetime


class Inbox:
    """Takes the place of the SMS gateway: keeps every code it is given."""

    def __init__(self, system: System) -> None:
        self.system = system
        self.sent: queue.Queue[Sent] = queue.Queue()
        system.sms.deliver = self.deliver  # type: ignore[method-assign]

    def deliver(
        self, phone: str, code: str, purpose: str, expires_at: datetime
    ) -> bool:
        self.sent.put(Sent(phone, code, purpose, expires_at))
        return True

    def delivered(self) -> list[Sent]:
        """Every code sent so far, once the sending has finished."""
        assert self.system.sms.wait_sent(10)
        found = []
        while not self.sent.empty():
            found.append(self.sent.get_nowait())
        return found

    def code_for(self, phone: str) -> str:
        sent = [s for s in self.delivered() if s.phone == phone]
        assert sent, f"no code was sent to {phone}"
        return sent[-1].code


def ask_code(client: TestClient, phone: str, **extra: Any) -> Any:
    return client.post("/v1/auth/sms-code", json={"phone": phone, **extra})


def signed_in(
    client: TestClient, inbox: Inbox, phone: str, role: str = "member"
) -> dict[str, Any]:
    """A session begun with the code sent to the phone."""
    asked = ask_code(client, phone)
    assert asked.status_code == 202, asked.text
    code = inbox.code_for(phone)
    answer = client.post(
        "/v1/auth/sms-sign-in", json={"phone": phone, "code": code, "as": role}
    )
    assert answer.status_code == 200, answer.text
    session: dict[str, Any] = answer.json()
    return session


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"

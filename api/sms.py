"""Sending sign-in codes (短信验证码): to the webhook the deployment points at
its SMS gateway (``VPOINTS_SMS_WEBHOOK_URL``), or, without one, to the
server's log (the phone masked), for development.

A code is sent in a worker thread after the request is answered, so that the
answer takes as long whether or not the phone is anyone's, and a slow gateway
holds up no request. A gateway that fails is logged; the member asks again."""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime
from typing import Any

from domain.organiser import masked_phone
from projections.phones import normalised_phone

log = logging.getLogger("vpoints.sms")

WEBHOOK_TIMEOUT_SECONDS = 5.0
SENDERS = 4


class CodeSender:
    """Sends codes, each in one of its own threads."""

    def __init__(self, webhook_url: str | None) -> None:
        self.webhook_url = webhook_url
        self._threads = ThreadPoolExecutor(SENDERS, thread_name_prefix="vpoints-sms")
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def later(self, job: Callable[..., Any], *args: Any) -> None:
        """Runs ``job`` (which decides whether to send, and sends) after the
        request is answered."""
        future = self._threads.submit(job, *args)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)

    def wait_sent(self, timeout: float) -> bool:
        """Waits for the codes being sent; False if some are still going."""
        with self._lock:
            pending = set(self._pending)
        return not wait(pending, timeout=timeout).not_done

    def close(self) -> None:
        self.wait_sent(WEBHOOK_TIMEOUT_SECONDS)
        self._threads.shutdown(wait=False)

    def deliver(
        self, phone: str, code: str, purpose: str, expires_at: datetime
    ) -> bool:
        """Sends the code now; False if the gateway did not take it."""
        if not self.webhook_url:
            log.warning(
                "sign-in code %s for phone %s (%s), valid until %s; "
                "set VPOINTS_SMS_WEBHOOK_URL to send codes by SMS",
                code,
                masked_phone(normalised_phone(phone)),
                purpose,
                expires_at.isoformat(),
            )
            return True
        body = {
            "phone": phone,
            "code": code,
            "purpose": purpose,
            "expires_at": expires_at.isoformat(),
        }
        request = urllib.request.Request(
            self.webhook_url,
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(
                request, timeout=WEBHOOK_TIMEOUT_SECONDS
            ) as answer:
                answer.read()
        except (urllib.error.URLError, OSError, ValueError) as error:
            log.error("the SMS webhook did not take a %s code: %s", purpose, error)
            return False
        return True

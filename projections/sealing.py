"""Personal data in the read models: sealed with the events' cipher when one is set."""

from __future__ import annotations

import base64

from eventsourcing.persistence import Cipher

PREFIX = "aes:"


class Sealer:
    """Seals names and phone numbers before they are written to a table, and
    opens them when read; without a cipher both are the identity."""

    def __init__(self, cipher: Cipher | None = None) -> None:
        self.cipher = cipher

    def seal(self, text: str | None) -> str | None:
        if text is None or self.cipher is None:
            return text
        sealed = self.cipher.encrypt(text.encode("utf-8"))
        return PREFIX + base64.b64encode(sealed).decode("ascii")

    def open(self, text: str | None) -> str | None:
        if text is None or self.cipher is None or not text.startswith(PREFIX):
            return text
        sealed = base64.b64decode(text[len(PREFIX) :])
        return self.cipher.decrypt(sealed).decode("utf-8")

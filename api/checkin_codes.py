"""The code an activity's page shows at the door (签到码): the activity and a
30-second window, signed with the deployment's key, so that a photo of the
code passed on outside the room stops working within a minute. A code is
taken in its own window and the next."""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from domain.checkin import CodeExpired, InvalidCheckinCode, WrongActivity

WINDOW_SECONDS = 30
MAC_BYTES = 10


class CheckinCodes:
    def __init__(self, key: bytes, clock: Callable[[], datetime]) -> None:
        self.key = hmac.digest(key, b"vpoints check-in codes", "sha256")
        self.clock = clock

    def _window(self) -> int:
        return int(self.clock().timestamp()) // WINDOW_SECONDS

    def _mac(self, message: bytes) -> bytes:
        return hmac.digest(self.key, message, "sha256")[:MAC_BYTES]

    def current(self, activity_id: UUID) -> tuple[str, datetime]:
        """This window's code for the activity, and when it stops being taken."""
        window = self._window()
        message = activity_id.bytes + window.to_bytes(8, "big")
        code = base64.urlsafe_b64encode(message + self._mac(message)).decode()
        until = datetime.fromtimestamp((window + 2) * WINDOW_SECONDS, UTC)
        return code.rstrip("="), until

    def check(self, activity_id: UUID, code: str) -> None:
        """Raises unless the code is the activity's, of this window or the last."""
        try:
            raw = base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))
        except (binascii.Error, ValueError):
            raise InvalidCheckinCode("签到码无效", "code") from None
        message, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
        if len(message) != 24 or not hmac.compare_digest(mac, self._mac(message)):
            raise InvalidCheckinCode("签到码无效", "code")
        if UUID(bytes=message[:16]) != activity_id:
            raise WrongActivity("这是另一个活动的签到码", "code")
        window = int.from_bytes(message[16:], "big")
        if not 0 <= self._window() - window <= 1:
            raise CodeExpired("签到码已过期，请扫描现场最新的二维码")

"""Signing in without an administrator (登录): the one-time codes sent to a
phone, the quota of codes a client address may ask for, and the sessions a
sign-in starts.

Phones and client addresses are known here only by keyed digests, and codes
and refresh tokens only by digests: what the log holds names no phone and
opens no session. The keys belong to the deployment (api/sessions.py)."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate
from domain.errors import DomainError

CODE_LIFETIME = timedelta(seconds=300)
MAX_MISSES = 5
PHONE_GAP = timedelta(seconds=60)
PHONE_HOURLY = 5
ADDRESS_HOURLY = 20
HOUR = timedelta(hours=1)
PURPOSES = ("sign_in", "bind")


class TooManyRequests(DomainError):
    """Raised when a phone or a client address asked for codes beyond the
    limits; ``retry_after`` is how many seconds until it may ask again."""

    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class SignInRefused(DomainError):
    """Raised when a sign-in or a refresh is refused; ``code`` says why."""

    def __init__(
        self, code: str, message: str, extensions: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self._extensions = extensions or {}

    def extensions(self) -> dict[str, str]:
        return dict(self._extensions)


def _seconds_until(moment: datetime, now: datetime) -> int:
    return int((moment - now).total_seconds() + 0.999)


class SignInCodes(CachedAggregate):
    """The codes sent to one phone: the one that stands (its digest, when it
    expires, how many wrong tries it took, whether it was used) and when the
    codes of the last hour were sent."""

    @staticmethod
    def create_id(phone_key: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"vpoints:sign-in-codes:{phone_key}")

    class Opened(Aggregate.Created):
        phone_key: str

    class CodeSent(Aggregate.Event):
        code_digest: str
        purpose: str
        expires_at: datetime
        address_key: str

    class CodeMissed(Aggregate.Event):
        voided: bool

    class CodeUsed(Aggregate.Event):
        purpose: str

    @event(Opened)
    def __init__(self, phone_key: str) -> None:
        self.phone_key = phone_key
        self.sent: list[datetime] = []
        self.code_digest: str | None = None
        self.purpose = ""
        self.expires_at: datetime | None = None
        self.misses = 0
        self.used = False

    def wait_before_sending(self, now: datetime) -> int:
        """Seconds until this phone may be sent another code (0: now)."""
        recent = [at for at in self.sent if now - at < HOUR]
        waits = []
        if recent and now - recent[-1] < PHONE_GAP:
            waits.append(_seconds_until(recent[-1] + PHONE_GAP, now))
        if len(recent) >= PHONE_HOURLY:
            waits.append(_seconds_until(recent[-PHONE_HOURLY] + HOUR, now))
        return max(waits, default=0)

    def send(
        self, code_digest: str, purpose: str, address_key: str, now: datetime
    ) -> None:
        wait = self.wait_before_sending(now)
        if wait:
            raise TooManyRequests("验证码请求过于频繁，请稍后再试", wait)
        self._send(code_digest, purpose, now + CODE_LIFETIME, address_key)

    @event(CodeSent)
    def _send(
        self, code_digest: str, purpose: str, expires_at: datetime, address_key: str
    ) -> None:
        self.sent = [*self.sent[-(PHONE_HOURLY - 1) :], expires_at - CODE_LIFETIME]
        self.code_digest = code_digest
        self.purpose = purpose
        self.expires_at = expires_at
        self.misses = 0
        self.used = False

    def standing(self, now: datetime) -> bool:
        """Whether a code stands that may still be tried."""
        return (
            self.code_digest is not None
            and not self.used
            and self.misses < MAX_MISSES
            and self.expires_at is not None
            and now < self.expires_at
        )

    def miss(self) -> None:
        """A wrong code tried against the standing one; the fifth voids it."""
        self._miss(self.misses + 1 >= MAX_MISSES)

    @event(CodeMissed)
    def _miss(self, voided: bool) -> None:
        self.misses += 1

    def use(self) -> None:
        self._use(self.purpose)

    @event(CodeUsed)
    def _use(self, purpose: str) -> None:
        self.used = True


class AddressQuota(CachedAggregate):
    """When one client address asked for codes in the last hour."""

    @staticmethod
    def create_id(address_key: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"vpoints:sign-in-address:{address_key}")

    class Opened(Aggregate.Created):
        address_key: str

    class Asked(Aggregate.Event):
        at: datetime

    @event(Opened)
    def __init__(self, address_key: str) -> None:
        self.address_key = address_key
        self.asked: list[datetime] = []

    def ask(self, now: datetime) -> None:
        recent = [at for at in self.asked if now - at < HOUR]
        if len(recent) >= ADDRESS_HOURLY:
            wait = _seconds_until(recent[-ADDRESS_HOURLY] + HOUR, now)
            raise TooManyRequests("此网络地址请求验证码过于频繁，请稍后再试", wait)
        self._ask(now)

    @event(Asked)
    def _ask(self, at: datetime) -> None:
        self.asked = [*self.asked[-(ADDRESS_HOURLY - 1) :], at]


class Session(CachedAggregate):
    """A family of sessions begun by one sign-in: who it is for, the digest of
    the refresh token that continues it, and those already spent. A spent
    token presented again ends the family (it was copied)."""

    class Started(Aggregate.Created):
        role: str
        member_id: UUID | None
        organiser_id: UUID | None
        method: str
        refresh_digest: str
        organiser_generation: int

    class Refreshed(Aggregate.Event):
        refresh_digest: str

    class Ended(Aggregate.Event):
        reason: str
        actor: str

    @event(Started)
    def __init__(
        self,
        role: str,
        member_id: UUID | None,
        organiser_id: UUID | None,
        method: str,
        refresh_digest: str,
        organiser_generation: int = 0,
    ) -> None:
        self.role = role
        self.organiser_generation = organiser_generation
        self.member_id = member_id
        self.organiser_id = organiser_id
        self.method = method
        self.refresh_digest = refresh_digest
        self.spent: list[str] = []
        self.ended = False
        self.end_reason = ""

    def check_open(self) -> None:
        if self.ended:
            raise SignInRefused("session_ended", "登录已失效，请重新登录")

    def reused(self, presented: str) -> bool:
        """Whether a refresh token already spent is presented again."""
        return presented in self.spent

    def check_current(self, presented: str) -> None:
        if not hmac.compare_digest(presented, self.refresh_digest):
            raise SignInRefused("invalid_refresh_token", "刷新令牌无效")

    @event(Refreshed)
    def refresh(self, refresh_digest: str) -> None:
        """Spends the current refresh token for the next."""
        self.spent = [*self.spent, self.refresh_digest]
        self.refresh_digest = refresh_digest

    def end(self, reason: str, actor: str) -> bool:
        if self.ended:
            return False
        self._end(reason, actor)
        return True

    @event(Ended)
    def _end(self, reason: str, actor: str) -> None:
        self.ended = True
        self.end_reason = reason

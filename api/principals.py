"""Who is asking: each request's principal, resolved once from a cache keyed
by the digest of its bearer token, so that a request pays a hash and a
look-up instead of loading the token from the event log.

A token's principal holds until the token is revoked (``AccessToken.Revoked``,
the one event that ends a token). The cache learns of a revocation:

- in the process that revoked the token, at once: the application hands the
  events of every save to ``saved`` before the command returns, so the token
  is forgotten before the revocation is answered;
- in every other process, no later than that process's read models reflect
  it: ``moved`` is told of each position the process's projector reaches (or,
  where a worker projects, of each tracking position the process reads)
  before readers waiting for that position are let through, and forgets the
  tokens revoked up to there; a process without a projector of its own also
  looks the revocations up in the event log when asked for a principal at
  least ``FOLLOW_SECONDS`` after it last looked.

If a look-up fails, every principal is forgotten: the next request of each
token loads it again, and a revoked token is refused."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from anyio.to_thread import run_sync as run_in_threadpool
from eventsourcing.utils import get_topic
from pydantic import SecretStr

from api.auth import Principal, bootstrap_admin
from domain.access import AccessToken
from domain.application import VolunteerPoints

log = logging.getLogger("vpoints")

CACHED_PRINCIPALS = 10_000
FOLLOW_SECONDS = 0.5
REVOKED = get_topic(AccessToken.Revoked)
LOOKUP_PAGE = 1000


class Unauthenticated(Exception):
    """Raised when a request carries no bearer token, or one that is not a
    valid token."""


def principal_of_token(token: AccessToken) -> Principal:
    return Principal(
        id=str(token.id),
        role=token.role,
        community_ids=frozenset(token.community_ids),
        team_ids=frozenset(token.team_ids),
        member_id=token.member_id,
        district_ids=frozenset(token.district_ids),
        street_ids=frozenset(token.street_ids),
    )


class Principals:
    """The principals of the tokens used lately, by their secret's digest,
    up to ``size`` of them (the least recently used are dropped)."""

    def __init__(
        self,
        app: VolunteerPoints,
        admin_token: SecretStr | None,
        size: int = CACHED_PRINCIPALS,
    ) -> None:
        self.app = app
        self.admin_token = admin_token
        self.size = size
        self.follows = False
        self._cached: OrderedDict[bytes, Principal] = OrderedDict()
        self._lock = threading.Lock()
        self._forgotten = 0
        self._looked_up_to = app.position()
        self._next_look = 0.0

    async def resolve(self, authorization: str | None) -> Principal:
        """The principal of an ``Authorization: Bearer`` header; raises
        Unauthenticated without one. Loads a token it does not hold in a worker
        thread."""
        scheme, _, secret = (authorization or "").partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret:
            raise Unauthenticated("需要 Authorization: Bearer <令牌>")
        admin = bootstrap_admin(self.admin_token, secret)
        if admin is not None:
            return admin
        now = time.monotonic()
        if self.follows and now >= self._next_look:
            self._next_look = now + FOLLOW_SECONDS
            await run_in_threadpool(self.follow)
        digest = hashlib.sha256(secret.encode("utf-8", "surrogatepass")).digest()
        with self._lock:
            principal = self._cached.get(digest)
            if principal is not None:
                self._cached.move_to_end(digest)
                return principal
        return await run_in_threadpool(self._load, secret, digest)

    def _load(self, secret: str, digest: bytes) -> Principal:
        forgotten = self._forgotten
        token = self.app.token_for(secret)
        if token is None:
            raise Unauthenticated("令牌无效或已撤销")
        principal = principal_of_token(token)
        with self._lock:
            # A revocation seen while the token was loading may be of this
            # token: it is loaded again next time.
            if forgotten == self._forgotten:
                self._cached[digest] = principal
                if len(self._cached) > self.size:
                    self._cached.popitem(last=False)
        return principal

    def saved(self, recordings: Sequence[Any]) -> None:
        """Forgets the tokens that this process's save has just revoked."""
        self._forget_revoked(r.domain_event for r in recordings)

    def moved(self, start: int, position: int, events: Iterable[object] | None) -> None:
        """Forgets the tokens revoked after ``start`` up to ``position``:
        among ``events``, if given, else as the event log has them."""
        if events is not None:
            self._forget_revoked(events)
            return
        self._look_up(start, position)

    def follow(self) -> None:
        """Forgets the tokens revoked since the last look, up to the end of
        the event log."""
        self._look_up(self._looked_up_to, self.app.position())

    def _look_up(self, start: int, position: int) -> None:
        revoked: list[object] = []
        try:
            while start < position:
                found = self.app.recorder.select_notifications(
                    start=start,
                    limit=LOOKUP_PAGE,
                    stop=position,
                    topics=[REVOKED],
                    inclusive_of_start=False,
                )
                revoked += [n.originator_id for n in found]
                if len(found) < LOOKUP_PAGE:
                    break
                start = found[-1].id
        except Exception as error:
            log.warning("could not look up revoked tokens (%s)", error)
            self.forget_all()
            return
        self._looked_up_to = max(self._looked_up_to, position)
        self._forget({str(token_id) for token_id in revoked})

    def _forget_revoked(self, events: Iterable[object]) -> None:
        revoked = {
            str(event.originator_id)
            for event in events
            if isinstance(event, AccessToken.Revoked)
        }
        if revoked:
            self._forget(revoked)

    def _forget(self, token_ids: set[str]) -> None:
        if not token_ids:
            return
        with self._lock:
            self._forgotten += 1
            for digest in [d for d, p in self._cached.items() if p.id in token_ids]:
                del self._cached[digest]

    def forget_all(self) -> None:
        with self._lock:
            self._forgotten += 1
            self._cached.clear()

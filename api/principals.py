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
token loads it again, and a revoked token is refused.

A session's access token is checked by its signature, not loaded, and held
in the same cache until it expires; the sessions ended and organiser accounts
removed that this process learnt of are refused the same ways."""

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
from api.sessions import SessionKeys
from domain.access import AccessToken
from domain.application import VolunteerPoints
from domain.organiser import Organiser
from domain.sign_in import Session

log = logging.getLogger("vpoints")

CACHED_PRINCIPALS = 10_000
FOLLOW_SECONDS = 0.5
REVOKED = get_topic(AccessToken.Revoked)
ENDED = (get_topic(Session.Ended), get_topic(Organiser.Removed))
ENDINGS = (Session.Ended, Organiser.Removed)
# An access token lives 15 minutes: an ended session need not be
# remembered for longer.
ENDED_KEPT_SECONDS = 900.0
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
        sessions: SessionKeys | None = None,
    ) -> None:
        self.app = app
        self.admin_token = admin_token
        self.sessions = sessions
        # Sessions ended and organiser accounts removed lately, by id: when
        # this process learnt of it (monotonic), and the moment by the
        # application's clock before which their access tokens were issued.
        self._ended: dict[str, tuple[float, float]] = {}
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
        if principal is not None and principal.session_id is None:
            return principal
        if self.sessions is not None and secret.count(".") == 2:
            return self._session_principal(secret, digest, principal)
        return await run_in_threadpool(self._load, secret, digest)

    def _session_principal(
        self, token: str, digest: bytes, held: Principal | None
    ) -> Principal:
        """The principal of a session's access token: its signature checked
        once (no database read), then held until it expires; refused once
        its session ended or its organiser account was removed."""
        assert self.sessions is not None
        principal = held or self.sessions.principal(token)
        if principal is None or self.sessions.expired(principal):
            raise Unauthenticated("登录令牌无效或已过期")
        if held is None:
            self._hold(digest, principal, self._forgotten)
        ended = self._ended
        if ended:
            keys = [principal.id]
            if principal.organiser_id is not None:
                keys.append(str(principal.organiser_id))
            for key in keys:
                found = ended.get(key)
                if found is not None and principal.issued_at <= found[1]:
                    raise Unauthenticated("登录已失效，请重新登录")
        return principal

    def _load(self, secret: str, digest: bytes) -> Principal:
        forgotten = self._forgotten
        token = self.app.token_for(secret)
        if token is None:
            raise Unauthenticated("令牌无效或已撤销")
        principal = principal_of_token(token)
        self._hold(digest, principal, forgotten)
        return principal

    def _hold(self, digest: bytes, principal: Principal, forgotten: int) -> None:
        with self._lock:
            # A revocation seen while the token was loading may be of this
            # token: it is loaded again next time.
            if forgotten == self._forgotten:
                self._cached[digest] = principal
                if len(self._cached) > self.size:
                    self._cached.popitem(last=False)

    def saved(self, recordings: Sequence[Any]) -> None:
        """Forgets the tokens that this process's save has just revoked."""
        self._forget_revoked(r.domain_event for r in recordings)

    def moved(
        self,
        start: int,
        position: int,
        events: Iterable[tuple[int, object]] | None,
    ) -> None:
        """Forgets the tokens revoked after ``start`` up to ``position``:
        among ``events`` (each with its position), if given, else as the
        event log has them."""
        if events is not None:
            self._forget_revoked(event for _, event in events)
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
                    topics=[REVOKED, *ENDED],
                    inclusive_of_start=False,
                )
                revoked += [n.originator_id for n in found if n.topic == REVOKED]
                self._end(str(n.originator_id) for n in found if n.topic != REVOKED)
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
        revoked: set[str] = set()
        ended: list[str] = []
        for event in events:
            if isinstance(event, AccessToken.Revoked):
                revoked.add(str(event.originator_id))
            elif isinstance(event, ENDINGS):
                ended.append(str(event.originator_id))
        if revoked:
            self._forget(revoked)
        if ended:
            self._end(ended)

    def _end(self, ids: Iterable[str]) -> None:
        """Refuses the sessions of these ids, and of these organisers, from
        now on (until their access tokens would have expired anyway)."""
        now = time.monotonic()
        moment = self.app.clock().timestamp()
        with self._lock:
            ended = {
                key: found
                for key, found in self._ended.items()
                if now - found[0] < ENDED_KEPT_SECONDS
            }
            # Learnt again (the projector passes on what a save already
            # told), it keeps the moment it was first learnt.
            for key in ids:
                ended.setdefault(key, (now, moment))
            self._ended = ended

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

"""Sessions (登录会话): the access tokens a sign-in is answered with, signed with
the deployment's session key (HS256, PyJWT) and checked without reading the
database; the refresh tokens that continue them; and the keyed digests that
stand in the event log for phones, client addresses and codes.

Codes and refresh tokens are hashed with HMAC-SHA256, not a slow password
hash: a code lives five minutes and is void after five wrong tries, so it is
guessed online or not at all, and a refresh token holds 256 random bits. The
key keeps a leaked log from being searched for a phone or a code; a slow hash
would add nothing but cost to each sign-in."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any
from uuid import UUID

import jwt

from api.auth import Principal
from domain.application import VolunteerPoints
from domain.results import SessionStarted
from infrastructure.secrets import deployment_secret
from projections.phones import normalised_phone

ACCESS_SECONDS = 900
BINDING_SECONDS = 600
BINDING_AUDIENCE = "vpoints-wechat-bind"
REFRESH_DAYS = 30
ISSUER = "vpoints"
AUDIENCE = "vpoints-api"
ALGORITHM = "HS256"
CODE_DIGITS = 6


class BadRefreshToken(Exception):
    """Raised when a refresh token is not one this deployment made."""


class SessionKeys:
    """The deployment's keys: the one that signs access tokens
    (``VPOINTS_SESSION_KEY`` when set, else made and kept in the database) and
    the one that makes digests of phones, addresses and codes (always the
    database's own, so that a new session key leaves them as they were)."""

    def __init__(self, app: VolunteerPoints, session_key: str | None) -> None:
        self.signing = (
            session_key.encode("utf-8")
            if session_key
            else deployment_secret(app.recorder, "session")
        )
        self.digesting = deployment_secret(app.recorder, "digest")
        self.clock = app.clock

    def _digest(self, kind: str, value: str) -> str:
        message = f"{kind}:{value}".encode("utf-8", "surrogatepass")
        return hmac.new(self.digesting, message, "sha256").hexdigest()

    def phone_key(self, phone: str) -> str:
        return self._digest("phone", normalised_phone(phone))

    def address_key(self, address: str) -> str:
        return self._digest("address", address)

    def device_key(self, description: str) -> str:
        return self._digest("device", description)

    def openid_key(self, openid: str) -> str:
        return self._digest("openid", openid)

    def binding_token(self, openid_key: str) -> str:
        """A token that lets its holder bind this openid to a member, with a
        phone code, within 10 minutes."""
        now = int(self.clock().timestamp())
        claims = {
            "iss": ISSUER,
            "aud": BINDING_AUDIENCE,
            "okey": openid_key,
            "iat": now,
            "exp": now + BINDING_SECONDS,
        }
        return jwt.encode(claims, self.signing, algorithm=ALGORITHM)

    def bound_openid(self, token: str) -> str | None:
        """The openid digest of a binding token, if it is valid and current."""
        claims = self._current(token, BINDING_AUDIENCE, ["exp", "okey"])
        key = None if claims is None else claims["okey"]
        return key if isinstance(key, str) else None

    def _current(
        self, token: str, audience: str, required: list[str]
    ) -> dict[str, Any] | None:
        """The claims of a token this deployment signed for ``audience``, if
        it holds ``required`` and has not expired by the application's clock."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.signing,
                algorithms=[ALGORITHM],
                audience=audience,
                issuer=ISSUER,
                options={
                    "require": required,
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
            if not float(claims["exp"]) > self.clock().timestamp():
                return None
        except (jwt.PyJWTError, ValueError, TypeError):
            return None
        return claims

    def code_digest(self, phone_key: str, code: str) -> str:
        return self._digest("code", f"{phone_key}:{code}")

    @staticmethod
    def new_code() -> str:
        return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"

    @staticmethod
    def new_refresh() -> tuple[str, str]:
        """A refresh token's secret and its digest."""
        secret = secrets.token_urlsafe(32)
        return secret, hashlib.sha256(secret.encode("ascii")).hexdigest()

    @staticmethod
    def read_refresh(token: str) -> tuple[UUID, str]:
        """The session a refresh token continues, and the digest of its secret."""
        session, _, secret = token.partition(".")
        try:
            session_id = UUID(hex=session)
            digest = hashlib.sha256(secret.encode("ascii")).hexdigest()
        except (ValueError, UnicodeEncodeError):
            raise BadRefreshToken(token) from None
        if not secret:
            raise BadRefreshToken(token)
        return session_id, digest

    def answer(self, started: SessionStarted, refresh_secret: str) -> dict[str, Any]:
        """The session as a client is given it."""
        now = int(self.clock().timestamp())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(started.member_id or started.organiser_id),
            "sid": str(started.id),
            "role": started.role,
            "iat": now,
            "exp": now + ACCESS_SECONDS,
        }
        if started.organiser_id is not None:
            claims["oid"] = str(started.organiser_id)
            claims["places"] = {
                "d": [str(p) for p in started.district_ids],
                "s": [str(p) for p in started.street_ids],
                "c": [str(p) for p in started.community_ids],
                "t": [str(p) for p in started.team_ids],
            }
        access = jwt.encode(claims, self.signing, algorithm=ALGORITHM)
        return {
            "access_token": access,
            "refresh_token": f"{started.id.hex}.{refresh_secret}",
            "token_type": "Bearer",
            "expires_in": ACCESS_SECONDS,
            "refresh_expires_in": REFRESH_DAYS * 86400,
            "role": started.role,
            "member_id": started.member_id,
            "organiser_id": started.organiser_id,
        }

    def principal(self, token: str) -> Principal | None:
        """The principal of a valid access token (signature, issuer,
        audience, expiry by the application's clock), else None."""
        claims = self._current(token, AUDIENCE, ["exp", "iat", "sub", "sid", "role"])
        if claims is None:
            return None
        try:
            return _principal_of(claims)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def expired(self, principal: Principal) -> bool:
        expires = principal.expires_at
        return expires is not None and not expires > self.clock().timestamp()


def _ids(values: Any) -> frozenset[UUID]:
    if not isinstance(values, list):
        raise TypeError("places must be lists")
    return frozenset(UUID(str(value)) for value in values)


def _principal_of(claims: dict[str, Any]) -> Principal:
    role, session = claims["role"], UUID(str(claims["sid"]))
    issued_at, expires_at = float(claims["iat"]), float(claims["exp"])
    if role == "member":
        member_id = UUID(str(claims["sub"]))
        return Principal(
            str(session),
            role,
            member_id=member_id,
            session_id=session,
            issued_at=issued_at,
            expires_at=expires_at,
        )
    if role != "organizer":
        raise ValueError(f"no sessions for {role}")
    places = claims["places"]
    return Principal(
        str(session),
        role,
        district_ids=_ids(places["d"]),
        street_ids=_ids(places["s"]),
        community_ids=_ids(places["c"]),
        team_ids=_ids(places["t"]),
        session_id=session,
        organiser_id=UUID(str(claims["oid"])),
        issued_at=issued_at,
        expires_at=expires_at,
    )

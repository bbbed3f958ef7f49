"""OpenID Connect sign-in (政务统一身份认证): an ID token of the district's
identity provider verified against the keys it publishes (PyJWT's JWK client,
which keeps the key set for five minutes and fetches it again when a token
names a key it does not hold, at most every 30 seconds): the signature by
RS256 or ES256 only (``none`` and the HMAC algorithms refused, so a public key
can never be used as a shared secret), the issuer, the audience, the expiry;
then its verified ``phone_number``."""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any

import jwt
from jwt import PyJWKClient, PyJWKClientConnectionError, PyJWKClientError

log = logging.getLogger("vpoints.oidc")

ALGORITHMS = ["RS256", "ES256"]
TIMEOUT_SECONDS = 5
KEYS_LIFESPAN_SECONDS = 300
# A token naming a key not held fetches the key set again at most this often,
# so that made-up key ids cannot flood the provider.
REFETCH_COOLDOWN_SECONDS = 30.0
LEEWAY_SECONDS = 30


class InvalidIdToken(Exception):
    """Raised when an ID token is not one the identity provider issued to
    this deployment, now, with a verified phone."""


class ProviderUnavailable(Exception):
    """Raised when the identity provider's keys cannot be fetched, or none is
    set up here."""


class IdentityProvider:
    def __init__(
        self, issuer: str | None, audience: str | None, jwks_url: str | None
    ) -> None:
        self.issuer = issuer.rstrip("/") if issuer else None
        self.audience = audience
        self.jwks_url = jwks_url
        self.refetch_cooldown = REFETCH_COOLDOWN_SECONDS
        self._keys: PyJWKClient | None = None
        self._lock = threading.Lock()

    def _client(self) -> PyJWKClient:
        if not self.issuer or not self.audience:
            raise ProviderUnavailable("本系统未配置统一身份认证")
        with self._lock:
            if self._keys is None:
                url = self.jwks_url or self._discovered_keys_url()
                self._keys = PyJWKClient(
                    url,
                    lifespan=KEYS_LIFESPAN_SECONDS,
                    timeout=TIMEOUT_SECONDS,
                    cooldown_duration=self.refetch_cooldown,
                )
            return self._keys

    def _discovered_keys_url(self) -> str:
        url = f"{self.issuer}/.well-known/openid-configuration"
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:
                found: Any = json.loads(answer.read())
        except (urllib.error.URLError, OSError, ValueError) as error:
            log.warning("OpenID configuration not read from %s: %s", url, error)
            raise ProviderUnavailable("统一身份认证服务暂时不可用") from None
        keys = found.get("jwks_uri") if isinstance(found, dict) else None
        if not isinstance(keys, str):
            raise ProviderUnavailable("统一身份认证服务没有公布密钥地址")
        return keys

    def verified_phone(self, id_token: str, now: datetime) -> str:
        """The verified phone number of a valid ID token."""
        client = self._client()
        try:
            key = client.get_signing_key_from_jwt(id_token)
        except PyJWKClientConnectionError as error:
            log.warning("identity provider keys not fetched: %s", error)
            raise ProviderUnavailable("统一身份认证服务暂时不可用") from None
        except (PyJWKClientError, jwt.PyJWTError) as error:
            raise InvalidIdToken(f"ID 令牌无效：{error}") from None
        try:
            claims = jwt.decode(
                id_token,
                key,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={
                    "require": ["iss", "aud", "exp", "iat", "sub"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError as error:
            raise InvalidIdToken(f"ID 令牌无效：{error}") from None
        expires = claims["exp"]
        if not isinstance(expires, int | float) or expires + LEEWAY_SECONDS <= (
            now.timestamp()
        ):
            raise InvalidIdToken("ID 令牌已过期")
        phone = claims.get("phone_number")
        if (
            not isinstance(phone, str)
            or claims.get("phone_number_verified") is not True
        ):
            raise InvalidIdToken("ID 令牌没有经过验证的手机号")
        return phone

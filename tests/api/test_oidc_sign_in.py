"""Signing in with an ID token of the district's identity provider (a
stand-in publishing RSA and EC keys): verified by signature, algorithm,
issuer, audience and expiry, matched to a member by its verified phone."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from tests.api.identity_support import AUDIENCE, Answers, Provider, serving
from tests.api.support import Running, Scene, bearer, problem, running_api
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/auth/oidc": (
        "test_a_verified_phone_of_a_member_signs_them_in",
        "test_id_tokens_not_verified_are_refused_and_record_nothing",
        "test_a_verified_phone_of_nobody_is_refused",
    ),
}


@pytest.fixture
def provider() -> Iterator[Provider]:
    answers = Answers()
    with serving(answers) as base:
        yield Provider(answers, base)


@pytest.fixture
def running(database_url: str, clock: Clock, provider: Provider) -> Iterator[Running]:
    settings = {"oidc_issuer": provider.issuer, "oidc_audience": AUDIENCE}
    with running_api(database_url, clock, **settings) as api:
        yield api


def sign_in(client: TestClient, token: str) -> Any:
    return client.post("/v1/auth/oidc", json={"id_token": token})


def now(clock: Clock) -> float:
    return clock.now.timestamp()


def test_a_verified_phone_of_a_member_signs_them_in(
    client: TestClient, scene: Scene, provider: Provider, clock: Clock
) -> None:
    for kid, phone in (
        ("rsa-1", "13800138000"),
        ("ec-1", "+86 138 0013 8000"),
        ("rsa-1", "+8613800138000"),
    ):
        token = provider.token(provider.claims(phone, now(clock)), kid)
        answer = sign_in(client, token)
        assert answer.status_code == 200, (kid, phone, answer.text)
        session = answer.json()
        assert session["member_id"] == scene.member
        mine = bearer(session["access_token"])
        assert client.get("/v1/me/points", headers=mine).json()["member_id"] == (
            scene.member
        )


def test_a_key_the_provider_publishes_later_is_fetched_when_a_token_names_it(
    running: Running, scene: Scene, provider: Provider, clock: Clock
) -> None:
    client = running.client
    running.system.identity_provider.refetch_cooldown = 0
    claims = provider.claims("13800138000", now(clock))
    assert sign_in(client, provider.token(claims)).is_success
    keys_asked = len([a for a in provider.answers.asked if a.endswith("/keys")])
    assert sign_in(client, provider.token(claims)).is_success
    assert len([a for a in provider.answers.asked if a.endswith("/keys")]) == keys_asked
    provider.keys["rsa-2"] = rsa.generate_private_key(
        public_exponent=65537, key_size=2048
    )
    provider.publish()
    assert sign_in(client, provider.token(claims, "rsa-2")).is_success


def test_a_token_naming_an_unknown_key_does_not_fetch_the_keys_again_at_once(
    client: TestClient, scene: Scene, provider: Provider, clock: Clock
) -> None:
    claims = provider.claims("13800138000", now(clock))
    assert sign_in(client, provider.token(claims)).is_success
    provider.keys["rsa-2"] = rsa.generate_private_key(
        public_exponent=65537, key_size=2048
    )
    provider.publish()
    fetched = len([a for a in provider.answers.asked if a.endswith("/keys")])
    for _ in range(5):
        problem(
            sign_in(client, provider.token(claims, "rsa-2")), 401, "invalid_id_token"
        )
    assert len([a for a in provider.answers.asked if a.endswith("/keys")]) == fetched


def hs256_with(key: bytes, claims: dict[str, Any], kid: str) -> str:
    """A token signed with HMAC under ``key``: as an attacker would sign with
    the provider's public key taken for a shared secret."""

    def part(value: dict[str, Any]) -> bytes:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=")

    signed = part({"alg": "HS256", "typ": "JWT", "kid": kid}) + b"." + part(claims)
    mac = hmac.new(key, signed, hashlib.sha256).digest()
    return (signed + b"." + base64.urlsafe_b64encode(mac).rstrip(b"=")).decode()


def forgeries(provider: Provider, clock: Clock) -> dict[str, str]:
    good = provider.claims("13800138000", now(clock))
    public = (
        provider.keys["rsa-1"]
        .public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        "unsigned": jwt.encode(good, None, algorithm="none", headers={"kid": "rsa-1"}),
        "HS256 with the public key": hs256_with(public, good, "rsa-1"),
        "another key": jwt.encode(
            good, other_key, algorithm="RS256", headers={"kid": "rsa-1"}
        ),
        "unknown key": jwt.encode(
            good, other_key, algorithm="RS256", headers={"kid": "rsa-9"}
        ),
        "another issuer": provider.token(good | {"iss": "https://elsewhere"}),
        "another audience": provider.token(good | {"aud": "another-app"}),
        "expired": provider.token(good | {"exp": int(now(clock)) - 60}),
        "phone not verified": provider.token(good | {"phone_number_verified": False}),
        "no phone": provider.token(
            {k: v for k, v in good.items() if k != "phone_number"}
        ),
        "not a token": "not.a.token",
    }


FORGERIES = (
    "unsigned",
    "HS256 with the public key",
    "another key",
    "unknown key",
    "another issuer",
    "another audience",
    "expired",
    "phone not verified",
    "no phone",
    "not a token",
)


def test_id_tokens_not_verified_are_refused_and_record_nothing(
    running: Running, scene: Scene, provider: Provider, clock: Clock
) -> None:
    before = running.position()
    made = forgeries(provider, clock)
    assert sorted(made) == sorted(FORGERIES)
    for forgery, token in made.items():
        refused = sign_in(running.client, token)
        assert refused.status_code == 401, forgery
        problem(refused, 401, "invalid_id_token")
    assert running.position() == before


def test_a_verified_phone_of_nobody_is_refused(
    client: TestClient, scene: Scene, provider: Provider, clock: Clock
) -> None:
    token = provider.token(provider.claims("13700137000", now(clock)))
    problem(sign_in(client, token), 401, "no_member")


def test_a_provider_whose_keys_cannot_be_fetched_is_unavailable(
    database_url: str, clock: Clock
) -> None:
    settings = {
        "oidc_issuer": "http://127.0.0.1:9/realms/x",
        "oidc_audience": AUDIENCE,
    }
    with running_api(database_url, clock, **settings) as api:
        refused = sign_in(api.client, "a.b.c")
        problem(refused, 503, "identity_provider_unavailable")
    with running_api(database_url, clock) as api:
        problem(sign_in(api.client, "a.b.c"), 503, "identity_provider_unavailable")

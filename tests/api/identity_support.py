"""Stand-ins for the services a district's deployment signs in through: a
WeChat ``jscode2session`` and an OpenID Connect provider publishing its keys,
each an HTTP server on a free local port."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

ISSUER_PATH = "/realms/district"
AUDIENCE = "vpoints-console"


class Answers:
    """What a stand-in answers: a JSON body by path (and, for WeChat, by login
    code), or a delay first."""

    def __init__(self) -> None:
        self.bodies: dict[str, Any] = {}
        self.status = 200
        self.delay = 0.0
        self.asked: list[str] = []


@contextmanager
def serving(answers: Answers) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            answers.asked.append(self.path)
            if answers.delay:
                time.sleep(answers.delay)
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            body = answers.bodies.get(
                query.get("js_code", url.path), {"errcode": 40029}
            )
            data = json.dumps(body).encode()
            try:
                self.send_response(answers.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                return

        def log_message(self, *_: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class Provider:
    """An identity provider: its keys (RSA and EC), the key set it publishes,
    and ID tokens signed with them."""

    def __init__(self, answers: Answers, base: str) -> None:
        self.answers = answers
        self.issuer = base + ISSUER_PATH
        self.keys: dict[str, Any] = {
            "rsa-1": rsa.generate_private_key(public_exponent=65537, key_size=2048),
            "ec-1": ec.generate_private_key(ec.SECP256R1()),
        }
        self.publish()
        answers.bodies[ISSUER_PATH + "/.well-known/openid-configuration"] = {
            "issuer": self.issuer,
            "jwks_uri": base + ISSUER_PATH + "/keys",
        }

    def publish(self) -> None:
        keys = []
        for kid, key in self.keys.items():
            algorithm = (
                jwt.algorithms.RSAAlgorithm
                if kid.startswith("rsa")
                else (jwt.algorithms.ECAlgorithm)
            )
            jwk = json.loads(algorithm.to_jwk(key.public_key()))
            keys.append(jwk | {"kid": kid, "use": "sig"})
        self.answers.bodies[ISSUER_PATH + "/keys"] = {"keys": keys}

    def claims(self, phone: str, now: float, **extra: Any) -> dict[str, Any]:
        return {
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": "person-1",
            "iat": int(now),
            "exp": int(now) + 300,
            "phone_number": phone,
            "phone_number_verified": True,
        } | extra

    def token(self, claims: dict[str, Any], kid: str = "rsa-1") -> str:
        algorithm = "RS256" if kid.startswith("rsa") else "ES256"
        return jwt.encode(
            claims, self.keys[kid], algorithm=algorithm, headers={"kid": kid}
        )

"""Access tokens are checked by their signature, issuer, audience and expiry
alone; forged ones are refused. What the event log keeps of a sign-in names
no phone and no code; the SMS webhook is sent the code."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import jwt
import pytest
from fastapi.testclient import TestClient

from api.system import System
from tests.api.sign_in_support import MEMBER_PHONE, Inbox, ask_code, signed_in
from tests.api.support import ADMIN, Scene, bearer, build_scene, problem, running_api
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)


@pytest.fixture
def inbox(system: System) -> Inbox:
    return Inbox(system)


def claims_of(token: str) -> dict[str, Any]:
    found: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return found


FORGERIES = {
    "unsigned": lambda c, key: jwt.encode(c, None, algorithm="none"),
    "another key": lambda c, key: jwt.encode(c, b"x" * 32, algorithm="HS256"),
    "HS512": lambda c, key: jwt.encode(c, key, algorithm="HS512"),
    "another issuer": lambda c, key: jwt.encode(c | {"iss": "x"}, key),
    "another audience": lambda c, key: jwt.encode(c | {"aud": "x"}, key),
    "expired": lambda c, key: jwt.encode(c | {"exp": c["iat"] - 1}, key),
    "no session": lambda c, key: jwt.encode(
        {k: v for k, v in c.items() if k != "sid"}, key
    ),
    "admin": lambda c, key: jwt.encode(c | {"role": "admin"}, key),
    "bad member": lambda c, key: jwt.encode(c | {"sub": "nobody"}, key),
}


def test_forged_access_tokens_are_refused(
    client: TestClient, scene: Scene, inbox: Inbox, system: System
) -> None:
    session = signed_in(client, inbox, MEMBER_PHONE)
    claims = claims_of(session["access_token"])
    for forgery, forge in FORGERIES.items():
        forged = forge(claims, system.sessions.signing)
        refused = client.get("/v1/me/points", headers=bearer(forged))
        assert refused.status_code == 401, forgery
        problem(refused, 401, "unauthorized")
    mine = bearer(session["access_token"])
    assert client.get("/v1/me/points", headers=mine).is_success


def test_a_tampered_access_token_is_refused(
    client: TestClient, scene: Scene, inbox: Inbox
) -> None:
    token = signed_in(client, inbox, MEMBER_PHONE)["access_token"]
    header, payload, signature = token.split(".")
    claims = claims_of(token) | {"sub": scene.other_member}
    forged_payload = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    for forged in (
        f"{header}.{forged_payload}.{signature}",
        f"{header}.{payload}.{signature[:-2]}",
    ):
        problem(
            client.get("/v1/me/points", headers=bearer(forged)), 401, "unauthorized"
        )


def test_the_event_log_holds_no_phone_and_no_code_of_a_sign_in(
    client: TestClient, scene: Scene, inbox: Inbox, system: System
) -> None:
    start = system.app.position()
    ask_code(client, MEMBER_PHONE)
    code = inbox.code_for(MEMBER_PHONE)
    body = {"phone": MEMBER_PHONE, "code": code}
    assert client.post("/v1/auth/sms-sign-in", json=body).status_code == 200
    found = system.app.recorder.select_notifications(start=start + 1, limit=100)
    kinds = {n.topic.split(":")[1].split(".")[0] for n in found}
    assert kinds == {"SignInCodes", "AddressQuota", "Session"}
    for notification in found:
        event = system.app.mapper.to_domain_event(notification)
        for name, value in vars(event).items():
            if isinstance(value, str) and name != "originator_topic":
                assert MEMBER_PHONE not in value, name
                assert code not in value, name


class Gateway(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Gateway.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        return


@pytest.fixture
def gateway() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    Gateway.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sms"
    server.shutdown()


def test_the_sms_webhook_is_sent_the_code_and_it_signs_in(
    database_url: str, clock: Clock, gateway: str
) -> None:
    with running_api(database_url, clock, sms_webhook_url=gateway) as api:
        build_scene(api)
        api.system.wait_for(api.system.app.position())
        assert ask_code(api.client, MEMBER_PHONE).status_code == 202
        assert api.system.sms.wait_sent(10)
        (sent,) = Gateway.received
        assert (sent["phone"], sent["purpose"]) == (MEMBER_PHONE, "sign_in")
        assert sent["expires_at"] == "2026-03-01T01:05:00+00:00"
        body = {"phone": MEMBER_PHONE, "code": sent["code"]}
        answer = api.client.post("/v1/auth/sms-sign-in", json=body)
        assert answer.status_code == 200, answer.text
        token = bearer(answer.json()["access_token"])
        assert api.client.get("/v1/me/points", headers=token).is_success
        problem(api.client.get("/v1/organisers", headers=token), 403, "forbidden")
        assert api.client.get("/v1/organisers", headers=ADMIN).is_success

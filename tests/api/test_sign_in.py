"""Members sign in with their phone and a one-time code: the code's life, its
limits, and a session that reads only what its member may read
(API.md 1.2, "Sign-in and sessions")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from api.system import System
from tests.api.sign_in_support import (
    MEMBER_PHONE,
    NOBODY_PHONE,
    OTHER_PHONE,
    Inbox,
    ask_code,
    signed_in,
    wrong,
)
from tests.api.support import ADMIN, Running, Scene, bearer, problem
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/auth/sms-code": (
        "test_asking_for_a_phone_of_nobody_answers_alike_and_sends_nothing",
        "test_codes_asked_too_often_are_refused_with_retry_after",
        "test_one_client_address_may_ask_for_twenty_codes_an_hour",
    ),
    "POST /v1/auth/sms-sign-in": (
        "test_a_member_signs_in_with_the_code_sent_to_their_phone_and_reads_their_points",
        "test_a_wrong_code_is_refused_and_the_fifth_voids_the_code",
        "test_a_code_expires_after_five_minutes",
        "test_the_code_of_a_deregistered_member_does_not_sign_in",
    ),
    "POST /v1/auth/refresh": (
        "test_a_session_refreshes_once_and_a_spent_refresh_token_ends_the_family",
        "test_an_access_token_expires_after_fifteen_minutes",
    ),
    "POST /v1/auth/sign-out": (
        "test_signing_out_ends_the_session",
        "test_a_member_signs_out_only_their_own_session",
    ),
}


@pytest.fixture
def inbox(system: System) -> Inbox:
    return Inbox(system)


def sign_in(client: TestClient, phone: str, code: str, **extra: str) -> object:
    return client.post(
        "/v1/auth/sms-sign-in", json={"phone": phone, "code": code, **extra}
    )


def test_a_member_signs_in_with_the_code_sent_to_their_phone_and_reads_their_points(
    client: TestClient, scene: Scene, inbox: Inbox
) -> None:
    asked = ask_code(client, MEMBER_PHONE)
    assert asked.status_code == 202
    assert asked.json() == {"retry_after": 60}
    (sent,) = inbox.delivered()
    assert (sent.phone, sent.purpose) == (MEMBER_PHONE, "sign_in")
    assert len(sent.code) == 6
    assert sent.code.isdigit()

    answer = sign_in(client, MEMBER_PHONE, sent.code)
    assert answer.status_code == 200, answer.text
    session = answer.json()
    assert session["token_type"] == "Bearer"
    assert session["role"] == "member"
    assert session["member_id"] == scene.member
    assert 0 < session["expires_in"] <= 900
    mine = bearer(session["access_token"])
    points = client.get("/v1/me/points", headers=mine)
    assert points.status_code == 200, points.text
    assert points.json()["member_id"] == scene.member
    token = client.get("/v1/me/token", headers=mine).json()
    assert (token["role"], token["member_id"]) == ("member", scene.member)
    other = client.get(f"/v1/members/{scene.other_member}/points", headers=mine)
    problem(other, 403, "forbidden")
    assert client.get(f"/v1/members/{scene.member}/points", headers=mine).is_success


def test_asking_for_a_phone_of_nobody_answers_alike_and_sends_nothing(
    client: TestClient, scene: Scene, inbox: Inbox
) -> None:
    nobody = ask_code(client, NOBODY_PHONE)
    somebody = ask_code(client, OTHER_PHONE)
    assert (nobody.status_code, nobody.json()) == (202, {"retry_after": 60})
    assert (somebody.status_code, somebody.json()) == (202, nobody.json())
    assert [sent.phone for sent in inbox.delivered()] == [OTHER_PHONE]
    for code in ("000000", "123456"):
        problem(sign_in(client, NOBODY_PHONE, code), 401, "invalid_code")


def test_a_wrong_code_is_refused_and_the_fifth_voids_the_code(
    client: TestClient, scene: Scene, inbox: Inbox
) -> None:
    ask_code(client, MEMBER_PHONE)
    code = inbox.code_for(MEMBER_PHONE)
    for _ in range(5):
        problem(sign_in(client, MEMBER_PHONE, wrong(code)), 401, "invalid_code")
    problem(sign_in(client, MEMBER_PHONE, code), 401, "invalid_code")


def test_four_wrong_codes_leave_the_right_one_usable_once(
    client: TestClient, scene: Scene, inbox: Inbox
) -> None:
    ask_code(client, MEMBER_PHONE)
    code = inbox.code_for(MEMBER_PHONE)
    for _ in range(4):
        problem(sign_in(client, MEMBER_PHONE, wrong(code)), 401, "invalid_code")
    assert sign_in(client, MEMBER_PHONE, code).status_code == 200
    problem(sign_in(client, MEMBER_PHONE, code), 401, "invalid_code")


def test_a_code_expires_after_five_minutes(
    client: TestClient, scene: Scene, inbox: Inbox, clock: Clock
) -> None:
    ask_code(client, MEMBER_PHONE)
    code = inbox.code_for(MEMBER_PHONE)
    clock.now += timedelta(seconds=300)
    problem(sign_in(client, MEMBER_PHONE, code), 401, "invalid_code")


def test_codes_asked_too_often_are_refused_with_retry_after(
    client: TestClient, scene: Scene, inbox: Inbox, clock: Clock
) -> None:
    assert ask_code(client, MEMBER_PHONE).status_code == 202
    again = ask_code(client, MEMBER_PHONE)
    problem(again, 429, "too_many_requests")
    assert again.headers["Retry-After"] == "60"
    clock.now += timedelta(seconds=45)
    assert ask_code(client, MEMBER_PHONE).headers["Retry-After"] == "15"
    for _ in range(4):
        clock.now += timedelta(seconds=61)
        assert ask_code(client, MEMBER_PHONE).status_code == 202
    clock.now += timedelta(seconds=61)
    sixth = ask_code(client, MEMBER_PHONE)
    problem(sixth, 429, "too_many_requests")
    # The first of the hour's five was sent 45 + 61 × 5 = 350 seconds ago.
    assert sixth.headers["Retry-After"] == str(3600 - 350)
    assert len(inbox.delivered()) == 5


def test_one_client_address_may_ask_for_twenty_codes_an_hour(
    client: TestClient, scene: Scene, inbox: Inbox, clock: Clock
) -> None:
    for n in range(20):
        assert ask_code(client, f"1370000{n:04d}").status_code == 202
    refused = ask_code(client, "13799999999")
    problem(refused, 429, "too_many_requests")
    assert refused.headers["Retry-After"] == "3600"
    clock.now += timedelta(hours=1)
    assert ask_code(client, "13799999999").status_code == 202


def test_the_code_of_a_deregistered_member_does_not_sign_in(
    running: Running, scene: Scene, inbox: Inbox
) -> None:
    client = running.client
    scene.write(
        "POST",
        f"/v1/members/{scene.other_member}/deregister",
        {"reason": "搬离本社区"},
    )
    running.system.wait_for(scene.position)
    ask_code(client, OTHER_PHONE)
    assert inbox.delivered() == []
    problem(sign_in(client, OTHER_PHONE, "000000"), 401, "invalid_code")


def test_a_session_refreshes_once_and_a_spent_refresh_token_ends_the_family(
    client: TestClient, scene: Scene, inbox: Inbox
) -> None:
    first = signed_in(client, inbox, MEMBER_PHONE)
    renewed = client.post(
        "/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert renewed.status_code == 200, renewed.text
    second = renewed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["member_id"] == scene.member
    assert client.get(
        "/v1/me/points", headers=bearer(second["access_token"])
    ).is_success

    stolen = client.post(
        "/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    problem(stolen, 401, "refresh_reused")
    later = client.post(
        "/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    problem(later, 401, "session_ended")
    for session in (first, second):
        refused = client.get("/v1/me/points", headers=bearer(session["access_token"]))
        problem(refused, 401, "unauthorized")


def test_signing_out_ends_the_session(
    client: TestClient, scene: Scene, inbox: Inbox
) -> None:
    session = signed_in(client, inbox, MEMBER_PHONE)
    mine = bearer(session["access_token"])
    body = {"refresh_token": session["refresh_token"]}
    out = client.post("/v1/auth/sign-out", json=body, headers=mine)
    assert out.status_code == 204, out.text
    problem(client.get("/v1/me/points", headers=mine), 401, "unauthorized")
    problem(client.post("/v1/auth/refresh", json=body), 401, "session_ended")


def test_a_member_signs_out_only_their_own_session(
    client: TestClient, scene: Scene, inbox: Inbox, clock: Clock
) -> None:
    mine = signed_in(client, inbox, MEMBER_PHONE)
    theirs = signed_in(client, inbox, OTHER_PHONE)
    body = {"refresh_token": theirs["refresh_token"]}
    out = client.post(
        "/v1/auth/sign-out", json=body, headers=bearer(mine["access_token"])
    )
    problem(out, 403, "forbidden")
    assert client.post("/v1/auth/refresh", json=body).status_code == 200


def test_an_access_token_expires_after_fifteen_minutes(
    client: TestClient, scene: Scene, inbox: Inbox, clock: Clock
) -> None:
    session = signed_in(client, inbox, MEMBER_PHONE)
    mine = bearer(session["access_token"])
    clock.now += timedelta(seconds=899)
    assert client.get("/v1/me/points", headers=mine).is_success
    clock.now += timedelta(seconds=1)
    problem(client.get("/v1/me/points", headers=mine), 401, "unauthorized")
    renewed = client.post(
        "/v1/auth/refresh", json={"refresh_token": session["refresh_token"]}
    )
    assert renewed.status_code == 200


def test_tokens_that_are_not_sessions_are_refused(
    client: TestClient, scene: Scene
) -> None:
    for token in ("garbage", "not.a.jwt", "a.b.c.d", "vp_" + "x" * 40):
        refused = client.get("/v1/me/points", headers=bearer(token))
        problem(refused, 401, "unauthorized")


def test_bad_sign_in_bodies_are_refused_and_change_nothing(
    running: Running, scene: Scene
) -> None:
    client = running.client
    before = running.position()
    for body in (
        {},
        {"phone": "abc"},
        {"phone": "1"},
        {"phone": MEMBER_PHONE, "extra": 1},
        {"phone": MEMBER_PHONE, "purpose": "spam"},
    ):
        problem(client.post("/v1/auth/sms-code", json=body), 422, "validation_error")
    for body in (
        {"phone": MEMBER_PHONE},
        {"phone": MEMBER_PHONE, "code": "123456", "as": "admin"},
        {"phone": MEMBER_PHONE, "code": ""},
    ):
        answer = client.post("/v1/auth/sms-sign-in", json=body)
        problem(answer, 422, "validation_error")
    for token in ("", "x" * 300):
        answer = client.post("/v1/auth/refresh", json={"refresh_token": token})
        problem(answer, 422, "validation_error")
    for token in ("nonsense", "0" * 32 + ".secret", "zz.zz"):
        answer = client.post("/v1/auth/refresh", json={"refresh_token": token})
        problem(answer, 401, "invalid_refresh_token")
    unauthenticated = client.post("/v1/auth/sign-out", json={"refresh_token": "x.y"})
    problem(unauthenticated, 401, "unauthorized")
    assert running.position() == before
    assert client.get("/v1/auth/sms-code", headers=ADMIN).status_code == 405


def test_refused_sign_ins_leave_no_session_behind(
    running: Running, scene: Scene, inbox: Inbox, clock: Clock
) -> None:
    client = running.client
    start = running.position()
    ask_code(client, MEMBER_PHONE)
    code = inbox.code_for(MEMBER_PHONE)
    attempts = [
        {"phone": NOBODY_PHONE, "code": "000000"},
        {"phone": MEMBER_PHONE, "code": wrong(code), "as": "organizer"},
        {"phone": MEMBER_PHONE, "code": code, "as": "organizer"},
        *[{"phone": MEMBER_PHONE, "code": wrong(code)}] * 5,
        {"phone": MEMBER_PHONE, "code": code},
    ]
    for body in attempts:
        answer = client.post("/v1/auth/sms-sign-in", json=body)
        problem(answer, 401, "invalid_code")
    for token in ("x.y", f"{scene.member.replace('-', '')}.made-up"):
        answer = client.post("/v1/auth/refresh", json={"refresh_token": token})
        problem(answer, 401, "invalid_refresh_token")
    found = running.system.app.recorder.select_notifications(start + 1, 1000)
    assert "domain.sign_in:Session.Started" not in {n.topic for n in found}

"""Signing in from the WeChat mini-program: the login code exchanged with a
stand-in for WeChat's jscode2session, an openid bound once with a phone code,
then signing in with the login code alone; WeChat's refusals and its being
down answered, never with a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.system import System
from tests.api.identity_support import Answers, serving
from tests.api.sign_in_support import MEMBER_PHONE, OTHER_PHONE, Inbox, ask_code
from tests.api.support import Running, Scene, bearer, build_scene, problem, running_api
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "POST /v1/auth/wechat": (
        "test_an_unbound_openid_is_bound_once_with_a_phone_code_then_signs_in_alone",
        "test_wechat_refusing_or_failing_is_answered_and_records_nothing",
        "test_wechat_down_or_slow_is_answered_503",
    ),
    "POST /v1/auth/wechat/bind": (
        "test_an_openid_bound_to_one_member_is_not_bound_to_another",
        "test_a_binding_needs_the_phone_code_and_a_current_binding_token",
    ),
}


@pytest.fixture
def wechat() -> Iterator[tuple[Answers, str]]:
    answers = Answers()
    with serving(answers) as base:
        yield answers, base


@pytest.fixture
def running(
    database_url: str, clock: Clock, wechat: tuple[Answers, str]
) -> Iterator[Running]:
    settings = {
        "wechat_app_id": "wx0123456789abcdef",
        "wechat_app_secret": "app-secret",
        "wechat_api_base": wechat[1],
    }
    with running_api(database_url, clock, **settings) as api:
        yield api


@pytest.fixture
def inbox(system: System) -> Inbox:
    return Inbox(system)


def login(answers: Answers, code: str, openid: str) -> str:
    answers.bodies[code] = {"openid": openid, "session_key": "k"}
    return code


def wechat_sign_in(client: TestClient, code: str) -> Any:
    return client.post("/v1/auth/wechat", json={"code": code})


def bind(client: TestClient, inbox: Inbox, binding: str, phone: str) -> Any:
    ask_code(client, phone, purpose="bind")
    code = inbox.code_for(phone)
    body = {"binding_token": binding, "phone": phone, "code": code}
    return client.post("/v1/auth/wechat/bind", json=body)


def test_an_unbound_openid_is_bound_once_with_a_phone_code_then_signs_in_alone(
    client: TestClient, scene: Scene, inbox: Inbox, wechat: tuple[Answers, str]
) -> None:
    answers, _ = wechat
    first = wechat_sign_in(client, login(answers, "code-1", "openid-wang"))
    refusal = problem(first, 401, "wechat_not_bound")
    bound = bind(client, inbox, refusal["binding_token"], MEMBER_PHONE)
    assert bound.status_code == 200, bound.text
    assert bound.json()["member_id"] == scene.member
    again = wechat_sign_in(client, login(answers, "code-2", "openid-wang"))
    assert again.status_code == 200, again.text
    session = again.json()
    assert session["member_id"] == scene.member
    assert session["role"] == "member"
    points = client.get("/v1/me/points", headers=bearer(session["access_token"]))
    assert points.json()["member_id"] == scene.member
    asked = [a for a in answers.asked if a.startswith("/sns/jscode2session")]
    assert len(asked) == 2
    assert "appid=wx0123456789abcdef" in asked[0]
    assert "grant_type=authorization_code" in asked[0]


def test_an_openid_bound_to_one_member_is_not_bound_to_another(
    client: TestClient, scene: Scene, inbox: Inbox, wechat: tuple[Answers, str]
) -> None:
    answers, _ = wechat
    refusal = problem(
        wechat_sign_in(client, login(answers, "c1", "openid-x")),
        401,
        "wechat_not_bound",
    )
    assert bind(client, inbox, refusal["binding_token"], MEMBER_PHONE).is_success
    problem(
        bind(client, inbox, refusal["binding_token"], OTHER_PHONE),
        409,
        "wechat_already_bound",
    )
    session = wechat_sign_in(client, login(answers, "c2", "openid-x")).json()
    assert session["member_id"] == scene.member


def test_a_member_binding_another_openid_leaves_the_first_unbound(
    client: TestClient,
    scene: Scene,
    inbox: Inbox,
    wechat: tuple[Answers, str],
    clock: Clock,
) -> None:
    answers, _ = wechat
    old = problem(
        wechat_sign_in(client, login(answers, "a", "old")), 401, "wechat_not_bound"
    )
    assert bind(client, inbox, old["binding_token"], MEMBER_PHONE).is_success
    new = problem(
        wechat_sign_in(client, login(answers, "b", "new")), 401, "wechat_not_bound"
    )
    clock.now = clock.now.replace(minute=clock.now.minute + 2)
    assert bind(client, inbox, new["binding_token"], MEMBER_PHONE).is_success
    problem(wechat_sign_in(client, login(answers, "c", "old")), 401, "wechat_not_bound")
    assert wechat_sign_in(client, login(answers, "d", "new")).is_success


def test_a_binding_needs_the_phone_code_and_a_current_binding_token(
    running: Running,
    scene: Scene,
    inbox: Inbox,
    wechat: tuple[Answers, str],
    clock: Clock,
) -> None:
    client, answers = running.client, wechat[0]
    refusal = problem(
        wechat_sign_in(client, login(answers, "c", "openid-y")), 401, "wechat_not_bound"
    )
    token = refusal["binding_token"]
    ask_code(client, MEMBER_PHONE, purpose="bind")
    code = inbox.code_for(MEMBER_PHONE)
    wrong = {"binding_token": token, "phone": MEMBER_PHONE, "code": "x" + code[1:]}
    problem(client.post("/v1/auth/wechat/bind", json=wrong), 401, "invalid_code")
    forged = {"binding_token": token[:-3] + "abc", "phone": MEMBER_PHONE, "code": code}
    problem(
        client.post("/v1/auth/wechat/bind", json=forged), 401, "invalid_binding_token"
    )
    clock.now = clock.now.replace(minute=clock.now.minute + 11)
    late = {"binding_token": token, "phone": MEMBER_PHONE, "code": code}
    problem(
        client.post("/v1/auth/wechat/bind", json=late), 401, "invalid_binding_token"
    )
    problem(
        wechat_sign_in(client, login(answers, "c2", "openid-y")),
        401,
        "wechat_not_bound",
    )


WECHAT_REFUSALS = [
    ({"errcode": 40029, "errmsg": "invalid code"}, "wechat_code_invalid"),
    ({"errcode": 40163, "errmsg": "code been used"}, "wechat_code_invalid"),
    ({"errcode": -1, "errmsg": "system error"}, "wechat_unavailable"),
    ({"errcode": 40013, "errmsg": "invalid appid"}, "wechat_unavailable"),
    (
        {"errcode": 45011, "errmsg": "api minute-quota reach limit"},
        "wechat_unavailable",
    ),
    ({"session_key": "no openid"}, "wechat_unavailable"),
    (["not", "an", "object"], "wechat_unavailable"),
]


def test_wechat_refusing_or_failing_is_answered_and_records_nothing(
    running: Running, scene: Scene, wechat: tuple[Answers, str]
) -> None:
    before = running.position()
    for answer, code in WECHAT_REFUSALS:
        wechat[0].bodies["the-code"] = answer
        refused = wechat_sign_in(running.client, "the-code")
        status = 401 if code == "wechat_code_invalid" else 503
        assert refused.status_code == status, (answer, refused.text)
        problem(refused, status, code)
        if status == 503:
            assert refused.headers["Retry-After"]
    assert running.position() == before


def test_wechat_down_or_slow_is_answered_503(
    running: Running, scene: Scene, wechat: tuple[Answers, str]
) -> None:
    answers = wechat[0]
    answers.bodies["slow"] = {"openid": "o"}
    running.system.wechat.timeout = 0.2
    answers.delay = 0.6
    problem(wechat_sign_in(running.client, "slow"), 503, "wechat_unavailable")
    answers.delay = 0
    answers.status = 502
    problem(wechat_sign_in(running.client, "slow"), 503, "wechat_unavailable")
    running.system.wechat.base = "http://127.0.0.1:9"
    problem(wechat_sign_in(running.client, "slow"), 503, "wechat_unavailable")


def test_without_a_mini_program_set_up_wechat_sign_in_is_unavailable(
    database_url: str, clock: Clock
) -> None:
    with running_api(database_url, clock) as api:
        build_scene(api)
        problem(wechat_sign_in(api.client, "any"), 503, "wechat_unavailable")

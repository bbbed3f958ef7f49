"""Signing in with a phone and a code, sessions, and organiser accounts,
through the API; codes are read from an inbox in place of the SMS gateway."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from tests.api.identity_support import Answers, serving
from tests.api.sign_in_support import Inbox, wrong
from tests.api.support import bearer
from tests.bdd.drivers import ADMIN, Journey
from tests.bdd.vocabulary import given_or_when, step

ROLES = {"志愿者": "member", "组织者": "organizer"}


@dataclass
class SignIns:
    """The scenario's inbox, the last code each phone was sent, and each
    holder's sessions, the latest last."""

    inbox: Inbox
    codes: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def collect(self) -> list[str]:
        """The phones sent a code since the last look."""
        sent = self.inbox.delivered()
        self.codes |= {s.phone: s.code for s in sent}
        return [s.phone for s in sent]

    def code_for(self, phone: str) -> str:
        self.collect()
        assert phone in self.codes, f"手机 {phone} 没有收到验证码"
        return self.codes[phone]


@pytest.fixture
def sign_ins(journey: Journey) -> SignIns:
    """Taken by every step that asks for a code, so that the inbox is in
    place before the first code is sent."""
    return SignIns(Inbox(journey.api.system))


def ask(journey: Journey, phone: str) -> Any:
    journey.check_no_unexpected_refusal()
    response = journey.api.client.post("/v1/auth/sms-code", json={"phone": phone})
    journey.response, journey.unchecked = response, not response.is_success
    return response


def sign_in_with(
    journey: Journey, sign_ins: SignIns, name: str, phone: str, code: str, role: str
) -> None:
    body = {"phone": phone, "code": code, "as": role}
    response = journey.api.client.post("/v1/auth/sms-sign-in", json=body)
    journey.response, journey.unchecked = response, not response.is_success
    if response.is_success:
        session = response.json()
        sign_ins.sessions.setdefault(name, []).append(session)
        journey.tokens[name] = session["access_token"]


@given_or_when("手机 {phone} 请求验证码")
def asks_for_code(journey: Journey, sign_ins: SignIns, phone: str) -> None:
    ask(journey, phone)


@given(step("手机 {phone} 已请求验证码"))
def asked_for_code(journey: Journey, sign_ins: SignIns, phone: str) -> None:
    assert ask(journey, phone).status_code == 202


@then(step("回答是 {seconds:d} 秒后才能再次请求"))
def answered_retry_after(journey: Journey, seconds: int) -> None:
    response = journey.refusal()
    assert response.status_code == 202, response.text
    assert response.json() == {"retry_after": seconds}


@then(step("手机 {phone} 收到一条六位验证码"))
def code_received(sign_ins: SignIns, phone: str) -> None:
    code = sign_ins.code_for(phone)
    assert len(code) == 6
    assert code.isdigit()


@then(step("手机 {phone} 没有收到验证码"))
def no_code_received(sign_ins: SignIns, phone: str) -> None:
    assert phone not in sign_ins.collect()


@when(step('"{name}"用手机 {phone} 和收到的验证码登录'))
def signs_in(journey: Journey, sign_ins: SignIns, name: str, phone: str) -> None:
    sign_in_with(journey, sign_ins, name, phone, sign_ins.code_for(phone), "member")


@when(step("有人用手机 {phone} 和验证码 {code} 登录"))
def someone_signs_in(
    journey: Journey, sign_ins: SignIns, phone: str, code: str
) -> None:
    sign_in_with(journey, sign_ins, "某人", phone, code, "member")


@when(step("有人用手机 {phone} 输错验证码 {times:d} 次"))
def wrong_codes(journey: Journey, sign_ins: SignIns, phone: str, times: int) -> None:
    code = wrong(sign_ins.code_for(phone))
    for _ in range(times):
        sign_in_with(journey, sign_ins, "某人", phone, code, "member")
        assert journey.refusal().status_code == 401


SIGNED_IN = parsers.re(
    r'"(?P<name>[^"]+)"(?P<done>已?)用手机 (?P<phone>\d+) ?(?P<how>以组织者身份)?登录$'
)


@given(SIGNED_IN)
@when(SIGNED_IN)
def signed_in(
    journey: Journey,
    sign_ins: SignIns,
    name: str,
    done: str,
    phone: str,
    how: str | None,
) -> None:
    assert ask(journey, phone).status_code == 202
    journey.refusal()
    sign_ins.collect()
    role = "organizer" if how else "member"
    code = sign_ins.codes.get(phone, "000000")
    sign_in_with(journey, sign_ins, name, phone, code, role)
    if done:
        assert journey.answer()


@then(step('"{name}"以{role}身份登录，访问令牌 {seconds:d} 秒内有效'))
def signed_in_as(journey: Journey, name: str, role: str, seconds: int) -> None:
    session = journey.answer()
    assert session["role"] == ROLES[role]
    assert session["expires_in"] == seconds
    me = journey.read(name, "/v1/me/token").json()
    assert me["role"] == ROLES[role]


@when(step('"{name}"刷新登录'))
def refreshes(journey: Journey, sign_ins: SignIns, name: str) -> None:
    body = {"refresh_token": sign_ins.sessions[name][-1]["refresh_token"]}
    response = journey.api.client.post("/v1/auth/refresh", json=body)
    assert response.status_code == 200, response.text
    sign_ins.sessions[name].append(response.json())
    journey.tokens[name] = response.json()["access_token"]


@when(step('有人再次使用"{name}"上一次的刷新令牌'))
def reuses_refresh(journey: Journey, sign_ins: SignIns, name: str) -> None:
    body = {"refresh_token": sign_ins.sessions[name][-2]["refresh_token"]}
    response = journey.api.client.post("/v1/auth/refresh", json=body)
    journey.response, journey.unchecked = response, not response.is_success


@when(step('"{name}"退出登录'))
def signs_out(journey: Journey, sign_ins: SignIns, name: str) -> None:
    body = {"refresh_token": sign_ins.sessions[name][-1]["refresh_token"]}
    response = journey.api.client.post(
        "/v1/auth/sign-out", json=body, headers=bearer(journey.tokens[name])
    )
    assert response.status_code == 204, response.text


@given(step('管理员已登记组织者"{name}"，手机号 {phone}，负责"{community}"'))
def organiser_registered(
    journey: Journey, name: str, phone: str, community: str
) -> None:
    body = {"name": name, "phone": phone, "community_ids": [journey.id(community)]}
    journey.ids[name] = journey.made(ADMIN, "POST", "/v1/organisers", body)["id"]


@when(step('管理员移除组织者"{name}"'))
def organiser_removed(journey: Journey, name: str) -> None:
    response = journey.api.client.delete(
        f"/v1/organisers/{journey.id(name)}", headers=bearer(journey.tokens[ADMIN])
    )
    assert response.status_code == 204, response.text
    journey.position = int(response.headers["X-Event-Position"])


@when(step('"{name}"查看"{community}"的志愿者名单'))
def reads_members(journey: Journey, name: str, community: str) -> None:
    journey.read(name, f"/v1/communities/{journey.id(community)}/members")


@dataclass
class MiniProgram:
    """A stand-in for WeChat, and the openid of the user whose phone has the
    mini-program open; each login makes a new code for that openid."""

    answers: Answers
    openid: str = ""
    logins: int = 0

    def login(self) -> str:
        self.logins += 1
        code = f"login-{self.logins}"
        self.answers.bodies[code] = {"openid": self.openid, "session_key": "k"}
        return code


@pytest.fixture
def mini_program(journey: Journey) -> Iterator[MiniProgram]:
    answers = Answers()
    with serving(answers) as base:
        wechat = journey.api.system.wechat
        wechat.app_id, wechat.secret, wechat.base = "wx-district", "secret", base
        yield MiniProgram(answers)


def wechat_login(journey: Journey, mini_program: MiniProgram) -> Any:
    body = {"code": mini_program.login()}
    response = journey.api.client.post("/v1/auth/wechat", json=body)
    journey.response, journey.unchecked = response, not response.is_success
    return response


@given(step('微信用户"{openid}"打开了小程序'))
def opens_mini_program(mini_program: MiniProgram, openid: str) -> None:
    mini_program.openid = openid


@given("微信服务暂时不可用")
def wechat_down(mini_program: MiniProgram) -> None:
    mini_program.answers.status = 503


@when("小程序用微信登录")
def signs_in_with_wechat(journey: Journey, mini_program: MiniProgram) -> None:
    wechat_login(journey, mini_program)


@when(step('"{name}"用手机 {phone} 收到的验证码绑定这个微信'))
def binds_wechat(
    journey: Journey,
    sign_ins: SignIns,
    mini_program: MiniProgram,
    name: str,
    phone: str,
) -> None:
    binding = journey.refusal().json()["binding_token"]
    body = {"phone": phone, "purpose": "bind"}
    assert journey.api.client.post("/v1/auth/sms-code", json=body).status_code == 202
    code = sign_ins.code_for(phone)
    bind = {"binding_token": binding, "phone": phone, "code": code}
    response = journey.api.client.post("/v1/auth/wechat/bind", json=bind)
    journey.response, journey.unchecked = response, not response.is_success
    if response.is_success:
        journey.tokens[name] = response.json()["access_token"]


@when(step('"{name}"再次打开小程序，用微信登录'))
def signs_in_again_with_wechat(
    journey: Journey, mini_program: MiniProgram, name: str
) -> None:
    response = wechat_login(journey, mini_program)
    if response.is_success:
        journey.tokens[name] = response.json()["access_token"]

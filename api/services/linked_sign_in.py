"""Signing in through WeChat and through the district's identity provider:
the proof checked with them, then the session begun like any other."""

from __future__ import annotations

from typing import Any

from api.oidc import InvalidIdToken
from api.services.sign_in import member_of
from api.system import System
from api.wechat import WeChatCodeInvalid
from domain.sign_in import SignInRefused
from projections.phones import normalised_phone

CHINA = "86"


def wechat(system: System, code: str) -> dict[str, Any]:
    """A session for the member the mini-program user's openid is bound to;
    refused with a binding token when it is bound to nobody yet."""
    keys = system.sessions
    try:
        openid = system.wechat.openid(code)
    except WeChatCodeInvalid as refused:
        raise SignInRefused("wechat_code_invalid", str(refused)) from None
    openid_key = keys.openid_key(openid)
    secret, digest = keys.new_refresh()
    try:
        started = system.app.wechat_sign_in(openid_key, digest)
    except SignInRefused as refused:
        if refused.code != "wechat_not_bound":
            raise
        binding = {"binding_token": keys.binding_token(openid_key)}
        raise SignInRefused(refused.code, refused.message, binding) from None
    return keys.answer(started, secret)


def bind_wechat(
    system: System, binding_token: str, phone: str, code: str
) -> dict[str, Any]:
    """Binds the openid of the binding token to the member of the phone,
    with the code sent to it, and begins their session."""
    keys = system.sessions
    openid_key = keys.bound_openid(binding_token)
    if openid_key is None:
        raise SignInRefused("invalid_binding_token", "绑定令牌无效或已过期，请重新登录")
    phone_key = keys.phone_key(phone)
    secret, digest = keys.new_refresh()
    started = system.app.bind_wechat(
        openid_key,
        phone_key,
        keys.code_digest(phone_key, code.strip()),
        member_of(system, phone),
        digest,
    )
    return keys.answer(started, secret)


def oidc(system: System, id_token: str) -> dict[str, Any]:
    """A session for the member whose phone the identity provider verified."""
    keys = system.sessions
    try:
        phone = system.identity_provider.verified_phone(id_token, system.app.clock())
    except InvalidIdToken as refused:
        raise SignInRefused("invalid_id_token", str(refused)) from None
    secret, digest = keys.new_refresh()
    started = system.app.oidc_sign_in(member_of(system, local_phone(phone)), digest)
    return keys.answer(started, secret)


def local_phone(phone: str) -> str:
    """A phone as members' records hold it: +86 13800138000 is 13800138000."""
    digits = normalised_phone(phone)
    if len(digits) == 13 and digits.startswith(CHINA):
        return digits[len(CHINA) :]
    return digits

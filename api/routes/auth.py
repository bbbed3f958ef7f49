"""Signing in without an administrator: a code sent to the phone, the session
it begins, refreshing and signing out (API.md 1.2, "Sign-in and sessions")."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from api import deps, permissions
from api.schemas.sessions import (
    CodeAsked,
    OidcSignIn,
    RefreshAsk,
    SessionAnswer,
    SmsCodeAsk,
    SmsSignIn,
    WeChatBind,
    WeChatSignIn,
)
from api.services import linked_sign_in, sign_in

router = APIRouter(prefix="/v1/auth", tags=["auth"])

UNKNOWN_ADDRESS = "unknown"


def client_address(request: Request) -> str:
    return request.client.host if request.client else UNKNOWN_ADDRESS


@router.post(
    "/sms-code",
    status_code=202,
    response_model=CodeAsked,
    operation_id="ask_sms_code",
)
async def ask_sms_code(
    body: SmsCodeAsk, request: Request, response: Response, system: deps.SystemDep
) -> dict[str, Any]:
    """Send a six-digit sign-in code to a phone (valid 5 minutes, used once).
    The answer is the same whether or not the phone is anyone's."""
    sent = await system.in_worker(
        sign_in.ask_for_code, system, body.phone, body.purpose, client_address(request)
    )
    response.headers["X-Event-Position"] = str(sent.position)
    return {"retry_after": sent.retry_after}


@router.post("/sms-sign-in", response_model=SessionAnswer, operation_id="sms_sign_in")
async def sms_sign_in(body: SmsSignIn, system: deps.SystemDep) -> dict[str, Any]:
    """Sign in with the phone and the code sent to it, as a member (default)
    or as an organiser: a session of a 15-minute access token and a 30-day
    refresh token."""
    return await system.in_worker(
        sign_in.sign_in, system, body.phone, body.code, body.role
    )


@router.post("/wechat", response_model=SessionAnswer, operation_id="wechat_sign_in")
async def wechat_sign_in(body: WeChatSignIn, system: deps.SystemDep) -> dict[str, Any]:
    """Sign in from the WeChat mini-program with the code of ``wx.login``. An
    openid bound to no member is answered 401 ``wechat_not_bound`` with a
    ``binding_token`` (10 minutes) for ``/v1/auth/wechat/bind``."""
    return await system.in_worker(linked_sign_in.wechat, system, body.code)


@router.post("/wechat/bind", response_model=SessionAnswer, operation_id="bind_wechat")
async def bind_wechat(body: WeChatBind, system: deps.SystemDep) -> dict[str, Any]:
    """Bind the mini-program's openid to the member of the phone, with a code
    sent to it (``/v1/auth/sms-code``), and sign them in; from then on the
    mini-program signs in with its code alone."""
    return await system.in_worker(
        linked_sign_in.bind_wechat, system, body.binding_token, body.phone, body.code
    )


@router.post("/oidc", response_model=SessionAnswer, operation_id="oidc_sign_in")
async def oidc_sign_in(body: OidcSignIn, system: deps.SystemDep) -> dict[str, Any]:
    """Sign in with an ID token of the district's identity provider, for the
    member whose phone it verified."""
    return await system.in_worker(linked_sign_in.oidc, system, body.id_token)


@router.post("/refresh", response_model=SessionAnswer, operation_id="refresh_session")
async def refresh_session(body: RefreshAsk, system: deps.SystemDep) -> dict[str, Any]:
    """Spend a refresh token for a new session; a refresh token presented a
    second time ends every session of its sign-in."""
    return await system.in_worker(sign_in.refresh, system, body.refresh_token)


@router.post("/sign-out", status_code=204, operation_id="sign_out")
async def sign_out(
    body: RefreshAsk, principal: deps.PrincipalDep, system: deps.SystemDep
) -> Response:
    """End the session: its refresh token is spent and its access tokens are
    refused."""
    session_id, _ = sign_in.session_of(body.refresh_token)
    permissions.can_end_session(principal, session_id)
    await system.in_worker(sign_in.sign_out, system, principal.id, body.refresh_token)
    return Response(status_code=204)

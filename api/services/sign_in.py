"""Signing in with a phone and a code, and continuing and ending sessions:
what the auth routes do, in a worker thread (each is a command)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from uuid import UUID

from api.sessions import BadRefreshToken, SessionKeys
from api.system import System
from domain.results import SessionEnded, SignInCodeSent
from domain.sign_in import SignInRefused

log = logging.getLogger("vpoints.sign_in")
INVALID_REFRESH = "刷新令牌无效"


def ask_for_code(
    system: System, phone: str, purpose: str, address: str
) -> SignInCodeSent:
    """Records a code for the phone and sends it, if the phone is someone's,
    after the answer; the answer is the same either way."""
    keys = system.sessions
    phone_key = keys.phone_key(phone)
    code = keys.new_code()
    sent: SignInCodeSent = system.app.send_sign_in_code(
        phone_key, keys.address_key(address), keys.code_digest(phone_key, code), purpose
    )
    system.sms.later(
        _deliver_if_known, system, phone, phone_key, code, purpose, sent.expires_at
    )
    return sent


def _deliver_if_known(
    system: System,
    phone: str,
    phone_key: str,
    code: str,
    purpose: str,
    expires_at: datetime,
) -> None:
    try:
        if member_of(system, phone) is None and not system.app.organises(phone_key):
            return
        system.sms.deliver(phone, code, purpose, expires_at)
    except Exception:
        log.exception("a sign-in code could not be sent")


def member_of(system: System, phone: str) -> UUID | None:
    """The registered member whose phone this is, as the read models know
    once they reflect the log as it stands (a member registered a moment ago
    signs in too)."""
    system.projector.wait_for(system.app.position(), system.settings.read_wait_seconds)
    found = system.command_queries.members_by_phone([phone]).get(phone)
    if found is None:
        return None
    member = system.command_queries.members_by_id([found]).get(found)
    if member is None or member["left_on"] or member["merged_into"]:
        return None
    return UUID(found)


def sign_in(system: System, phone: str, code: str, role: str) -> dict[str, Any]:
    keys = system.sessions
    phone_key = keys.phone_key(phone)
    member_id = member_of(system, phone) if role == "member" else None
    secret, digest = keys.new_refresh()
    started = system.app.sign_in_with_code(
        phone_key, keys.code_digest(phone_key, code.strip()), role, member_id, digest
    )
    return keys.answer(started, secret)


def session_of(refresh_token: str) -> tuple[UUID, str]:
    """The session a refresh token continues, and the digest of its secret."""
    try:
        return SessionKeys.read_refresh(refresh_token)
    except BadRefreshToken:
        raise SignInRefused("invalid_refresh_token", INVALID_REFRESH) from None


def refresh(system: System, refresh_token: str) -> dict[str, Any]:
    keys = system.sessions
    session_id, presented = session_of(refresh_token)
    secret, digest = keys.new_refresh()
    started = system.app.refresh_session(session_id, presented, digest)
    return keys.answer(started, secret)


def sign_out(system: System, actor: str, refresh_token: str) -> SessionEnded:
    """Ends the session family of the refresh token (whose holder the route
    checked)."""
    session_id, presented = session_of(refresh_token)
    session = system.app.session_of(session_id)
    if session is None or (
        presented != session.refresh_digest and presented not in session.spent
    ):
        raise SignInRefused("invalid_refresh_token", INVALID_REFRESH)
    return system.app.end_session(session_id, "signed_out", actor)

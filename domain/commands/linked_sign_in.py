"""Signing in through another's proof of who someone is: a WeChat
mini-program's openid bound once to a member with a phone code, or an ID token
of the district's identity provider whose verified phone is a member's. The
caller verifies the proof and turns it into a keyed digest or a member."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.commands.saving import in_turn
from domain.commands.sign_in import SignInCommands, codes_id
from domain.errors import RuleConflict
from domain.member import Member
from domain.results import SessionStarted
from domain.sign_in import Session, SignInRefused
from domain.wechat import WeChatBinding

NOT_BOUND = "该微信尚未绑定志愿者，请用手机号和验证码绑定"


class WeChatAlreadyBound(RuleConflict):
    """Raised when an openid bound to one member is bound to another."""

    code = "wechat_already_bound"


class LinkedSignInCommands(SignInCommands):
    def _member_session(self, member: Member, method: str, refresh: str) -> Session:
        return Session(
            role="member",
            member_id=member.id,
            organiser_id=None,
            method=method,
            refresh_digest=refresh,
        )

    def _registered(self, member_id: UUID | None) -> Member | None:
        member = None if member_id is None else self._found(Member, member_id)
        if member is not None and self._is_registered(member):
            return member
        return None

    def wechat_sign_in(self, openid_key: str, refresh_digest: str) -> SessionStarted:
        """Begins a session for the member the openid is bound to; refused
        (``wechat_not_bound``) when it is bound to no registered member."""
        binding = self._found(WeChatBinding, WeChatBinding.create_id(openid_key))
        bound = None if binding is None else binding.member_id
        member = self._registered(bound)
        if member is None:
            raise SignInRefused("wechat_not_bound", NOT_BOUND)
        session = self._member_session(member, "wechat", refresh_digest)
        return self._saved(self._started(session), session, request=None)

    @in_turn(codes_id)
    def bind_wechat(
        self,
        openid_key: str,
        phone_key: str,
        code_digest: str,
        member_id: UUID | None,
        refresh_digest: str,
    ) -> SessionStarted:
        """Binds the openid to the member whose phone the code was sent to
        (found by the caller) and begins their session. An openid bound to
        another member is refused; a member's earlier openid is unbound."""
        codes = self._standing_code(phone_key, code_digest)
        member = self._registered(member_id)
        if member is None:
            raise SignInRefused("invalid_code", "验证码错误、已过期或已失效")
        session = self._member_session(member, "wechat", refresh_digest)
        changed: list[Aggregate] = [codes, member, session]
        binding = self._found(WeChatBinding, WeChatBinding.create_id(openid_key))
        if binding is None:
            changed.append(WeChatBinding(openid_key=openid_key, member_id=member.id))
        elif binding.member_id is None:
            binding.rebind(member.id)
            changed.append(binding)
        elif binding.member_id != member.id:
            raise WeChatAlreadyBound("该微信已绑定另一位志愿者")
        previous = member.bind_wechat(openid_key, str(session.id))
        if previous is not None:
            earlier = self._found(WeChatBinding, WeChatBinding.create_id(previous))
            if earlier is not None:
                earlier.unbind()
                changed.append(earlier)
        codes.use()
        return self._saved(self._started(session), *changed, request=None)

    def oidc_sign_in(
        self, member_id: UUID | None, refresh_digest: str
    ) -> SessionStarted:
        """Begins a session for the member whose phone the identity provider
        verified (found by the caller); ``no_member`` without one."""
        member = self._registered(member_id)
        if member is None:
            raise SignInRefused("no_member", "没有与该手机号对应的在册志愿者")
        session = self._member_session(member, "oidc", refresh_digest)
        return self._saved(self._started(session), session, request=None)

"""Signing in: codes sent to phones, sessions begun, continued and ended, and
the organiser accounts that sign in like members. Every key and digest is
made by the caller (api/sessions.py); these commands only compare them."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from uuid import UUID

from domain.access import AccessToken
from domain.commands.saving import ApplicationBase, in_turn
from domain.community import Community
from domain.errors import InvalidCommand, NotFound, RuleConflict
from domain.idempotency import RequestKey
from domain.inputs import check_text
from domain.member import Member
from domain.organiser import Organiser
from domain.results import (
    OrganiserRegistered,
    OrganiserRemoved,
    SessionEnded,
    SessionStarted,
    SignInCodeSent,
)
from domain.sign_in import (
    PHONE_GAP,
    PURPOSES,
    AddressQuota,
    Session,
    SignInCodes,
    SignInRefused,
)
from domain.team import Team
from domain.tree import District, Street

SESSION_ROLES = ("member", "organizer")
INVALID_CODE = "验证码错误、已过期或已失效"


def codes_id(_: object, arguments: dict[str, object]) -> UUID:
    return SignInCodes.create_id(str(arguments["phone_key"]))


def _organiser_id(_: object, arguments: dict[str, object]) -> UUID:
    return Organiser.create_id(str(arguments["phone_key"]))


class SignInCommands(ApplicationBase):
    @in_turn(codes_id)
    def send_sign_in_code(
        self, phone_key: str, address_key: str, code_digest: str, purpose: str
    ) -> SignInCodeSent:
        """Records a code for a phone, within the phone's and the client
        address's limits (TooManyRequests beyond them)."""
        if purpose not in PURPOSES:
            raise InvalidCommand(
                f"purpose 必须是 {', '.join(PURPOSES)} 之一", "purpose"
            )
        now = self.clock()
        codes = self._found(SignInCodes, SignInCodes.create_id(phone_key))
        if codes is None:
            codes = SignInCodes(phone_key=phone_key)
        quota = self._found(AddressQuota, AddressQuota.create_id(address_key))
        if quota is None:
            quota = AddressQuota(address_key=address_key)
        codes.send(code_digest, purpose, address_key, now)
        quota.ask(now)
        assert codes.expires_at is not None
        sent = SignInCodeSent(codes.expires_at, int(PHONE_GAP.total_seconds()))
        return self._saved(sent, codes, quota, request=None)

    @in_turn(codes_id)
    def sign_in_with_code(
        self,
        phone_key: str,
        code_digest: str,
        role: str,
        member_id: UUID | None,
        refresh_digest: str,
        method: str = "sms",
    ) -> SessionStarted:
        """Begins a session for the member (whose id the caller found by the
        phone) or the organiser account of the phone, with the code sent to
        it. A wrong code counts against the code; the fifth voids it."""
        codes = self._standing_code(phone_key, code_digest)
        session = self._session_for(phone_key, role, member_id, method, refresh_digest)
        codes.use()
        return self._saved(self._started(session), codes, session, request=None)

    def _standing_code(self, phone_key: str, code_digest: str) -> SignInCodes:
        """The phone's codes, when the code tried is the one that stands.
        A wrong one is recorded against it (SignInRefused)."""
        codes = self._found(SignInCodes, SignInCodes.create_id(phone_key))
        if codes is None or not codes.standing(self.clock()):
            raise SignInRefused("invalid_code", INVALID_CODE)
        if not hmac.compare_digest(codes.code_digest or "", code_digest):
            codes.miss()
            self.save(codes)
            raise SignInRefused("invalid_code", INVALID_CODE)
        return codes

    def _session_for(
        self,
        phone_key: str,
        role: str,
        member_id: UUID | None,
        method: str,
        refresh_digest: str,
    ) -> Session:
        if role not in SESSION_ROLES:
            raise InvalidCommand(f"as 必须是 {', '.join(SESSION_ROLES)} 之一", "as")
        organiser_id, generation = None, 0
        if role == "member":
            member = None if member_id is None else self._found(Member, member_id)
            if member is None or not self._is_registered(member):
                raise SignInRefused("invalid_code", INVALID_CODE)
        else:
            organiser = self._found(Organiser, Organiser.create_id(phone_key))
            if organiser is None or organiser.removed:
                raise SignInRefused("invalid_code", INVALID_CODE)
            organiser_id, member_id = organiser.id, None
            generation = organiser.generation
        return Session(
            role=role,
            member_id=member_id,
            organiser_id=organiser_id,
            method=method,
            refresh_digest=refresh_digest,
            organiser_generation=generation,
        )

    @staticmethod
    def _is_registered(member: Member) -> bool:
        return member.left_on is None and member.merged_into is None

    def _started(self, session: Session) -> SessionStarted:
        places: tuple[list[UUID], ...] = ([], [], [], [])
        if session.organiser_id is not None:
            organiser = self._found(Organiser, session.organiser_id)
            assert organiser is not None
            places = (
                list(organiser.district_ids),
                list(organiser.street_ids),
                list(organiser.community_ids),
                list(organiser.team_ids),
            )
        return SessionStarted(
            session.id, session.role, session.member_id, session.organiser_id, *places
        )

    @in_turn("session_id")
    def refresh_session(
        self, session_id: UUID, presented: str, refresh_digest: str
    ) -> SessionStarted:
        """Spends a refresh token for the next. A spent one presented again
        ends the whole family (SignInRefused ``refresh_reused``); so does a
        member who has since left, or an organiser account since removed."""
        session = self._found(Session, session_id)
        if session is None:
            raise SignInRefused("invalid_refresh_token", "刷新令牌无效")
        session.check_open()
        if session.reused(presented):
            session.end("refresh_reused", "system")
            self.save(session)
            raise SignInRefused(
                "refresh_reused", "刷新令牌已被使用过，该登录已全部失效"
            )
        session.check_current(presented)
        if not self._subject_stands(session):
            session.end("account_closed", "system")
            self.save(session)
            raise SignInRefused("session_ended", "账号已注销或已停用，请重新登录")
        session.refresh(refresh_digest)
        return self._saved(self._started(session), session, request=None)

    def _subject_stands(self, session: Session) -> bool:
        if session.member_id is not None:
            member = self._found(Member, session.member_id)
            return member is not None and self._is_registered(member)
        if session.organiser_id is not None:
            organiser = self._found(Organiser, session.organiser_id)
            return (
                organiser is not None
                and not organiser.removed
                and organiser.generation == session.organiser_generation
            )
        return False

    @in_turn("session_id")
    def end_session(self, session_id: UUID, reason: str, actor: str) -> SessionEnded:
        session = self._found(Session, session_id)
        if session is None:
            raise SignInRefused("invalid_refresh_token", "刷新令牌无效")
        changed = session.end(reason, actor)
        return self._saved(SessionEnded(session.id, changed), session, request=None)

    def session_of(self, session_id: UUID) -> Session | None:
        return self._found(Session, session_id)

    def organises(self, phone_key: str) -> bool:
        """Whether the phone has an organiser account that is not removed."""
        organiser = self._found(Organiser, Organiser.create_id(phone_key))
        return organiser is not None and not organiser.removed

    @in_turn(_organiser_id)
    def register_organiser(
        self,
        name: str,
        phone_key: str,
        phone_masked: str,
        actor: str,
        district_ids: Sequence[UUID] = (),
        street_ids: Sequence[UUID] = (),
        community_ids: Sequence[UUID] = (),
        team_ids: Sequence[UUID] = (),
        *,
        request: RequestKey | None = None,
    ) -> OrganiserRegistered:
        name = check_text(name, "name")
        places = [*district_ids, *street_ids, *community_ids, *team_ids]
        AccessToken.check_scope("organizer", places, None)
        references = (
            (District, district_ids, "district_ids", "区县"),
            (Street, street_ids, "street_ids", "街道"),
            (Community, community_ids, "community_ids", "社区"),
            (Team, team_ids, "team_ids", "志愿服务队"),
        )
        for cls, ids, field, what in references:
            for place in ids:
                self._check_reference(cls, place, field, what)
        districts, streets, communities, teams = (
            sorted(set(ids), key=str) for _, ids, _, _ in references
        )
        scope = (districts, streets, communities, teams)
        found = self._found(Organiser, Organiser.create_id(phone_key))
        if found is not None:
            if not found.removed:
                raise OrganiserExists(f"手机号 {phone_masked} 已是组织者 {found.id}")
            found.renew(name, districts, streets, communities, teams, actor)
            organiser = found
        else:
            organiser = Organiser(
                name,
                phone_key,
                phone_masked,
                districts,
                streets,
                communities,
                teams,
                actor,
            )
        registered = OrganiserRegistered(
            organiser.id, organiser.name, organiser.phone_masked, *scope
        )
        return self._saved(registered, organiser, request=request)

    @in_turn("organiser_id")
    def remove_organiser(
        self, organiser_id: UUID, actor: str, *, request: RequestKey | None = None
    ) -> OrganiserRemoved:
        organiser = self._found(Organiser, organiser_id)
        if organiser is None:
            raise NotFound(f"组织者 {organiser_id} 不存在")
        changed = organiser.remove(actor)
        removed = OrganiserRemoved(organiser.id, changed)
        return self._saved(removed, organiser, request=request)


class OrganiserExists(RuleConflict):
    """Raised when a phone that has an organiser account is registered again."""

    code = "organiser_exists"

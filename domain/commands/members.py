"""Members: registration and their own double report (个人报到)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.checks import check_date, check_phone, optional_text
from domain.commands.base import ApplicationBase, retried
from domain.community import Community, Unit
from domain.errors import InvalidCommand
from domain.member import Member
from domain.results import DoubleReported, MemberRegistered
from domain.rules import check_text, local_date


class MemberCommands(ApplicationBase):
    @retried
    def register_member(
        self,
        name: str,
        community_id: UUID,
        party_member: bool,
        actor: str,
        unit_id: UUID | None = None,
        grid: str | None = None,
        phone: str | None = None,
        registered_on: date | None = None,
    ) -> MemberRegistered:
        self._check_reference(Community, community_id, "community_id", "社区")
        if unit_id is not None:
            self._check_reference(Unit, unit_id, "unit_id", "单位党组织")
        if not isinstance(party_member, bool):
            raise InvalidCommand("party_member 必须是 true 或 false", "party_member")
        member = Member(
            name=check_text(name, "name", max_length=100),
            community_id=community_id,
            party_member=party_member,
            unit_id=unit_id,
            grid=optional_text(grid, "grid"),
            phone=check_phone(phone),
            registered_on=check_date(registered_on or local_date(self.clock())),
            actor=actor,
        )
        registered = MemberRegistered(
            member.id,
            member.name,
            member.community_id,
            member.party_member,
            member.unit_id,
            member.grid,
            member.phone,
        )
        return self._saved(registered, member)

    @retried
    def double_report_member(
        self, member_id: UUID, community_id: UUID, reported_on: date, actor: str
    ) -> DoubleReported:
        member = self._load(Member, member_id, "志愿者")
        self._check_reference(Community, community_id, "community_id", "社区")
        on = check_date(reported_on)
        changed = member.report_to(community_id, on, actor)
        return self._saved(DoubleReported(member.id, community_id, on, changed), member)

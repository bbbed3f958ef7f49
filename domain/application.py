"""The application service: the domain's verbs, each get → command → save."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from domain.access import AccessToken, token_digest
from domain.activity_commands import ActivityCommands
from domain.community import Community, Unit
from domain.errors import InvalidCommand
from domain.member import Member
from domain.rules import check_text, local_date
from domain.service import (
    AttendanceWritten,
    Decision,
    Extra,
    RequestAlreadyAnswered,
    Scope,
    Written,
    check_date,
    check_phone,
    optional_text,
    utc_now,
)
from domain.team import Team

__all__ = [
    "AttendanceWritten",
    "Decision",
    "Extra",
    "RequestAlreadyAnswered",
    "Scope",
    "VolunteerPoints",
    "Written",
    "utc_now",
]


class VolunteerPoints(ActivityCommands):
    """Commands of the volunteer points system (志愿积分)."""

    name = "VolunteerPoints"

    # Communities and units.

    def register_community(
        self, name: str, street: str | None, actor: str, extra: Extra | None = None
    ) -> Written:
        def decide() -> Decision:
            community = Community(
                name=check_text(name, "name"),
                street=optional_text(street, "street"),
                actor=actor,
            )
            return Decision([community], community.id)

        return self._written(*self._run(decide, extra))

    def register_unit(
        self, name: str, actor: str, extra: Extra | None = None
    ) -> Written:
        def decide() -> Decision:
            unit = Unit(name=check_text(name, "name"), actor=actor)
            return Decision([unit], unit.id)

        return self._written(*self._run(decide, extra))

    def double_report_unit(
        self,
        unit_id: UUID,
        community_id: UUID,
        reported_on: date,
        actor: str,
        extra: Extra | None = None,
    ) -> Written:
        def decide() -> Decision:
            unit = self._load(Unit, unit_id, "单位党组织")
            self._check_reference(Community, community_id, "community_id", "社区")
            changed = unit.report_to(community_id, check_date(reported_on), actor)
            return Decision([unit], unit.id, changed)

        return self._written(*self._run(decide, extra))

    # Members.

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
        extra: Extra | None = None,
    ) -> Written:
        def decide() -> Decision:
            self._check_reference(Community, community_id, "community_id", "社区")
            if unit_id is not None:
                self._check_reference(Unit, unit_id, "unit_id", "单位党组织")
            if not isinstance(party_member, bool):
                raise InvalidCommand(
                    "party_member 必须是 true 或 false", "party_member"
                )
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
            return Decision([member], member.id)

        return self._written(*self._run(decide, extra))

    def double_report_member(
        self,
        member_id: UUID,
        community_id: UUID,
        reported_on: date,
        actor: str,
        extra: Extra | None = None,
    ) -> Written:
        def decide() -> Decision:
            member = self._load(Member, member_id, "志愿者")
            self._check_reference(Community, community_id, "community_id", "社区")
            changed = member.report_to(community_id, check_date(reported_on), actor)
            return Decision([member], member.id, changed)

        return self._written(*self._run(decide, extra))

    # Teams.

    def found_team(
        self, name: str, community_id: UUID, actor: str, extra: Extra | None = None
    ) -> Written:
        def decide() -> Decision:
            self._check_reference(Community, community_id, "community_id", "社区")
            team = Team(
                name=check_text(name, "name"), community_id=community_id, actor=actor
            )
            return Decision([team], team.id)

        return self._written(*self._run(decide, extra))

    def join_team(
        self, team_id: UUID, member_id: UUID, actor: str, extra: Extra | None = None
    ) -> Written:
        def decide() -> Decision:
            team = self._load(Team, team_id, "志愿服务队")
            self._check_reference(Member, member_id, "member_id", "志愿者")
            return Decision([team], team.id, team.join(member_id, actor))

        return self._written(*self._run(decide, extra))

    def leave_team(
        self, team_id: UUID, member_id: UUID, actor: str, extra: Extra | None = None
    ) -> Written:
        def decide() -> Decision:
            team = self._load(Team, team_id, "志愿服务队")
            team.leave(member_id, actor)
            return Decision([team], team.id)

        return self._written(*self._run(decide, extra))

    def dissolve_team(
        self, team_id: UUID, reason: str, actor: str, extra: Extra | None = None
    ) -> Written:
        def decide() -> Decision:
            team = self._load(Team, team_id, "志愿服务队")
            team.dissolve(check_text(reason, "reason", max_length=500), actor)
            return Decision([team], team.id)

        return self._written(*self._run(decide, extra))

    # Access tokens.

    def issue_token(
        self,
        secret: str,
        role: str,
        actor: str,
        community_ids: Sequence[UUID] = (),
        team_ids: Sequence[UUID] = (),
        member_id: UUID | None = None,
        label: str | None = None,
        extra: Extra | None = None,
    ) -> Written:
        def decide() -> Decision:
            AccessToken.check_scope(
                role, list(community_ids), list(team_ids), member_id
            )
            for community_id in community_ids:
                self._check_reference(Community, community_id, "community_ids", "社区")
            for team_id in team_ids:
                self._check_reference(Team, team_id, "team_ids", "志愿服务队")
            if member_id is not None:
                self._check_reference(Member, member_id, "member_id", "志愿者")
            token = AccessToken(
                digest=token_digest(secret),
                role=role,
                community_ids=sorted(set(community_ids), key=str),
                team_ids=sorted(set(team_ids), key=str),
                member_id=member_id,
                label=optional_text(label, "label"),
                actor=actor,
            )
            return Decision([token], token.id)

        return self._written(*self._run(decide, extra))

    def revoke_token(
        self, token_id: UUID, actor: str, extra: Extra | None = None
    ) -> Written:
        def decide() -> Decision:
            token = self._load(AccessToken, token_id, "令牌")
            return Decision([token], token.id, token.revoke(actor))

        return self._written(*self._run(decide, extra))

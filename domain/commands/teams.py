"""Volunteer service teams (志愿服务队) and their members."""

from __future__ import annotations

from uuid import UUID

from domain.checks import check_reason
from domain.commands.base import ApplicationBase, retried
from domain.community import Community
from domain.member import Member
from domain.results import TeamDissolved, TeamFounded, TeamMembershipChanged
from domain.rules import check_text
from domain.team import Team


class TeamCommands(ApplicationBase):
    @retried
    def found_team(self, name: str, community_id: UUID, actor: str) -> TeamFounded:
        self._check_reference(Community, community_id, "community_id", "社区")
        team = Team(
            name=check_text(name, "name"), community_id=community_id, actor=actor
        )
        return self._saved(TeamFounded(team.id, team.name, team.community_id), team)

    @retried
    def join_team(
        self, team_id: UUID, member_id: UUID, actor: str
    ) -> TeamMembershipChanged:
        team = self._load(Team, team_id, "志愿服务队")
        self._check_reference(Member, member_id, "member_id", "志愿者")
        changed = team.join(member_id, actor)
        return self._saved(
            TeamMembershipChanged(team.id, member_id, member=True, changed=changed),
            team,
        )

    @retried
    def leave_team(
        self, team_id: UUID, member_id: UUID, actor: str
    ) -> TeamMembershipChanged:
        team = self._load(Team, team_id, "志愿服务队")
        team.leave(member_id, actor)
        return self._saved(
            TeamMembershipChanged(team.id, member_id, member=False), team
        )

    @retried
    def dissolve_team(self, team_id: UUID, reason: str, actor: str) -> TeamDissolved:
        team = self._load(Team, team_id, "志愿服务队")
        team.dissolve(check_reason(reason), actor)
        return self._saved(TeamDissolved(team.id, team.name, team.community_id), team)

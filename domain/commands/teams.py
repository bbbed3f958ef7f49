"""Volunteer service teams (志愿服务队) and their members, on business dates."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.commands.saving import ApplicationBase, in_turn, retried
from domain.community import Community
from domain.dates import business_date
from domain.idempotency import RequestKey
from domain.inputs import check_reason, check_text
from domain.results import TeamDissolved, TeamFounded, TeamMembershipChanged
from domain.team import Team


class TeamCommands(ApplicationBase):
    @retried
    def found_team(
        self,
        name: str,
        community_id: UUID,
        actor: str,
        founded_on: date | None = None,
        *,
        request: RequestKey | None = None,
    ) -> TeamFounded:
        self._check_reference(Community, community_id, "community_id", "社区")
        team = Team(
            name=check_text(name, "name"),
            community_id=community_id,
            founded_on=business_date(founded_on, self.today(), "founded_on"),
            actor=actor,
        )
        founded = TeamFounded(team.id, team.name, team.community_id, team.founded_on)
        return self._saved(founded, team, request=request)

    @in_turn("team_id")
    def join_team(
        self,
        team_id: UUID,
        member_id: UUID,
        actor: str,
        joined_on: date | None = None,
        *,
        request: RequestKey | None = None,
    ) -> TeamMembershipChanged:
        team = self._load(Team, team_id, "志愿服务队")
        self._check_registered([member_id], "member_id")
        on = business_date(joined_on, self.today(), "joined_on")
        changed = team.join(member_id, on, actor)
        joined = TeamMembershipChanged(
            team.id, member_id, member=True, changed=changed, on=team.members[member_id]
        )
        return self._saved(joined, team, request=request)

    @in_turn("team_id")
    def leave_team(
        self,
        team_id: UUID,
        member_id: UUID,
        actor: str,
        left_on: date | None = None,
        *,
        request: RequestKey | None = None,
    ) -> TeamMembershipChanged:
        team = self._load(Team, team_id, "志愿服务队")
        on = business_date(left_on, self.today(), "left_on")
        team.leave(member_id, on, actor)
        left = TeamMembershipChanged(team.id, member_id, member=False, on=on)
        return self._saved(left, team, request=request)

    @in_turn("team_id")
    def dissolve_team(
        self,
        team_id: UUID,
        reason: str,
        actor: str,
        dissolved_on: date | None = None,
        *,
        request: RequestKey | None = None,
    ) -> TeamDissolved:
        team = self._load(Team, team_id, "志愿服务队")
        on = business_date(dissolved_on, self.today(), "dissolved_on")
        team.dissolve(check_reason(reason), on, actor)
        dissolved = TeamDissolved(team.id, team.name, team.community_id, on)
        return self._saved(dissolved, team, request=request)

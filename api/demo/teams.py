"""A district's teams (志愿服务队) and who is in them."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from api.demo.sampling import between, spread
from api.demo.state import DistrictState
from domain.community import Community
from domain.inputs import check_text
from domain.member import Member
from domain.team import Team

FIRST_FOUNDING = date(2018, 1, 1)


class TeamLoading(DistrictState):
    """Teams, their volunteers and former volunteers."""

    def load_teams(self) -> None:
        plan, rng = self.plan, self.rng
        kinds = plan.team_kinds.split()
        counts = spread(rng, plan.teams, [len(kinds) - 1] * len(self.communities), 1)
        new = set(rng.sample(range(plan.teams), plan.new_teams))
        spare: dict[UUID, str] = {}
        for community, count in zip(self.communities, counts, strict=True):
            names = rng.sample(kinds, count + 1)
            spare[community.id] = names[count]
            for kind in names[:count]:
                if len(self.teams) in new:
                    founded_on = between(
                        rng, self.year_start, self.year_start + timedelta(days=75)
                    )
                    founded_on = min(founded_on, self.today)
                else:
                    founded_on = between(rng, FIRST_FOUNDING, self.old_registration_end)
                self.teams.append(self.found(community, kind, founded_on))
        old = [
            m
            for m in self.members
            if m.left_on is None and m.registered_on < self.year_start
        ]
        volunteers = rng.sample(old, plan.volunteers)
        for member in volunteers:
            home = [t for t in self.teams if t.community_id == member.community_id]
            first = rng.choice(home)
            self.join(first, member)
            if rng.random() < plan.second_team_share:
                street_id = self.street_of[member.community_id]
                nearby = [
                    t
                    for t in self.teams
                    if t is not first and self.street_of[t.community_id] == street_id
                ]
                if nearby:
                    self.join(rng.choice(nearby), member)
        chosen = {m.id for m in volunteers}
        rest = [m for m in old if m.id not in chosen]
        former = rng.sample(rest, plan.former_volunteers + 6 * plan.dissolved_teams)
        old_teams = [t for t in self.teams if t.founded_on < self.year_start]
        for member in former[: plan.former_volunteers]:
            team = rng.choice(old_teams)
            joined_on = between(
                rng,
                max(team.founded_on, member.registered_on),
                date(self.today.year - 1, 9, 30),
            )
            self.join(team, member, joined_on, roster=False)
            left_on = between(rng, joined_on, self.last_year_end)
            team.leave(member.id, self.on(left_on, "left_on"), self.actor)
        places = rng.sample(self.communities, plan.dissolved_teams)
        for number, community in enumerate(places):
            founded_on = between(rng, FIRST_FOUNDING, date(2022, 12, 31))
            team = self.found(community, spare[community.id], founded_on)
            crew = former[plan.former_volunteers + 6 * number :][:6]
            for member in crew:
                joined_on = max(team.founded_on, member.registered_on)
                self.join(team, member, joined_on, roster=False)
            self.dissolving.append((team, crew))
        for team in self.teams:
            self.batch.add(team)
        for team, _ in self.dissolving:
            self.batch.add(team)

    def found(self, community: Community, kind: str, founded_on: date) -> Team:
        short = community.name.removesuffix("社区").removesuffix("村")
        team = Team(
            name=check_text(f"{short}{kind}志愿服务队", "name"),
            community_id=community.id,
            founded_on=self.on(founded_on, "founded_on"),
            actor=self.actor,
        )
        self.rosters[team.id] = {}
        return team

    def join(
        self,
        team: Team,
        member: Member,
        joined_on: date | None = None,
        roster: bool = True,
    ) -> None:
        """A member joins a team: one founded this year on its founding day,
        others in an earlier year."""
        member.check_is_registered()
        if joined_on is None:
            if team.founded_on >= self.year_start:
                joined_on = team.founded_on
            else:
                earliest = max(team.founded_on, member.registered_on)
                joined_on = between(self.rng, earliest, self.last_year_end)
        day = self.on(joined_on, "joined_on")
        if team.join(member.id, day, self.actor) and roster:
            self.rosters[team.id][member.id] = (member, day)

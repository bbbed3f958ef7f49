"""The district driver's commands of the organisation tree, units, members
and teams, each valid when given."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tests.projections.district_model import (
    ACTOR,
    COMMUNITIES,
    DISTRICTS,
    GRIDS,
    NAMES,
    PARTY_ORGANISATIONS,
    STREETS,
    TEAMS,
    UNITS,
    DistrictState,
    Member,
    Team,
)


class OrganisationCommands(DistrictState):
    """The commands of the organisation tree, units, members and teams that
    ``District`` chooses from."""

    # The organisation tree and units.

    def build_tree(self) -> None:
        districts = [self.app.register_district(n, ACTOR).id for n in DISTRICTS]
        for index, name in enumerate(STREETS):
            # The first district has two streets, the second one.
            district = districts[0] if index < 2 else districts[1]
            self.streets.append(self.app.register_street(name, district, ACTOR).id)
        for index, name in enumerate(COMMUNITIES):
            # The first is in a street, the second in none, the others either.
            places: list[UUID | None] = [None, *self.streets]
            if index == 0:
                street = self.choose.choice(self.streets)
            elif index == 1:
                street = None
            else:
                street = self.choose.choice(places)
            community = self.app.register_community(
                name,
                None if street is not None else "城关街道",
                ACTOR,
                street_id=street,
                party_organisation=self.choose.choice(PARTY_ORGANISATIONS),
            ).id
            self.communities.append(community)
            self.grids[community] = [
                self.app.register_grid(
                    GRIDS[g], community, self.choose.choice([True, False]), ACTOR
                ).id
                for g in range(self.choose.integer(0, len(GRIDS)))
            ]

    def register_unit(self) -> None:
        name = UNITS[len(self.units)]
        self.units.append(self.app.register_unit(name, ACTOR).id)

    def double_report_unit(self) -> None:
        unit = self.choose.choice(self.units)
        community = self.choose.choice(self.communities)
        key = (unit, community)
        on = self.on_or_after(self.unit_reports_ended.get(key))
        written = self.app.double_report_unit(unit, community, on, ACTOR)
        self.unit_reports.setdefault(key, written.reported_on)

    def end_unit_double_report(self) -> None:
        key = self.choose.choice(list(self.unit_reports))
        on = self.on_or_after(self.unit_reports.pop(key))
        written = self.app.end_unit_double_report(*key, ACTOR, ended_on=on)
        self.unit_reports_ended[key] = written.ended_on

    # Members.

    def register_member(self) -> None:
        community = self.choose.choice(self.communities)
        grid: dict[str, Any] = self.choose.choice(
            [{}, {"grid": self.choose.choice(GRIDS)}]
            + [{"grid_id": g} for g in self.grids[community]] * 2
        )
        written = self.app.register_member(
            self.choose.choice(NAMES),
            community,
            party_member=self.choose.choice([True, False]),
            actor=ACTOR,
            unit_id=self.choose.choice([None, *self.units]),
            phone=self.choose.choice([None, "13800138000"]),
            registered_on=self.on_or_after(),
            **grid,
        )
        assert written.registered_on is not None
        self.members[written.id] = Member(community, written.registered_on)

    def change_member(self) -> None:
        member_id = self.choose.choice(self.registered())
        member = self.members[member_id]
        change: dict[str, Any] = self.choose.choice(
            [
                {"name": self.choose.choice(NAMES)},
                {"party_member": self.choose.choice([True, False])},
                {"unit_id": self.choose.choice([None, *self.units])},
                {"grid_id": self.choose.choice([None, *self.grids[member.community]])},
                {"grid_id": self.choose.choice([None, *self.grids[member.community]])},
            ]
        )
        self.app.change_member(member_id, ACTOR, **change)

    def move_member(self) -> None:
        member_id = self.choose.choice(self.registered())
        member = self.members[member_id]
        elsewhere = [c for c in self.communities if c != member.community]
        community = self.choose.choice(elsewhere)
        written = self.app.move_member(
            member_id, community, ACTOR, moved_on=self.on_or_after(member.since)
        )
        member.community, member.since = community, written.moved_on

    def deregister_member(self) -> None:
        member_id = self.choose.choice(self.registered())
        member = self.members[member_id]
        earliest = max(member.since, member.reported_on or member.since)
        self.app.deregister_member(
            member_id, "搬离本区", ACTOR, left_on=self.on_or_after(earliest)
        )
        member.left = True
        member.reported_to = member.reported_on = None

    def double_report_member(self) -> None:
        member_id = self.choose.choice(self.registered())
        member = self.members[member_id]
        community = self.choose.choice(self.communities)
        # One report at a time: never back-dated before the last one began or ended.
        earliest = member.reported_on or member.report_ended
        written = self.app.double_report_member(
            member_id, community, self.on_or_after(earliest), ACTOR
        )
        if written.changed:
            member.reported_to, member.reported_on = community, written.reported_on

    def end_member_double_report(self) -> None:
        member_id = self.choose.choice(self.reported_members())
        member = self.members[member_id]
        written = self.app.end_member_double_report(
            member_id, ACTOR, ended_on=self.on_or_after(member.reported_on)
        )
        member.reported_to = member.reported_on = None
        member.report_ended = written.ended_on

    # Teams.

    def found_team(self) -> None:
        community = self.choose.choice(self.communities)
        name = TEAMS[len(self.teams)]
        written = self.app.found_team(
            name, community, ACTOR, founded_on=self.on_or_after()
        )
        assert written.founded_on is not None
        self.teams[written.id] = Team(written.founded_on)

    def join_team(self) -> None:
        team_id = self.choose.choice(self.standing_teams())
        team = self.teams[team_id]
        member = self.choose.choice(self.registered())
        earliest = max(team.founded_on, team.last_left.get(member, team.founded_on))
        written = self.app.join_team(
            team_id, member, ACTOR, joined_on=self.on_or_after(earliest)
        )
        assert written.on is not None
        team.members.setdefault(member, written.on)

    def leave_team(self) -> None:
        team_id = self.choose.choice(self.teams_with_members())
        team = self.teams[team_id]
        member = self.choose.choice(self.among(team.members))
        joined_on = team.members.pop(member)
        written = self.app.leave_team(
            team_id, member, ACTOR, left_on=self.on_or_after(joined_on)
        )
        assert written.on is not None
        team.last_left[member] = written.on

    def dissolve_team(self) -> None:
        team_id = self.choose.choice(self.standing_teams())
        team = self.teams[team_id]
        self.app.dissolve_team(
            team_id,
            "队员已并入其他服务队",
            ACTOR,
            dissolved_on=self.on_or_after(team.founded_on),
        )
        team.dissolved = True

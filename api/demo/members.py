"""A district's members (志愿者): registration, double reports (个人报到),
moves, departures."""

from __future__ import annotations

from datetime import date, timedelta

from api.demo.sampling import between
from api.demo.state import DistrictState
from api.demo.vocabulary import GIVEN, MOVED_AWAY, SURNAMES
from domain.inputs import check_phone, check_reason, check_text
from domain.member import Member

FIRST_REGISTRATION = date(2018, 3, 1)


class MemberLoading(DistrictState):
    """Members, each in the role the plan gives them."""

    def person_name(self) -> str:
        rng = self.rng
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        return rng.choice(SURNAMES) + given

    def load_members(self) -> None:
        plan, rng = self.plan, self.rng
        others = (
            plan.members
            - plan.members_reported
            - plan.ended_reports
            - plan.party_not_reporting
        )
        roles = (
            ["reported"] * plan.members_reported
            + ["ended"] * plan.ended_reports
            + ["party"] * plan.party_not_reporting
            + ["other"] * others
            + ["gone"] * plan.deregistered
        )
        rng.shuffle(roles)
        newcomers = [
            i for i, r in enumerate(roles) if r in ("reported", "party", "other")
        ]
        this_year = set(rng.sample(newcomers, plan.registered_this_year))
        for i, role in enumerate(roles):
            member = self.register(role, i in this_year)
            self.members.append(member)
            if role in ("reported", "ended", "gone"):
                self.report(member, role)
        old_reported = [
            m
            for i, m in enumerate(self.members)
            if roles[i] == "reported" and i not in this_year
        ]
        for member in rng.sample(old_reported, plan.movers):
            self.move(member)
        for member in rng.sample(old_reported, plan.phone_changes):
            member.change({"phone": check_phone(self.phones.next())}, self.actor)
        self.batch.add(*self.members)

    def register(self, role: str, this_year: bool) -> Member:
        rng = self.rng
        community = rng.choice(self.communities)
        grid = None
        if self.grids[community.id] and rng.random() < 0.92:
            grid = rng.choice(self.grids[community.id])
        if this_year:
            registered_on = between(rng, self.year_start, self.today)
        else:
            registered_on = between(rng, FIRST_REGISTRATION, self.old_registration_end)
        in_service = role in ("reported", "ended", "gone")
        return Member(
            name=check_text(self.person_name(), "name", max_length=100),
            community_id=community.id,
            party_member=role != "other",
            unit_id=rng.choice(self.units).id if in_service else None,
            grid_id=None if grid is None else grid.id,
            grid=None if grid is None else grid.name,
            phone=check_phone(self.phones.next()),
            registered_on=self.on(registered_on, "registered_on"),
            actor=self.actor,
        )

    def report(self, member: Member, role: str) -> None:
        rng = self.rng
        latest = self.today if role == "reported" else self.last_year_end
        reported_on = min(
            member.registered_on + timedelta(days=rng.randint(0, 120)), latest
        )
        member.report_to(
            member.community_id, self.on(reported_on, "reported_on"), self.actor
        )
        if role == "ended":
            ended_on = between(rng, reported_on, self.last_year_end)
            member.end_report(self.on(ended_on, "ended_on"), self.actor)
        elif role == "gone":
            left_on = between(rng, reported_on, self.last_year_end)
            member.deregister(
                check_reason(rng.choice(MOVED_AWAY)),
                self.on(left_on, "left_on"),
                self.actor,
            )

    def move(self, member: Member) -> None:
        """Moves a member to another community of the same street (or
        district); half of them report to the new community the same day."""
        rng = self.rng
        street_id = self.street_of[member.community_id]
        nearby = [
            c
            for c in self.communities
            if c.id != member.community_id and self.street_of[c.id] == street_id
        ] or [c for c in self.communities if c.id != member.community_id]
        community = rng.choice(nearby)
        assert member.reported_on is not None
        moved_on = self.on(between(rng, member.reported_on, self.today), "moved_on")
        member.move(community.id, moved_on, self.actor)
        if rng.random() < 0.5:
            member.report_to(community.id, self.on(moved_on, "reported_on"), self.actor)
        if self.grids[community.id]:
            grid = rng.choice(self.grids[community.id])
            member.change({"grid_id": grid.id, "grid": grid.name}, self.actor)

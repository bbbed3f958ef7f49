"""A district at work: valid commands chosen at random, through the application.

The choices come from a ``Chooser``: hypothesis draws in the property test, a
seeded ``random.Random`` elsewhere. Every command it gives is one the domain
accepts, with business dates back-dated but never after today; a refusal is a
bug in this driver and fails the test. Now and then it gives a date after
today on purpose, and checks that the command is refused and records nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from domain.errors import FutureDate
from tests.projections.district_activities import ActivityCommands
from tests.projections.district_model import ACTOR, TEAMS, UNITS
from tests.projections.district_organisation import OrganisationCommands


class District(OrganisationCommands, ActivityCommands):
    """Drives an application with commands that are valid when given.

    It keeps a small model of what it did (ids, dates, team members, sign-ups,
    which attendances still count) so that choosing costs no reads of the
    store. Its first step builds the organisation tree: two districts, their
    streets, communities in a street and without one, grids with and without
    a party organisation."""

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.step()

    def step(self) -> str:
        """Gives one command that is possible now; returns its name."""
        if not self.communities:
            self.build_tree()
            return "build_tree"
        name, command = self.choose.choice(self.possible())
        command()
        return name

    def possible(self) -> list[tuple[str, Callable[[], None]]]:
        """The commands that are valid now, the likelier ones repeated."""
        standing = self.standing_teams()
        registered = self.registered()
        can: list[tuple[str, Callable[[], None]]] = [
            ("advance_clock", self.advance_clock),
            ("refuse_a_future_date", self.refuse_a_future_date),
        ]
        if len(self.units) < len(UNITS):
            can.append(("register_unit", self.register_unit))
        if len(self.teams) < len(TEAMS):
            can.append(("found_team", self.found_team))
        if len(self.members) < self.most_members:
            can += [("register_member", self.register_member)] * 3
        if self.units:
            can.append(("double_report_unit", self.double_report_unit))
        if self.unit_reports:
            can.append(("end_unit_double_report", self.end_unit_double_report))
        if registered:
            can += [
                ("double_report_member", self.double_report_member),
                ("double_report_member", self.double_report_member),
                ("change_member", self.change_member),
                ("move_member", self.move_member),
            ]
        if len(registered) > 3:
            can.append(("deregister_member", self.deregister_member))
        if self.reported_members():
            can.append(("end_member_double_report", self.end_member_double_report))
        if registered and standing:
            can += [("join_team", self.join_team)] * 3
        if len(standing) > 1:
            can.append(("dissolve_team", self.dissolve_team))
        if standing and len(self.activities) < self.most_activities:
            can += [("schedule_activity", self.schedule_activity)] * 2
        if self.teams_with_members():
            can.append(("leave_team", self.leave_team))
        if self.upcoming():
            can.append(("jump_to_an_activity", self.jump_to_an_activity))
        if registered and self.open_for_sign_up():
            can += [("sign_up", self.sign_up)] * 2
        if self.withdrawable():
            can.append(("withdraw", self.withdraw))
        if registered and self.open_for_attendance():
            can += [("record_attendance", self.record_attendance)] * 5
            can.append(("close_activity", self.close_activity))
        if self.revocable():
            can.append(("revoke_attendance", self.revoke_attendance))
        if self.cancellable():
            can.append(("cancel_activity", self.cancel_activity))
        return can

    # Dates after today, refused.

    def refuse_a_future_date(self) -> None:
        """A command dated after today is refused with ``future_date`` and
        records nothing."""
        today = self.today()
        later = self.choose.choice(
            [today + timedelta(days=1), date(today.year + 1, 1, 1)]
        )
        attempts: list[Callable[[], object]] = [
            lambda: self.app.register_member(
                "张伟", self.communities[0], True, ACTOR, registered_on=later
            ),
            lambda: self.app.found_team(
                "未来服务队", self.communities[0], ACTOR, founded_on=later
            ),
        ]
        if self.units:
            unit = self.units[0]
            attempts.append(
                lambda: self.app.double_report_unit(
                    unit, self.communities[-1], later, ACTOR
                )
            )
        registered = self.registered()
        if registered:
            member = registered[0]
            attempts += [
                lambda: self.app.move_member(
                    member, self.communities[-1], ACTOR, moved_on=later
                ),
                lambda: self.app.deregister_member(
                    member, "搬离本区", ACTOR, left_on=later
                ),
                lambda: self.app.double_report_member(
                    member, self.communities[-1], later, ACTOR
                ),
            ]
        standing = self.standing_teams()
        if standing:
            team = standing[0]
            attempts.append(
                lambda: self.app.dissolve_team(team, "并队", ACTOR, dissolved_on=later)
            )
            if registered:
                attempts.append(
                    lambda: self.app.join_team(
                        team, registered[-1], ACTOR, joined_on=later
                    )
                )
        before = self.app.position()
        with pytest.raises(FutureDate):
            self.choose.choice(attempts)()
        assert self.app.position() == before
        self.refusals += 1

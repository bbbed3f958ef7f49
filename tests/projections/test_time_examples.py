"""Hand-counted examples of DESIGN "Time": each history is small enough to count
by reading the rule, and both the oracle and the read side must give the
numbers counted by hand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.application import VolunteerPoints
from infrastructure.storage import open_application, parse_database_url
from projections.queries import Queries
from projections.runner import Projector
from tests.conftest import Clock
from tests.projections.district_model import ACTOR, beijing
from tests.projections.oracle import Oracle, stored_events

# Today is 10 March 2026 in Shanghai.
TODAY = date(2026, 3, 10)
NOW = beijing("2026-03-10", "10:00")
LAST_YEAR, THIS_YEAR = date(2025, 12, 31), TODAY


@dataclass
class Place:
    app: VolunteerPoints
    clock: Clock
    district: UUID
    street: UUID
    community: UUID
    other: UUID
    grid: UUID

    def ask(self, name: str, *args: Any) -> Any:
        """The read side's answer, after checking that the oracle gives the same."""
        projector = Projector(self.app)
        projector.catch_up()
        answer = getattr(Queries(projector.view), name)(*args)
        assert answer == getattr(Oracle(stored_events(self.app)), name)(*args)
        return answer

    def community_stats(self, on: date, community: UUID | None = None) -> Any:
        chosen = str(community or self.community)
        return self.ask("stats", "community", chosen, on.year, on)

    def member(self, registered_on: date = date(2025, 1, 1), **given: Any) -> UUID:
        written = self.app.register_member(
            "张伟", self.community, True, ACTOR, registered_on=registered_on, **given
        )
        return written.id

    def team(self, founded_on: date = date(2025, 1, 1)) -> UUID:
        return self.app.found_team(
            "红马甲服务队", self.community, ACTOR, founded_on=founded_on
        ).id

    def held(self, team: UUID, starts_at: datetime, attended: list[UUID]) -> UUID:
        self.clock.now = max(self.clock.now, starts_at)
        activity = self.app.schedule_activity(
            "义诊", team, "医疗", starts_at, starts_at.replace(hour=23), ACTOR
        ).id
        self.app.record_attendance(activity, [(m, "2") for m in attended], ACTOR)
        self.clock.now = max(self.clock.now, NOW)
        return activity


@pytest.fixture
def place() -> Iterator[Place]:
    clock = Clock(beijing("2025-12-31", "20:00"))
    app = open_application(parse_database_url("memory://"), clock=clock)
    district = app.register_district("北戴河新区", ACTOR).id
    street = app.register_street("戴河镇", district, ACTOR).id
    community = app.register_community("海滨村", None, ACTOR, street_id=street).id
    other = app.register_community("幸福里社区", "城关街道", ACTOR).id
    grid = app.register_grid("第一网格", community, True, ACTOR).id
    clock.now = NOW
    try:
        yield Place(app, clock, district, street, community, other, grid)
    finally:
        app.close()


def test_a_team_founded_today_is_not_in_last_years_figures(place: Place) -> None:
    place.team(founded_on=TODAY)
    assert place.community_stats(LAST_YEAR)["teams"] == 0
    assert place.community_stats(THIS_YEAR)["teams"] == 1


def test_a_team_dissolved_today_stays_in_last_years_figures(place: Place) -> None:
    team = place.team()
    place.app.join_team(team, place.member(), ACTOR, joined_on=date(2025, 2, 1))
    place.app.dissolve_team(team, "并队", ACTOR)
    assert place.community_stats(LAST_YEAR)["teams"] == 1
    assert place.community_stats(LAST_YEAR)["volunteers"] == 1
    assert place.community_stats(THIS_YEAR)["teams"] == 0
    assert place.community_stats(THIS_YEAR)["volunteers"] == 0


def test_a_dissolved_team_has_no_members_from_its_dissolution(place: Place) -> None:
    team = place.team()
    place.app.join_team(team, place.member(), ACTOR, joined_on=date(2025, 2, 1))
    place.app.dissolve_team(team, "并队", ACTOR, dissolved_on=date(2025, 6, 1))
    assert place.ask("team", str(team), 2025, date(2025, 5, 31))["members"] == 1
    assert place.ask("team", str(team), 2025, LAST_YEAR)["members"] == 0


def test_an_activity_scheduled_for_later_is_not_yet_held(place: Place) -> None:
    team = place.team()
    later = beijing("2026-06-30", "09:00")
    place.app.schedule_activity(
        "义诊", team, "医疗", later, later + timedelta(hours=2), ACTOR
    )
    assert place.community_stats(THIS_YEAR)["activities"] == 0
    next_year = place.ask("stats", "all", None, 2027, TODAY)
    assert next_year["activities"] == next_year["teams"] == 0
    assert next_year["communities"] == 2


def test_a_back_dated_move_counts_in_the_new_community_from_its_date(
    place: Place,
) -> None:
    member = place.member()
    place.held(place.team(), beijing("2025-05-01", "09:00"), [member])
    place.app.move_member(member, place.other, ACTOR, moved_on=date(2025, 10, 1))
    assert place.community_stats(date(2025, 9, 30))["members"] == 1
    assert place.community_stats(LAST_YEAR)["members"] == 0
    moved = place.community_stats(LAST_YEAR, place.other)
    assert (moved["members"], moved["avg_annual_points"]) == (1, "20.0")


def test_a_deregistered_member_drops_out_from_left_on_and_ends_its_report(
    place: Place,
) -> None:
    member = place.member()
    place.app.double_report_member(member, place.community, date(2025, 3, 1), ACTOR)
    place.app.deregister_member(member, "搬离", ACTOR, left_on=date(2026, 1, 15))
    last_year = place.community_stats(LAST_YEAR)
    assert (last_year["members"], last_year["members_reported"]) == (1, 1)
    this_year = place.community_stats(THIS_YEAR)
    assert (this_year["members"], this_year["members_reported"]) == (0, 0)


def test_a_grid_counts_its_members_reports_to_its_own_community(
    place: Place,
) -> None:
    member = place.member(grid_id=place.grid)
    neighbour = place.member(grid_id=place.grid)
    place.app.double_report_member(member, place.other, date(2025, 3, 1), ACTOR)
    place.app.double_report_member(neighbour, place.community, date(2025, 3, 1), ACTOR)
    grid = place.ask("stats", "grid", str(place.grid), 2025, LAST_YEAR)
    assert (grid["members"], grid["members_reported"]) == (2, 1)


def test_a_members_figures_are_as_of_the_end_of_the_year(place: Place) -> None:
    member = place.member()
    team = place.team()
    place.held(team, beijing("2025-05-01", "09:00"), [member])
    place.held(team, beijing("2026-03-01", "09:00"), [member])
    last_year = place.ask("member_points", str(member), 2025, LAST_YEAR)
    assert (last_year["points"], last_year["lifetime_points"]) == ("20.0", "20.0")
    this_year = place.ask("member_points", str(member), 2026, THIS_YEAR)
    assert (this_year["points"], this_year["lifetime_points"]) == ("20.0", "40.0")

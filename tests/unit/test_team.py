"""A team's rules: joining, leaving, dissolving."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import NotFound, TeamDissolved
from domain.team import Team

FOUNDED_ON = date(2026, 1, 5)
JOINED_ON = date(2026, 1, 10)


def a_team() -> Team:
    team = Team(
        name="红色先锋队",
        community_id=uuid4(),
        founded_on=FOUNDED_ON,
        actor="organiser",
    )
    team.collect_events()
    return team


def test_a_new_team_has_no_members_and_is_not_dissolved() -> None:
    team = a_team()

    assert team.members == {}
    assert team.dissolved is False


def test_a_member_joins_a_team() -> None:
    team, member = a_team(), uuid4()

    assert team.join(member, JOINED_ON, "organiser") is True

    assert team.members == {member: JOINED_ON}
    [joined] = team.collect_events()
    assert isinstance(joined, Team.MemberJoined)
    assert joined.member_id == member


def test_joining_twice_changes_nothing_and_is_not_an_error() -> None:
    team, member = a_team(), uuid4()
    team.join(member, JOINED_ON, "organiser")
    team.collect_events()

    assert team.join(member, JOINED_ON, "organiser") is False

    assert team.collect_events() == []


def test_a_member_leaves_a_team() -> None:
    team, member = a_team(), uuid4()
    team.join(member, JOINED_ON, "organiser")

    team.leave(member, date(2026, 2, 1), "organiser")

    assert team.members == {}


def test_someone_not_in_the_team_cannot_leave_it() -> None:
    team = a_team()

    with pytest.raises(NotFound) as raised:
        team.leave(uuid4(), date(2026, 2, 1), "organiser")

    assert raised.value.code == "not_found"
    assert team.collect_events() == []


def test_a_member_who_left_may_join_again() -> None:
    team, member = a_team(), uuid4()
    team.join(member, JOINED_ON, "organiser")
    team.leave(member, date(2026, 2, 1), "organiser")

    assert team.join(member, date(2026, 2, 2), "organiser") is True
    assert team.members == {member: date(2026, 2, 2)}


def test_a_dissolved_team_keeps_its_members_but_accepts_no_changes() -> None:
    team, member = a_team(), uuid4()
    team.join(member, JOINED_ON, "organiser")

    team.dissolve("队伍合并", date(2026, 2, 1), "organiser")

    assert team.dissolved is True
    assert team.members == {member: JOINED_ON}
    with pytest.raises(TeamDissolved):
        team.join(uuid4(), date(2026, 2, 1), "organiser")
    with pytest.raises(TeamDissolved):
        team.leave(member, date(2026, 2, 1), "organiser")


def test_dissolving_twice_is_refused() -> None:
    team = a_team()
    team.dissolve("队伍合并", date(2026, 2, 1), "organiser")

    with pytest.raises(TeamDissolved) as raised:
        team.dissolve("队伍合并", date(2026, 2, 1), "organiser")

    assert raised.value.code == "team_dissolved"


def test_dissolving_records_the_reason() -> None:
    team = a_team()

    team.dissolve("队伍合并", date(2026, 2, 1), "organiser")

    [dissolved] = team.collect_events()
    assert isinstance(dissolved, Team.Dissolved)
    assert dissolved.reason == "队伍合并"

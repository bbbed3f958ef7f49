"""Invalid commands of communities, units, members and teams, each with the
code of the domain error it raises; and the helpers every invalid command is
written with."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.application import VolunteerPoints
from tests.conftest import Clock
from tests.contract.contract_world import World

Command = Callable[[VolunteerPoints, World, Clock], object]
NOBODY = UUID(int=7)
YES: Any = "yes"  # what a careless client sends for a boolean


def at(clock: Clock, hours: float) -> datetime:
    return clock.now + timedelta(hours=hours)


def schedule(
    team: Callable[[World], UUID] = lambda w: w.team,
    starts: Callable[[Clock], object] = lambda c: at(c, 1),
    ends: Callable[[Clock], object] = lambda c: at(c, 3),
    **options: object,
) -> Command:
    return lambda app, w, c: app.schedule_activity(
        "宣讲", team(w), "政策宣讲", starts(c), ends(c), "admin", **options
    )


def hours(value: object) -> Command:
    return lambda app, w, c: app.record_attendance(w.running, [(w.bob, value)], "admin")


ORGANISATION: dict[str, tuple[Command, str]] = {
    "community without a name": (
        lambda app, w, c: app.register_community("  ", None, "admin"),
        "validation_error",
    ),
    "community name with a newline": (
        lambda app, w, c: app.register_community("幸福\n社区", None, "admin"),
        "validation_error",
    ),
    "unit without a name": (
        lambda app, w, c: app.register_unit("", "admin"),
        "validation_error",
    ),
    "unknown unit reports": (
        lambda app, w, c: app.double_report_unit(
            NOBODY, w.community, date(2026, 3, 1), "admin"
        ),
        "not_found",
    ),
    "unit reports to an unknown community": (
        lambda app, w, c: app.double_report_unit(
            w.unit, NOBODY, date(2026, 3, 1), "admin"
        ),
        "unknown_reference",
    ),
    "unit reports on a moment, not a date": (
        lambda app, w, c: app.double_report_unit(w.unit, w.community, c.now, "admin"),
        "validation_error",
    ),
    "member of an unknown community": (
        lambda app, w, c: app.register_member("王五", NOBODY, True, "admin"),
        "unknown_reference",
    ),
    "member of an unknown unit": (
        lambda app, w, c: app.register_member(
            "王五", w.community, True, "admin", unit_id=NOBODY
        ),
        "unknown_reference",
    ),
    "member of a unit that is a community": (
        lambda app, w, c: app.register_member(
            "王五", w.community, True, "admin", unit_id=w.community
        ),
        "unknown_reference",
    ),
    "member without a name": (
        lambda app, w, c: app.register_member("", w.community, True, "admin"),
        "validation_error",
    ),
    "party member given as text": (
        lambda app, w, c: app.register_member("王五", w.community, YES, "admin"),
        "validation_error",
    ),
    "phone with letters": (
        lambda app, w, c: app.register_member(
            "王五", w.community, True, "admin", phone="call me"
        ),
        "validation_error",
    ),
    "unknown member reports": (
        lambda app, w, c: app.double_report_member(
            NOBODY, w.community, date(2026, 3, 1), "admin"
        ),
        "not_found",
    ),
    "member reports to an unknown community": (
        lambda app, w, c: app.double_report_member(
            w.alice, NOBODY, date(2026, 3, 1), "admin"
        ),
        "unknown_reference",
    ),
    "team of an unknown community": (
        lambda app, w, c: app.found_team("新队", NOBODY, "admin"),
        "unknown_reference",
    ),
    "team without a name": (
        lambda app, w, c: app.found_team(" ", w.community, "admin"),
        "validation_error",
    ),
    "joining an unknown team": (
        lambda app, w, c: app.join_team(NOBODY, w.bob, "admin"),
        "not_found",
    ),
    "joining an activity as if it were a team": (
        lambda app, w, c: app.join_team(w.running, w.bob, "admin"),
        "not_found",
    ),
    "an unknown member joins": (
        lambda app, w, c: app.join_team(w.team, NOBODY, "admin"),
        "unknown_reference",
    ),
    "joining a dissolved team": (
        lambda app, w, c: app.join_team(w.dissolved_team, w.bob, "admin"),
        "team_dissolved",
    ),
    "leaving a team one is not in": (
        lambda app, w, c: app.leave_team(w.team, w.bob, "admin"),
        "not_found",
    ),
    "dissolving a team twice": (
        lambda app, w, c: app.dissolve_team(w.dissolved_team, "再次", "admin"),
        "team_dissolved",
    ),
    "dissolving without a reason": (
        lambda app, w, c: app.dissolve_team(w.team, "", "admin"),
        "validation_error",
    ),
}

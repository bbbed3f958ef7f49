"""Invalid commands of activities, attendance and tokens, each with the code
of the domain error it raises."""

from __future__ import annotations

from uuid import uuid4

from tests.contract.invalid_commands import NOBODY, Command, at, hours, schedule

ACTIVITIES_AND_TOKENS: dict[str, tuple[Command, str]] = {
    "activity of an unknown team": (
        schedule(team=lambda w: NOBODY),
        "unknown_reference",
    ),
    "activity of a dissolved team": (
        schedule(team=lambda w: w.dissolved_team),
        "team_dissolved",
    ),
    "activity with a naive start": (
        schedule(starts=lambda c: at(c, 1).replace(tzinfo=None)),
        "validation_error",
    ),
    "activity ending before it starts": (
        schedule(ends=lambda c: at(c, 0)),
        "validation_error",
    ),
    "activity ending when it starts": (
        schedule(ends=lambda c: at(c, 1)),
        "validation_error",
    ),
    "activity of 31 days": (
        schedule(ends=lambda c: at(c, 1 + 31 * 24)),
        "validation_error",
    ),
    "activity for nobody": (schedule(capacity=0), "validation_error"),
    "activity capacity as a boolean": (schedule(capacity=True), "validation_error"),
    "activity capacity as text": (schedule(capacity="3"), "validation_error"),
    "activity with both points rules": (
        schedule(points_per_hour="10", fixed_points="5"),
        "validation_error",
    ),
    "activity with a float rate": (
        schedule(points_per_hour=10.0),
        "validation_error",
    ),
    "activity with a negative rate": (
        schedule(points_per_hour="-1"),
        "validation_error",
    ),
    "activity with NaN fixed points": (
        schedule(fixed_points="NaN"),
        "validation_error",
    ),
    "activity with too many fixed points": (
        schedule(fixed_points="10000.1"),
        "validation_error",
    ),
    "activity without a title": (
        lambda app, w, c: app.schedule_activity(
            "", w.team, "宣讲", at(c, 1), at(c, 2), "admin"
        ),
        "validation_error",
    ),
    "signing up to an unknown activity": (
        lambda app, w, c: app.sign_up(NOBODY, w.bob, "bob"),
        "not_found",
    ),
    "an unknown member signs up": (
        lambda app, w, c: app.sign_up(w.upcoming, NOBODY, "admin"),
        "unknown_reference",
    ),
    "signing up beyond capacity": (
        lambda app, w, c: app.sign_up(w.upcoming, w.bob, "bob"),
        "activity_full",
    ),
    "signing up after the start": (
        lambda app, w, c: app.sign_up(w.running, w.bob, "bob"),
        "activity_started",
    ),
    "signing up to a cancelled activity": (
        lambda app, w, c: app.sign_up(w.cancelled, w.bob, "bob"),
        "activity_cancelled",
    ),
    "withdrawing without signing up": (
        lambda app, w, c: app.withdraw(w.upcoming, w.bob, "bob"),
        "not_found",
    ),
    "withdrawing after the start": (
        lambda app, w, c: (c.advance(hours=1), app.withdraw(w.upcoming, w.alice, "a")),
        "activity_started",
    ),
    "attendance before the start": (
        lambda app, w, c: app.record_attendance(w.upcoming, [(w.alice, 1)], "admin"),
        "activity_not_started",
    ),
    "zero hours": (hours(0), "invalid_hours"),
    "negative hours": (hours(-1), "invalid_hours"),
    "hours not in quarters": (hours("0.3"), "invalid_hours"),
    "hours beyond the activity": (hours("3.25"), "invalid_hours"),
    "astronomical hours": (hours("1e30"), "invalid_hours"),
    "NaN hours": (hours("NaN"), "invalid_hours"),
    "float hours": (hours(1.5), "invalid_hours"),
    "hours that are not a number": (hours("一小时"), "invalid_hours"),
    "attendance of an unknown member": (
        lambda app, w, c: app.record_attendance(w.running, [(NOBODY, 1)], "admin"),
        "unknown_reference",
    ),
    "attendance at an unknown activity": (
        lambda app, w, c: app.record_attendance(NOBODY, [(w.bob, 1)], "admin"),
        "not_found",
    ),
    "attendance with no records": (
        lambda app, w, c: app.record_attendance(w.running, [], "admin"),
        "validation_error",
    ),
    "attendance of 501 records": (
        lambda app, w, c: app.record_attendance(
            w.running, [(uuid4(), 1) for _ in range(501)], "admin"
        ),
        "validation_error",
    ),
    "one member twice with different hours": (
        lambda app, w, c: app.record_attendance(
            w.running, [(w.bob, 1), (w.bob, 2)], "admin"
        ),
        "validation_error",
    ),
    "one good and one bad record": (
        lambda app, w, c: app.record_attendance(
            w.running, [(w.bob, 1), (w.alice, 0)], "admin"
        ),
        "invalid_hours",
    ),
    "correction with an empty reason": (
        lambda app, w, c: app.record_attendance(
            w.running, [(w.alice, 2)], "admin", reason=" "
        ),
        "validation_error",
    ),
    "attendance at a closed activity": (
        lambda app, w, c: app.record_attendance(w.closed, [(w.bob, 1)], "admin"),
        "activity_closed",
    ),
    "attendance at a cancelled activity": (
        lambda app, w, c: (
            c.advance(hours=3),
            app.record_attendance(w.cancelled, [(w.bob, 1)], "admin"),
        ),
        "activity_cancelled",
    ),
    "revoking attendance that is not there": (
        lambda app, w, c: app.revoke_attendance(w.running, w.bob, "重复", "admin"),
        "not_found",
    ),
    "revoking without a reason": (
        lambda app, w, c: app.revoke_attendance(w.running, w.alice, "", "admin"),
        "validation_error",
    ),
    "cancelling twice": (
        lambda app, w, c: app.cancel_activity(w.cancelled, "再次", "admin"),
        "already_cancelled",
    ),
    "cancelling a closed activity": (
        lambda app, w, c: app.cancel_activity(w.closed, "暴雨", "admin"),
        "activity_closed",
    ),
    "cancelling without a reason": (
        lambda app, w, c: app.cancel_activity(w.running, "", "admin"),
        "validation_error",
    ),
    "closing before the start": (
        lambda app, w, c: app.close_activity(w.upcoming, "admin"),
        "activity_not_started",
    ),
    "closing a cancelled activity": (
        lambda app, w, c: app.close_activity(w.cancelled, "admin"),
        "activity_cancelled",
    ),
    "a token with an unknown role": (
        lambda app, w, c: app.issue_token("s", "superuser", "admin"),
        "validation_error",
    ),
    "an organiser token for an unknown community": (
        lambda app, w, c: app.issue_token(
            "s", "organizer", "admin", community_ids=[NOBODY]
        ),
        "unknown_reference",
    ),
    "revoking an unknown token": (
        lambda app, w, c: app.revoke_token(NOBODY, "admin"),
        "not_found",
    ),
}

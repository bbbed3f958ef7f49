"""An hours claim's rules: pending until decided, decided once; and the
commands that claim, approve (recording the attendance) and reject."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from domain.application import VolunteerPoints
from domain.claim import APPROVED, PENDING, REJECTED, HoursClaim
from domain.errors import (
    ActivityCancelled,
    ActivityClosed,
    ActivityNotStarted,
    ClaimDecided,
    InvalidCommand,
    InvalidHours,
    MemberDeregistered,
    NotFound,
    UnknownReference,
)
from tests.conftest import Clock

ACTOR = "organiser"


def a_claim(hours: str = "2") -> HoursClaim:
    claim = HoursClaim(
        member_id=uuid4(),
        activity_id=uuid4(),
        community_id=uuid4(),
        hours=Decimal(hours),
        note="忘记签到",
        actor="member",
    )
    claim.collect_events()
    return claim


def event_names(claim: HoursClaim) -> list[str]:
    return [type(e).__name__ for e in claim.collect_events()]


def test_a_new_claim_is_pending_with_its_hours_and_note() -> None:
    member, activity, community = uuid4(), uuid4(), uuid4()
    claim = HoursClaim(
        member_id=member,
        activity_id=activity,
        community_id=community,
        hours=Decimal("1.5"),
        note=None,
        actor="member",
    )
    assert event_names(claim) == ["Claimed"]
    assert (claim.member_id, claim.activity_id, claim.community_id) == (
        member,
        activity,
        community,
    )
    assert (claim.status, claim.hours, claim.note) == (PENDING, Decimal("1.5"), None)
    assert (claim.decided_hours, claim.reason) == (None, None)


def test_approving_a_claim_keeps_the_hours_approved() -> None:
    claim = a_claim("2")
    claim.approve(Decimal("1.5"), ACTOR)
    assert event_names(claim) == ["Approved"]
    assert (claim.status, claim.hours, claim.decided_hours) == (
        APPROVED,
        Decimal("2"),
        Decimal("1.5"),
    )


def test_rejecting_a_claim_keeps_the_reason() -> None:
    claim = a_claim()
    claim.reject("签到表上没有", ACTOR)
    assert event_names(claim) == ["Rejected"]
    assert (claim.status, claim.reason, claim.decided_hours) == (
        REJECTED,
        "签到表上没有",
        None,
    )


@pytest.mark.parametrize("first", ["approve", "reject"])
def test_a_claim_is_decided_once(first: str) -> None:
    claim = a_claim()
    if first == "approve":
        claim.approve(Decimal(2), ACTOR)
    else:
        claim.reject("重复申报", ACTOR)
    claim.collect_events()
    with pytest.raises(ClaimDecided) as refused:
        claim.approve(Decimal(1), ACTOR)
    assert refused.value.code == "claim_decided"
    with pytest.raises(ClaimDecided):
        claim.reject("再次", ACTOR)
    assert event_names(claim) == []


def test_the_attendance_an_approval_records_names_the_claim() -> None:
    claim = a_claim()
    assert claim.attendance_reason == f"志愿时长申报 {claim.id}"


# The commands.


class Desk:
    """A community with two members and a team, and activity days to schedule."""

    def __init__(self, app: VolunteerPoints, clock: Clock) -> None:
        self.app = app
        self.clock = clock
        self.community = app.register_community("幸福里社区", "东风街道", ACTOR).id
        self.member = app.register_member("王芳", self.community, False, ACTOR).id
        self.team = app.found_team("红马甲志愿服务队", self.community, ACTOR).id

    def activity(self, starts_in_hours: float = 0) -> UUID:
        starts = self.clock() + timedelta(hours=starts_in_hours)
        return self.schedule(starts)

    def schedule(self, starts: datetime) -> UUID:
        return self.app.schedule_activity(
            title="政策宣讲",
            team_id=self.team,
            category="政策宣讲",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            actor=ACTOR,
        ).id


@pytest.fixture
def desk(app: VolunteerPoints, clock: Clock) -> Desk:
    return Desk(app, clock)


def test_claiming_hours_records_one_claimed_event(desk: Desk) -> None:
    activity = desk.activity()
    before = desk.app.position()
    claimed = desk.app.claim_hours(desk.member, activity, "2.5", "member", " 补登 ")
    assert claimed.position == before + 1
    assert (claimed.status, claimed.hours, claimed.note) == (
        PENDING,
        Decimal("2.5"),
        "补登",
    )
    assert claimed.community_id == desk.community


def test_an_approval_saves_the_decision_and_the_attendance_together(
    desk: Desk,
) -> None:
    activity = desk.activity()
    claimed = desk.app.claim_hours(desk.member, activity, "2", "member")
    approved = desk.app.approve_claim(claimed.id, ACTOR, Decimal("1.5"))
    assert approved.position == claimed.position + 2
    assert (approved.status, approved.decided_hours) == (APPROVED, Decimal("1.5"))
    attendance = desk.app.activity(activity).attendances[desk.member]
    assert (attendance.hours, attendance.points) == (Decimal("1.5"), Decimal("15.0"))
    notifications = desk.app.recorder.select_notifications(
        start=claimed.position + 1, limit=10
    )
    assert {n.originator_id for n in notifications} == {claimed.id, activity}


def test_an_approval_refused_by_the_activity_records_nothing(desk: Desk) -> None:
    activity = desk.activity()
    claimed = desk.app.claim_hours(desk.member, activity, "2", "member")
    before = desk.app.position()
    with pytest.raises(InvalidHours):
        desk.app.approve_claim(claimed.id, ACTOR, "0.1")
    assert desk.app.position() == before
    desk.app.close_activity(activity, ACTOR)
    before = desk.app.position()
    with pytest.raises(ActivityClosed):
        desk.app.approve_claim(claimed.id, ACTOR)
    assert desk.app.position() == before
    assert desk.app.claim(claimed.id).status == PENDING


def test_claims_for_activities_not_open_are_refused_with_their_codes(
    desk: Desk,
) -> None:
    upcoming = desk.activity(starts_in_hours=1)
    cancelled = desk.activity()
    desk.app.cancel_activity(cancelled, "暴雨", ACTOR)
    closed = desk.activity()
    desk.app.close_activity(closed, ACTOR)
    before = desk.app.position()
    refusals = (
        (upcoming, ActivityNotStarted),
        (cancelled, ActivityCancelled),
        (closed, ActivityClosed),
    )
    for activity, refusal in refusals:
        with pytest.raises(refusal):
            desk.app.claim_hours(desk.member, activity, "1", "member")
    with pytest.raises(UnknownReference) as unknown:
        desk.app.claim_hours(desk.member, uuid4(), "1", "member")
    assert unknown.value.field == "activity_id"
    with pytest.raises(NotFound):
        desk.app.claim_hours(uuid4(), closed, "1", "member")
    assert desk.app.position() == before


def test_claims_are_checked_for_hours_note_and_a_registered_member(
    desk: Desk,
) -> None:
    activity = desk.activity()
    before = desk.app.position()
    with pytest.raises(InvalidHours):
        desk.app.claim_hours(desk.member, activity, "3.25", "member")
    with pytest.raises(InvalidCommand) as empty:
        desk.app.claim_hours(desk.member, activity, "1", "member", "  ")
    assert empty.value.field == "note"
    desk.app.deregister_member(desk.member, "搬离", ACTOR)
    after_leaving = desk.app.position()
    with pytest.raises(MemberDeregistered):
        desk.app.claim_hours(desk.member, activity, "1", "member")
    assert after_leaving == before + 1 == desk.app.position()


def test_rejecting_needs_a_reason_and_an_existing_claim(desk: Desk) -> None:
    activity = desk.activity()
    claimed = desk.app.claim_hours(desk.member, activity, "2", "member")
    with pytest.raises(InvalidCommand):
        desk.app.reject_claim(claimed.id, " ", ACTOR)
    with pytest.raises(NotFound):
        desk.app.reject_claim(uuid4(), "无", ACTOR)
    with pytest.raises(NotFound):
        desk.app.approve_claim(activity, ACTOR)
    rejected = desk.app.reject_claim(claimed.id, " 未见签到 ", ACTOR)
    assert (rejected.status, rejected.reason) == (REJECTED, "未见签到")
    assert desk.member not in desk.app.activity(activity).attendances

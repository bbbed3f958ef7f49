"""Any sequence of earning, revoking, redeeming, cancelling and days passing:
the write side decides each redemption as the oracle does, and the account the
read side shows (balance, totals, what expires when, every movement) equals the
oracle's."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import VolunteerPoints
from domain.dates import SHANGHAI
from domain.errors import DomainError
from infrastructure.storage import open_application, parse_database_url
from projections.queries import Queries
from projections.runner import Projector
from tests.conftest import Clock, drop_postgres_schema, postgres_test_url
from tests.property.redemption_oracle import OracleAccount

T = TypeVar("T")
ACTOR = "测试组织者"
START = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)

earn = st.tuples(
    st.just("earn"), st.integers(0, 6 * 365), st.integers(1, 600)
)  # days before today, tenths of points
revoke = st.tuples(st.just("revoke"), st.integers(0, 50), st.just(0))
redeem = st.tuples(st.just("redeem"), st.integers(1, 400), st.integers(1, 3))
cancel = st.tuples(st.just("cancel"), st.integers(0, 50), st.just(0))
wait = st.tuples(st.just("wait"), st.integers(1, 500), st.just(0))
steps = st.lists(st.one_of(earn, revoke, redeem, cancel, wait), max_size=30)


def attempt(
    command: Callable[..., T], *args: Any
) -> tuple[T | None, DomainError | None]:
    """A command's result, or the domain's refusal of it."""
    try:
        return command(*args), None
    except DomainError as error:
        return None, error


class Scenario:
    """One member of one community, rewards at every price, and the oracle."""

    def __init__(self, app: VolunteerPoints, clock: Clock, valid_years: int) -> None:
        self.app, self.clock = app, clock
        self.projector = Projector(app)
        community = app.register_community("阳光社区", None, ACTOR).id
        self.team = app.found_team("服务队", community, ACTOR, date(2015, 1, 1)).id
        self.member = app.register_member(
            "张伟", community, True, ACTOR, registered_on=date(2015, 1, 1)
        ).id
        self.community = community
        self.rewards: dict[int, UUID] = {}
        self.oracle = OracleAccount(valid_years)
        self.attended: list[tuple[UUID, int, int, date]] = []  # live ones
        self.redemptions: list[UUID] = []

    def today(self) -> date:
        return self.clock.now.astimezone(SHANGHAI).date()

    def queries(self) -> Queries:
        self.projector.catch_up()
        return Queries(self.projector.view)

    def earned(self) -> dict[int, Decimal]:
        return self.queries().earned_by_year(str(self.member))

    def earn(self, days_ago: int, tenths: int) -> None:
        day = self.today() - timedelta(days=days_ago)
        starts = datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI)
        now = self.clock.now
        activity = self.app.schedule_activity(
            title="宣讲",
            team_id=self.team,
            category="政策宣讲",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            actor=ACTOR,
            fixed_points=Decimal(tenths) / 10,
        ).id
        self.clock.now = max(now, (starts + timedelta(hours=2)).astimezone(UTC))
        self.app.record_attendance(activity, [(self.member, Decimal(1))], ACTOR)
        self.clock.now = now
        self.attended.append((activity, day.year, tenths, day))
        self.oracle.earn(day.year, tenths, day)

    def revoke(self, pick: int) -> None:
        if not self.attended:
            return
        activity, year, tenths, day = self.attended.pop(pick % len(self.attended))
        self.app.revoke_attendance(activity, self.member, "登记错误", ACTOR)
        self.oracle.revoke(year, tenths, day)

    def redeem(self, tenths: int, quantity: int) -> None:
        reward = self.rewards.get(tenths)
        if reward is None:
            price = Decimal(tenths) / 10
            reward = self.app.offer_reward(
                self.community, "奖品", price, 1000, ACTOR
            ).id
            self.rewards[tenths] = reward
        allowed = self.oracle.redeem(tenths * quantity, self.today())
        made, refused = attempt(
            self.app.redeem, self.member, reward, quantity, self.earned(), ACTOR
        )
        assert (refused is None) == allowed, refused
        assert refused is None or refused.code == "insufficient_points"
        if made is not None:
            self.redemptions.append(made.id)

    def cancel(self, pick: int) -> None:
        if not self.redemptions:
            return
        index = pick % len(self.redemptions)
        allowed = self.oracle.cancel(index, self.today())
        _, refused = attempt(
            self.app.cancel_redemption,
            self.redemptions[index],
            "退货",
            self.earned(),
            ACTOR,
        )
        assert (refused is None) == allowed, refused
        assert refused is None or refused.code == "already_cancelled"

    def check(self) -> None:
        today = self.today()
        account = self.queries().account(
            str(self.member), today, self.oracle.valid_years
        )
        oracle = self.oracle

        def shown(tenths: int) -> str:
            return f"{Decimal(tenths) / 10:.1f}"

        assert account["balance"] == shown(oracle.balance(today))
        assert account["expired"] == shown(oracle.expired(today))
        assert account["earned"] == shown(sum(oracle.earned.values()))
        spent = sum(r.cost for r in oracle.redemptions)
        refunded = sum(r.cost for r in oracle.redemptions if r.cancelled_on)
        assert (account["spent"], account["refunded"]) == (
            shown(spent),
            shown(refunded),
        )
        assert [
            (e["year"], e["points"], e["expires_on"]) for e in account["expiring"]
        ] == [
            (y, shown(t), None if last is None else last.isoformat())
            for y, t, last in oracle.expiring(today)
        ]
        assert [(e["type"], e["points"], e["date"]) for e in account["entries"]] == [
            (kind, shown(t), day.isoformat()) for kind, t, day in oracle.entries(today)
        ]
        positions = [e["position"] for e in account["entries"] if e["position"]]
        assert len(positions) == len(set(positions))


def play(url: str, valid_years: int, plan: list[tuple[str, int, int]]) -> None:
    clock = Clock(START)
    years = {"POINTS_VALID_YEARS": str(valid_years)}
    app = open_application(parse_database_url(url), clock=clock, extra_env=years)
    try:
        scenario = Scenario(app, clock, valid_years)
        for kind, a, b in plan:
            if kind == "earn":
                scenario.earn(a, b)
            elif kind == "revoke":
                scenario.revoke(a)
            elif kind == "redeem":
                scenario.redeem(a, b)
            elif kind == "cancel":
                scenario.cancel(a)
            else:
                clock.advance(days=a)
            scenario.check()
    finally:
        app.close()


@settings(max_examples=60, deadline=None)
@given(valid_years=st.sampled_from([3, 1, 0]), plan=steps)
def test_the_account_agrees_with_the_oracle_in_memory(
    valid_years: int, plan: list[tuple[str, int, int]]
) -> None:
    play("memory://", valid_years, plan)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_years=st.sampled_from([3, 0]), plan=steps)
def test_the_account_agrees_with_the_oracle_on_sqlite(
    valid_years: int, plan: list[tuple[str, int, int]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        play(f"sqlite:///{Path(folder) / 'vpoints.db'}", valid_years, plan)


@pytest.mark.postgres
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=steps)
def test_the_account_agrees_with_the_oracle_on_postgres(
    plan: list[tuple[str, int, int]],
) -> None:
    url = postgres_test_url()
    try:
        play(url, 3, plan)
    finally:
        drop_postgres_schema(url)

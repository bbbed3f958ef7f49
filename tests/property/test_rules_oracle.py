"""Any sequence of attendances, corrections, revocations and publications of
rule sets (a district's own, the other district's, the deployment's, with
past dates and caps): each member's statement (counted points, points before
caps, rule version) and annual points agree with the oracle, which rates
from DESIGN's text alone."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.application import VolunteerPoints
from domain.dates import SHANGHAI
from domain.rules import rule_version
from infrastructure.storage import open_application, parse_database_url
from projections import replay
from projections.queries import Queries
from projections.runner import Projector
from projections.what_if import what_if
from tests.conftest import Clock, drop_postgres_schema, postgres_test_url
from tests.property.rules_oracle import Held, PointsOracle, Rules

ACTOR = "测试管理员"
NOW = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)
DISTRICTS = ("海港区", "山海关区")
MEMBERS = ("张伟", "李娜")
CATEGORIES = ("环境", "助老", "宣讲")
HOURS = [Decimal(q) / 4 for q in range(1, 13)]  # 0.25 … 3

activities = st.lists(
    st.tuples(
        st.sampled_from(DISTRICTS),
        st.sampled_from(CATEGORIES),
        st.integers(0, 6),  # day of 2026, in steps of five days
        st.sampled_from([9, 9, 14]),
        st.sampled_from([None, Decimal(4)]),
    ),
    min_size=1,
    max_size=8,
)
record = st.tuples(
    st.just("record"), st.integers(0, 7), st.integers(0, 1), st.sampled_from(HOURS)
)
revoke = st.tuples(st.just("revoke"), st.integers(0, 7), st.integers(0, 1), st.just(0))
rates = st.dictionaries(
    st.sampled_from(CATEGORIES[:2]),
    st.sampled_from([Decimal(1), Decimal(2), Decimal("1.5"), Decimal(3)]),
    min_size=1,
)
caps = st.fixed_dictionaries(
    {
        "hours": st.sampled_from([None, Decimal(1), Decimal("1.5"), Decimal(2)]),
        "day": st.sampled_from([None, Decimal(3), Decimal("4.5")]),
        "year": st.dictionaries(
            st.sampled_from(CATEGORIES[:2]), st.sampled_from([Decimal(4), Decimal(7)])
        ),
    }
)
publish = st.tuples(
    st.just("publish"),
    st.sampled_from([*DISTRICTS, "deployment"]),
    st.integers(0, 12),  # effective from this day of 2026, in steps of three
    st.tuples(rates, caps),
)


def capped(points: int) -> dict[str, Any]:
    return {"hours": None, "day": None, "year": {"助老": Decimal(points)}}


steps = st.lists(st.one_of(record, record, record, revoke, publish), max_size=20)


class Scenario:
    def __init__(self, app: VolunteerPoints, held: list[Any]) -> None:
        self.app = app
        self.projector = Projector(app)
        self.oracle = PointsOracle()
        self.districts: dict[str, Any] = {}
        teams: dict[str, list[Any]] = {}
        community = None
        for name in DISTRICTS:
            district = app.register_district(name, ACTOR).id
            street = app.register_street(f"{name}街道", district, ACTOR).id
            self.districts[name] = district
            teams[name] = []
            for place in ("东", "西"):  # two communities: points by community
                community = app.register_community(
                    f"{name}{place}社区", None, ACTOR, street_id=street
                ).id
                team = app.found_team("服务队", community, ACTOR, date(2020, 1, 1))
                teams[name].append(team.id)
        assert community is not None
        self.members = {
            name: app.register_member(name, community, True, ACTOR).id
            for name in MEMBERS
        }
        self.held: list[tuple[Any, Held]] = []
        for i, (district, category, day, hour, rate) in enumerate(held):
            on = date(2026, 1, 1) + timedelta(days=5 * day)
            starts = datetime.combine(on, time(hour), SHANGHAI)
            activity = app.schedule_activity(
                title=f"活动{i}",
                team_id=teams[district][i % 2],
                category=category,
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                actor=ACTOR,
                points_per_hour=rate,
            ).id
            own = Decimal(10) if rate is None else rate
            self.held.append(
                (activity, Held(f"活动{i}", district, category, starts, own))
            )

    def record(self, pick: int, member: int, hours: Decimal) -> None:
        activity, held = self.held[pick % len(self.held)]
        name = MEMBERS[member]
        self.app.record_attendance(
            activity, [(self.members[name], hours)], ACTOR, reason="更正"
        )
        self.oracle.record(name, held, hours)

    def revoke(self, pick: int, member: int) -> None:
        activity, held = self.held[pick % len(self.held)]
        name = MEMBERS[member]
        if (name, held.name) not in self.oracle.attended:
            return
        self.app.revoke_attendance(activity, self.members[name], "登记错误", ACTOR)
        self.oracle.revoke(name, held.name)

    def play(self, plan: list[Any]) -> None:
        for step in plan:
            if step[0] == "record":
                self.record(step[1], step[2], step[3])
            elif step[0] == "revoke":
                self.revoke(step[1], step[2])
            else:
                self.publish(step[1], step[2], step[3])

    def draft(self, district: Any, written: tuple[Any, Any]) -> Any:
        """A rule set of these rates and caps (a year's caps only for the
        categories it rates), drafted."""
        rates, caps = written
        body_caps: dict[str, Any] = {}
        if caps["hours"] is not None:
            body_caps["hours_per_activity"] = caps["hours"]
        if caps["day"] is not None:
            body_caps["points_per_member_day"] = caps["day"]
        year_caps = {c: p for c, p in caps["year"].items() if c in rates}
        if year_caps:
            body_caps["points_per_member_year_by_category"] = year_caps
        categories = [
            {"code": code, "name": code, "points_per_hour": rate}
            for code, rate in sorted(rates.items())
        ]
        return self.app.draft_rule_set(
            "规则", district, categories, body_caps, ACTOR
        ).id

    def publish(self, owner: str, day: int, written: tuple[Any, Any]) -> None:
        rates, caps = written
        effective = date(2026, 1, 1) + timedelta(days=3 * day)
        district = None if owner == "deployment" else self.districts[owner]
        drafted = self.draft(district, written)
        published = self.app.publish_rule_set(drafted, effective, ACTOR)
        version = self.oracle.next_version(owner)
        assert published.version == version
        year_caps = {c: p for c, p in caps["year"].items() if c in rates}
        self.oracle.publish(
            Rules(
                owner,
                version,
                effective,
                dict(rates),
                caps["hours"],
                caps["day"],
                year_caps,
            )
        )

    def check(self) -> None:
        self.projector.catch_up()
        queries = Queries(self.projector.view)
        on = date(2026, 12, 6)
        for name, member_id in self.members.items():
            statement = queries.statement(str(member_id), 2026, on)
            titles = {str(a): h.name for a, h in self.held}
            shown = {
                titles[i["activity_id"]]: (
                    _tenths(i["points"]),
                    _tenths(i["full_points"]),
                    i["rule_version"],
                )
                for i in statement["items"]
                if i["status"] in ("recorded", "corrected")
            }
            expected = self.oracle.points(name, 2026)
            assert shown == expected, name
            total = queries.member_points(str(member_id), 2026, on)["points"]
            assert _tenths(total) == sum(p for p, _, _ in expected.values())


def _tenths(text: str) -> int:
    return int(Decimal(text) * 10)


def play(url: str, held: list[Any], plan: list[Any]) -> None:
    app = open_application(parse_database_url(url), clock=Clock(NOW))
    try:
        scenario = Scenario(app, held)
        scenario.play(plan)
        scenario.check()
    finally:
        app.close()


# A later version with a lower cap than the points already counted: none left.
LOWER_CAP = (
    [("海港区", "助老", 0, 9, None), ("海港区", "助老", 2, 9, None)],
    [
        ("publish", "海港区", 0, ({"助老": Decimal(3)}, capped(7))),
        ("record", 0, 0, Decimal(3)),
        ("publish", "海港区", 3, ({"助老": Decimal(3)}, capped(4))),
        ("record", 1, 0, Decimal(2)),
    ],
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(held=activities, plan=steps)
@example(*LOWER_CAP)
def test_rated_points_agree_with_the_oracle_in_memory(
    held: list[Any], plan: list[Any]
) -> None:
    play("memory://", held, plan)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(held=activities, plan=steps)
def test_rated_points_agree_with_the_oracle_on_sqlite(
    held: list[Any], plan: list[Any]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        play(f"sqlite:///{Path(folder) / 'vpoints.db'}", held, plan)


@pytest.mark.postgres
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(held=activities, plan=steps)
def test_rated_points_agree_with_the_oracle_on_postgres(
    held: list[Any], plan: list[Any]
) -> None:
    url = postgres_test_url()
    try:
        play(url, held, plan)
    finally:
        drop_postgres_schema(url)


# A what-if of a district's draft gives the figures the district would have
# with the draft published from 1 January: the same, scope by scope.
others = st.tuples(
    st.just("publish"),
    st.sampled_from([DISTRICTS[1], "deployment"]),
    st.integers(0, 12),
    st.tuples(rates, caps),
)
plain = st.lists(st.one_of(record, record, record, revoke, others), max_size=16)


# An attendance recorded after a later one of the same year, under a cap the
# two reach together.
OUT_OF_ORDER = (
    [("海港区", "助老", 2, 9, None), ("海港区", "助老", 0, 9, None)],
    [("record", 0, 0, Decimal(2)), ("record", 1, 0, Decimal(2))],
    ({"助老": Decimal(3)}, {"hours": None, "day": None, "year": {"助老": Decimal(7)}}),
)
# Rated by the deployment's rules, then by none once its district's own take
# effect in the same page: its own rule's points again.
UNRATED = (
    [("山海关区", "助老", 0, 9, None)],
    [
        ("publish", "deployment", 0, ({"助老": Decimal(1)}, capped(0) | {"year": {}})),
        ("record", 0, 0, Decimal(2)),
        ("publish", "山海关区", 0, ({"环境": Decimal(1)}, capped(0) | {"year": {}})),
    ],
    ({"助老": Decimal(3)}, {"hours": None, "day": None, "year": {}}),
)
# An attendance revoked in the page that the draft would rate.
REVOKED = (
    [("海港区", "助老", 0, 9, None)],
    [("record", 0, 0, Decimal(3)), ("revoke", 0, 0, 0)],
    ({"助老": Decimal(3)}, {"hours": None, "day": None, "year": {}}),
)


# The replay in pages of one or a few events as well as whole: a page then
# rates years whose earlier attendances earlier pages left in the tables.
pages = st.sampled_from([1, 2, 5, replay.DRAFT_PAGE_SIZE])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(held=activities, plan=plain, draft=st.tuples(rates, caps), page=pages)
@example(*REVOKED, replay.DRAFT_PAGE_SIZE)
@example(*REVOKED, 1)
@example(*OUT_OF_ORDER, replay.DRAFT_PAGE_SIZE)
@example(*OUT_OF_ORDER, 1)
@example(*UNRATED, replay.DRAFT_PAGE_SIZE)
@example(*UNRATED, 2)
def test_a_what_if_gives_the_figures_of_the_draft_published(
    held: list[Any], plan: list[Any], draft: tuple[Any, Any], page: int
) -> None:
    app = open_application(parse_database_url("memory://"), clock=Clock(NOW))
    paged = mock.patch.object(replay, "DRAFT_PAGE_SIZE", page)
    try:
        paged.start()
        scenario = Scenario(app, held)
        scenario.play(plan)
        district = scenario.districts[DISTRICTS[0]]
        drafted = scenario.draft(district, draft)
        scenario.projector.catch_up()
        view, sealer = scenario.projector.view, scenario.projector.sealer
        on, rule_set = date(2026, 12, 6), app.rule_set(drafted)
        version = rule_version(
            str(district), 0, date(2026, 1, 1), rule_set.categories, rule_set.caps
        )
        scopes = [("all", None), ("district", str(district))]
        tried = {
            scope: what_if(app, view, sealer, version, *scope, 2026, on)
            for scope in scopes
        }
        app.publish_rule_set(drafted, date(2026, 1, 1), ACTOR)
        scenario.projector.catch_up()
        queries = Queries(view)
        for scope, found in tried.items():
            live = queries.stats(scope[0], scope[1], 2026, on)
            assert found["draft"] == live, {
                k: (found["draft"][k], live[k])
                for k in live
                if found["draft"][k] != live[k]
            }
        # Each community's points: the draft's are those it has now.
        published = what_if(app, view, sealer, version, "all", None, 2026, on)
        assert [
            (c["community_id"], c["draft_points"])
            for c in tried["all", None]["by_community"]
        ] == [
            (c["community_id"], c["current_points"]) for c in published["by_community"]
        ]
    finally:
        paged.stop()
        app.close()

"""The demo is the seed report's three districts: each district's figures for
the current year, read from the projections, are the ones it published, and
every fact behind them keeps the rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from api.demo import DemoSummary, load_demo
from domain.application import VolunteerPoints
from domain.dates import SHANGHAI
from infrastructure.storage import open_application, parse_database_url
from projections.queries import Queries
from projections.runner import Projector
from tests.conftest import Clock

pytestmark = pytest.mark.slow

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
YEAR = TODAY.year
BUSINESS_DATES = (
    "registered_on",
    "founded_on",
    "dissolved_on",
    "joined_on",
    "left_on",
    "reported_on",
    "ended_on",
    "moved_on",
)


@dataclass
class Demo:
    app: VolunteerPoints
    summary: DemoSummary
    queries: Queries

    def district_id(self, name: str) -> str:
        return next(str(d.id) for d in self.summary.districts if d.name == name)

    def figures(self, name: str) -> dict[str, Any]:
        return self.queries.stats("district", self.district_id(name), YEAR, TODAY)

    def communities(self, name: str) -> list[dict[str, Any]]:
        return [
            community
            for street in self.streets(name)
            for community in every_page(self.queries.communities, street["id"])
        ]

    def streets(self, name: str) -> list[dict[str, Any]]:
        return every_page(self.queries.streets, self.district_id(name))


def every_page(
    fetch: Callable[[str, int, str | None], dict[str, Any]], parent_id: str
) -> list[Any]:
    """Every item of a paged list of a place's children, following cursors."""
    items: list[Any] = []
    cursor = None
    while True:
        page = fetch(parent_id, 100, cursor)
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def stored_events(app: VolunteerPoints) -> Iterator[Any]:
    """Every event in the log, in order, read straight from the recorder."""
    start = 1
    while notifications := app.recorder.select_notifications(start=start, limit=5000):
        yield from (app.mapper.to_domain_event(n) for n in notifications)
        start = notifications[-1].id + 1


@pytest.fixture(scope="module")
def demo() -> Iterator[Demo]:
    app = open_application(parse_database_url("memory://"), clock=Clock(NOW))
    summary = load_demo(app)
    projector = Projector(app)
    projector.catch_up()
    try:
        yield Demo(app, summary, Queries(projector.view))
    finally:
        app.close()


def test_the_economic_development_zone_reproduces_its_report(demo: Demo) -> None:
    figures = demo.figures("秦皇岛经济技术开发区")
    assert {
        "communities": figures["communities"],
        "grid_party_organisations": figures["grid_party_organisations"],
        "teams": figures["teams"],
        "volunteers": figures["volunteers"],
        "units_reported": figures["units_reported"],
        "members_reported": figures["members_reported"],
    } == {
        "communities": 20,
        "grid_party_organisations": 187,
        "teams": 68,
        "volunteers": 1225,
        "units_reported": 90,
        "members_reported": 2741,
    }
    assert figures["activities"] >= 300
    organisations = Counter(
        c["party_organisation"] for c in demo.communities("秦皇岛经济技术开发区")
    )
    assert organisations == {"党委": 7, "党支部": 13}


def test_the_beidaihe_new_area_reproduces_its_report(demo: Demo) -> None:
    figures = demo.figures("北戴河新区")
    assert len(demo.streets("北戴河新区")) == 4
    assert {
        "grids": figures["grids"],
        "units_reported": figures["units_reported"],
        "members_reported": figures["members_reported"],
    } == {
        "grids": 43,
        "units_reported": 60,
        "members_reported": 1421,
    }
    # "参与党员志愿服务活动共计5500余人次，人均年积分102分": the members
    # double-reported, not every registered volunteer.
    assert 5500 <= figures["members_reported_participations"] <= 5999
    average = Decimal(figures["members_reported_avg_annual_points"])
    assert Decimal("102.0") <= average <= Decimal("102.9")
    assert figures["participations"] >= figures["members_reported_participations"]
    assert Decimal(figures["avg_annual_points"]) < Decimal(102)


def test_lulong_county_reproduces_its_report(demo: Demo) -> None:
    figures = demo.figures("卢龙县")
    assert 4100 <= figures["members_reported"] <= 4199
    assert figures["activities"] >= 5000
    # "参与党员7000余人次": the participations of the members double-reported.
    assert 7000 <= figures["members_reported_participations"] <= 7499
    assert figures["participations"] >= figures["members_reported_participations"]


def test_the_districts_together_make_the_whole_deployment(demo: Demo) -> None:
    whole = demo.queries.stats("all", None, YEAR, TODAY)
    districts = [demo.figures(d.name) for d in demo.summary.districts]
    for count in ("communities", "teams", "volunteers", "activities", "members"):
        assert whole[count] == sum(f[count] for f in districts), count
    assert whole["participations"] == sum(f["participations"] for f in districts)


def test_only_party_members_double_report(demo: Demo) -> None:
    party_member: dict[UUID, bool] = {}
    reports = 0
    for event in stored_events(demo.app):
        kind = type(event).__qualname__
        if kind == "Member.Registered":
            party_member[event.originator_id] = event.party_member
        elif kind == "Member.DetailsChanged" and "party_member" in event.changes:
            party_member[event.originator_id] = event.changes["party_member"]
        elif kind == "Member.DoubleReported":
            assert party_member[event.originator_id], event.originator_id
            reports += 1
    assert reports > 0
    assert not all(party_member.values())


def test_nothing_is_dated_after_today(demo: Demo) -> None:
    starts: dict[UUID, datetime] = {}
    for event in stored_events(demo.app):
        kind = type(event).__qualname__
        for name in BUSINESS_DATES:
            value = getattr(event, name, None)
            if isinstance(value, date):
                assert value <= TODAY, (kind, name, value)
        if kind == "Activity.Scheduled":
            starts[event.originator_id] = event.starts_at
        elif kind.startswith("Activity.Attendance"):
            assert starts[event.originator_id] <= NOW, event.originator_id


def test_loading_again_gives_the_same_demo(demo: Demo) -> None:
    app = open_application(parse_database_url("memory://"), clock=Clock(NOW))
    try:
        again = load_demo(app)
    finally:
        app.close()
    assert again.position == demo.summary.position
    assert [_without_id(d) for d in again.districts] == [
        _without_id(d) for d in demo.summary.districts
    ]


def _without_id(district: Any) -> dict[str, Any]:
    return {k: v for k, v in asdict(district).items() if k != "id"}

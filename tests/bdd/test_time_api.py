"""The default year, ``as_of``, organisers scoped to a street or a district,
and published reports, told through the HTTP API."""

from __future__ import annotations

from datetime import date
from typing import Any

from pytest_bdd import scenarios, then, when

from tests.bdd.api_steps import (
    ADMIN,
    ORGANIZER,
    THROUGH_THE_API,
    Journey,
)
from tests.bdd.conftest import (
    SCOPE_FIGURES,
    WHOLE,
    figure_step,
    step,
)

pytestmark = THROUGH_THE_API

scenarios("查询的年份与日期.feature", "街道和区县的组织者.feature", "年度报告.feature")

FIGURES = {
    "社区": "communities",
    "服务队": "teams",
    "服务队志愿者": "volunteers",
    "活动": "activities",
    "人次": "participations",
    "积分": "points",
    "注册志愿者": "members",
}
REPORT = "年度报告"
STATS = {
    "community": "/v1/communities/{}/stats",
    "street": "/v1/streets/{}/stats",
    "district": "/v1/districts/{}/stats",
}


# Requests.


@when(step('组织者查看"{scope}" {year:d} 年的数字'))
def organizer_reads(journey: Journey, scope: str, year: int) -> None:
    url = STATS[journey.kinds[scope]].format(journey.id(scope))
    journey.read(ORGANIZER, url, year=year)


@when("管理员查看全市的数字，不写年份")
def admin_reads_all(journey: Journey) -> None:
    journey.read(ADMIN, "/v1/stats")


@when(step('管理员查看"{scope}"的数字，不写年份'))
def admin_reads_scope(journey: Journey, scope: str) -> None:
    journey.read(ADMIN, STATS[journey.kinds[scope]].format(journey.id(scope)))


@when(step("管理员查看全市 {year:d} 年截至 {day:Date} 的数字"))
def admin_reads_all_as_of(journey: Journey, year: int, day: date) -> None:
    journey.read(ADMIN, "/v1/stats", year=year, as_of=day.isoformat())


@when(figure_step("管理员发布{scope:Scope} {year:d} 年的年度报告"))
def publish_report(journey: Journey, scope: str, year: int) -> None:
    body: dict[str, Any] = {"scope": "all", "year": year}
    if scope not in WHOLE:
        body |= {"scope": journey.kinds[scope], "scope_id": journey.id(scope)}
    response = journey.send(ADMIN, "POST", "/v1/reports", body)
    if response.is_success:
        journey.ids[REPORT] = response.json()["id"]


def report(journey: Journey) -> Any:
    return journey.read(ADMIN, f"/v1/reports/{journey.id(REPORT)}").json()


def figures_row(figures: dict[str, Any], datatable: list[list[str]]) -> None:
    header, expected = datatable
    assert [str(figures[SCOPE_FIGURES[label]]) for label in header] == expected


# What the API answered.


@then(step("回答的是 {year:d} 年截至 {day:Date} 的数字"))
def answered_for(journey: Journey, year: int, day: date) -> None:
    answer = journey.answer()
    assert (answer["year"], answer["as_of"]) == (year, day.isoformat())


@then(step('回答中的"{label}"是 {value}'))
def answered_figure(journey: Journey, label: str, value: str) -> None:
    assert str(journey.answer()[FIGURES[label]]) == value


@then("报告的数字是：")
def report_figures(journey: Journey, datatable: list[list[str]]) -> None:
    figures_row(report(journey)["figures"], datatable)


@then("报告现在的数字是：")
def report_current(journey: Journey, datatable: list[list[str]]) -> None:
    figures_row(report(journey)["current"], datatable)


@then("报告没有修订")
def report_not_revised(journey: Journey) -> None:
    assert report(journey)["revised"] is False


@then("报告已修订")
def report_revised(journey: Journey) -> None:
    assert report(journey)["revised"] is True


@then("报告核验一致")
def report_verified(journey: Journey) -> None:
    published = report(journey)
    url = f"/v1/reports/{journey.id(REPORT)}/verify"
    verified = journey.read(ADMIN, url).json()
    assert verified["matches"] is True
    assert verified["position"] == published["position"]
    assert verified["figures"] == published["figures"]
    assert verified["head_digest"] == published["head_digest"]

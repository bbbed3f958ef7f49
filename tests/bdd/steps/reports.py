"""Published annual reports, told through the HTTP API: their figures as
published and as they are now, revised or not, and verified against the log."""

from __future__ import annotations

from typing import Any

from pytest_bdd import then, when

from tests.bdd.drivers import ADMIN, Journey
from tests.bdd.vocabulary import SCOPE_FIGURES, WHOLE, step

REPORT = "年度报告"


@when(step("管理员发布{scope:Scope} {year:d} 年的年度报告"))
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

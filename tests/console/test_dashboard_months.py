"""The console's overview (概览) in a real browser: its participations by month
count what its figures count, the activities up to the as-of date chosen."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.console.conftest import Console, District

pytestmark = pytest.mark.browser


def months_shown(page: Any) -> list[int]:
    """The participations by month of the chart's data table."""
    table = page.locator("table", has=page.locator("caption", has_text="各月参与人次"))
    cells = table.locator("tbody tr td:nth-child(2)")
    return [int(cells.nth(i).text_content() or "") for i in range(12)]


def months_held(d: District, year: int, last: date) -> list[int]:
    """The community's participations by month of its activities from
    1 January of ``year`` to ``last``, as the API lists them."""
    months = [0] * 12
    params: dict[str, Any] = {
        "community_id": d.community,
        "from": f"{year}-01-01T00:00:00+08:00",
        "to": f"{last.isoformat()}T23:59:59+08:00",
    }
    with d.client() as api:
        while True:
            page = api.get("/v1/activities", params=params).json()
            for a in page["items"]:
                months[int(a["date"][5:7]) - 1] += a["attendances"]
            if page["next_cursor"] is None:
                return months
            params["cursor"] = page["next_cursor"]


def test_the_months_chart_counts_activities_up_to_the_as_of_date(
    console: Console,
) -> None:
    d = console.district
    with d.client() as api:
        held = api.get(f"/v1/activities/{d.activity}").json()
    day = date.fromisoformat(held["date"])
    as_of = day - timedelta(days=1)
    page = console.sign_in("organizer")
    page.get_by_label("截至日期（可选）").fill(as_of.isoformat())
    page.get_by_label("年度").select_option(str(as_of.year))
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(f"**as_of={as_of.isoformat()}**")
    page.wait_for_load_state("networkidle")
    shown = months_shown(page)
    assert shown == months_held(d, as_of.year, as_of)
    # The activity held after the as-of date, with its attendance, is left out.
    assert held["attendances"] > 0
    whole_year = months_held(d, as_of.year, date(as_of.year, 12, 31))
    if day.year == as_of.year:
        assert whole_year[day.month - 1] >= shown[day.month - 1] + held["attendances"]

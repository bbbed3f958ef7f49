"""The points rules page: a district's administrator writes a draft with
categories and caps, sees what it would change (the figures now and under
it, who changes most, each community's points), then publishes it; on a
desktop and on a phone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.console.conftest import ADMIN, Console, District, ok

pytestmark = pytest.mark.browser


def small_district(d: District) -> dict[str, str]:
    """A district of its own, so that its rules change nothing elsewhere: a
    community, a member who served 3 hours twice this year."""
    with d.client() as c:
        district = ok(c.post("/v1/districts", json={"name": "山海关区"}))["id"]
        street = ok(
            c.post("/v1/streets", json={"name": "古城街道", "district_id": district})
        )
        community = ok(
            c.post(
                "/v1/communities", json={"name": "东街社区", "street_id": street["id"]}
            )
        )["id"]
        member = ok(
            c.post(
                "/v1/members",
                json={"name": "孙丽", "community_id": community, "party_member": True},
            )
        )["id"]
        team = ok(
            c.post("/v1/teams", json={"name": "古城助老队", "community_id": community})
        )
        position = 0
        for days in (3, 2):
            start = datetime.now(UTC) - timedelta(days=days)
            body = {
                "title": "助老走访",
                "team_id": team["id"],
                "category": "助老",
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=3)).isoformat(),
            }
            activity = ok(c.post("/v1/activities", json=body))["id"]
            records = {"records": [{"member_id": member, "hours": "3"}]}
            url = f"/v1/activities/{activity}/attendance"
            position = ok(c.post(url, json=records))["position"]
    return {"district": district, "member": member, "position": str(position)}


def draft_through_the_page(page: Any, district: str) -> None:
    page.get_by_label("所属").select_option(district)
    page.get_by_label("规则名称").fill("山海关区志愿服务积分管理办法")
    first, second = page.locator("fieldset.category").all()
    first.get_by_label("代码").fill("助老")
    first.get_by_label("名称").fill("助老服务")
    first.get_by_label("每小时积分").fill("3")
    first.get_by_label("每人每年最多计（积分，可选）").fill("12")
    second.get_by_label("代码").fill("环境")
    second.get_by_label("名称").fill("环境整治")
    second.get_by_label("每小时积分").fill("2")
    page.get_by_label("每次活动最多计（小时，可选）").fill("2")
    page.get_by_role("button", name="保存草稿并测算").click()
    page.wait_for_url(lambda url: "rule_set=" in url)
    page.get_by_text("积分有变化的志愿者").wait_for()
    page.wait_for_load_state("networkidle")


def test_a_draft_is_written_measured_and_published(
    console: Console, served: District
) -> None:
    place = small_district(served)
    page = console.sign_in("admin", then="/console/rules")
    draft_through_the_page(page, place["district"])
    rule_set = page.url.split("rule_set=")[1].split("&")[0]
    with served.client(ADMIN) as c:
        answer = ok(c.get(f"/v1/rule-sets/{rule_set}/what-if"))
    # Now 3 h × 10 twice: 60.0. Under the draft 2 h × 3 = 6.0 each, within
    # the year's 助老 cap of 12: 12.0.
    assert (answer["current"]["points"], answer["draft"]["points"]) == ("60.0", "12.0")
    compared = page.get_by_role("region", name="现行规则与这份规则")
    rows = compared.locator("tbody tr").all_inner_texts()
    assert [r.split("\t") for r in rows if r.startswith("积分")] == [
        ["积分", "60.0", "12.0"]
    ]
    assert "积分有变化的志愿者 1 人" in page.locator("main").inner_text()
    changed = page.get_by_role("region", name="变化最大的志愿者（至多 20 人）")
    assert "孙丽" in changed.inner_text()
    assert page.get_by_role("img", name="各社区活动的积分").is_visible()
    page.locator(".chart canvas").first.wait_for()
    console.shoot("rules-what-if")
    page.get_by_label("施行日期").fill(f"{datetime.now(UTC).year}-01-01")
    page.get_by_role("button", name="发布").click()
    page.get_by_text("已发布为第 1 版").wait_for()
    assert "重新计分 2 条参加记录" in page.locator("main").inner_text()
    console.shoot("rules-published")
    with served.client(ADMIN) as c:
        statement = ok(c.get(f"/v1/members/{place['member']}/statement"))
    assert [i["points"] for i in statement["items"]] == ["6.0", "6.0"]


def test_the_rules_page_and_its_what_if_fit_a_phone(
    phone: Console, served: District
) -> None:
    body = {
        "name": "海港区积分管理办法（征求意见稿）",
        "district_id": served.district,
        "categories": [
            {"code": "环境保护", "name": "环境保护", "points_per_hour": "4"}
        ],
    }
    with served.client(ADMIN) as c:
        drafted = ok(c.post("/v1/rule-sets", json=body))["id"]
    page = phone.sign_in("admin", then=f"/console/rules?rule_set={drafted}")
    page.get_by_text("积分有变化的志愿者").wait_for()
    page.locator(".chart canvas").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    phone.shoot("rules-phone")


def test_an_organiser_of_a_community_is_told_rules_are_a_districts(
    console: Console,
) -> None:
    page = console.sign_in("organizer", then="/console/rules")
    assert "你的范围内没有区县" in page.locator("main").inner_text()

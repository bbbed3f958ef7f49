"""What an organiser does with members, teams, redemptions and reports
through the console, each checked through the public API afterwards."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.console.conftest import Console, District, ok

pytestmark = pytest.mark.browser

SHANGHAI = ZoneInfo("Asia/Shanghai")


def day(days_ago: int) -> str:
    return (datetime.now(SHANGHAI).date() - timedelta(days=days_ago)).isoformat()


def register(d: District, name: str, phone: str, **extra: Any) -> str:
    body = {
        "name": name,
        "community_id": d.community,
        "party_member": True,
        "phone": phone,
        "registered_on": day(30),
    } | extra
    with d.client() as api:
        return str(ok(api.post("/v1/members", json=body))["id"])


def read(d: District, path: str, **params: Any) -> dict[str, Any]:
    with d.client() as api:
        return ok(api.get(path, params=params))


def shoot_both(console: Console, name: str) -> None:
    """Screenshots at a desktop's width and a phone's, which it must fit."""
    page = console.page
    console.shoot(f"{name}-desktop")
    page.set_viewport_size({"width": 375, "height": 812})
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 375, f"{name} scrolls sideways at 375px"
    console.shoot(f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def member_page(console: Console, member: str, role: str = "organizer") -> Any:
    d = console.district
    page = console.sign_in(role, f"/console/members/{member}?community={d.community}")
    page.get_by_role("heading", name="修改信息").wait_for()
    return page


def test_an_organiser_redeems_for_a_member_then_cancels_it_from_the_list(
    console: Console,
) -> None:
    d = console.district
    member = register(d, "钱多多", "13500135001")
    with d.client() as api:
        records = {"records": [{"member_id": member, "hours": "2"}]}
        ok(api.post(f"/v1/activities/{d.activity}/attendance", json=records))
        reward = {"name": "毛巾", "points": 1, "stock": 5}
        ok(api.post(f"/v1/communities/{d.community}/rewards", json=reward))
    page = console.sign_in("organizer", f"/console/rewards?community={d.community}")
    page.get_by_label("查找志愿者").fill("钱多多")
    page.get_by_role("button", name="查找").click()
    page.get_by_role("button", name="选择").click()
    page.get_by_label("物品", exact=True).select_option(label="毛巾（1.0 分，库存 5）")
    page.get_by_label("数量", exact=True).fill("2")
    page.get_by_role("button", name="兑换", exact=True).click()
    page.get_by_text("兑换成功，用去 2.0 分").wait_for()
    listed = read(d, f"/v1/communities/{d.community}/redemptions", status="made")
    made = next(r for r in listed["items"] if r["member_id"] == member)
    assert (made["quantity"], made["points"], made["reward"]) == (2, "2.0", "毛巾")

    page.get_by_label("兑换状态").select_option("made")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**status=made**")
    row = page.get_by_role("table", name="兑换记录").locator("tr", has_text="钱多多")
    row.get_by_label(re.compile("的理由")).fill("尺码不合适")
    shoot_both(console, "rewards-redemptions")
    row.get_by_role("button", name="取消并退回积分").click()
    page.get_by_text("已取消，退回 2.0 分").wait_for()
    listed = read(d, f"/v1/communities/{d.community}/redemptions", status="cancelled")
    cancelled = next(r for r in listed["items"] if r["id"] == made["id"])
    assert cancelled["reason"] == "尺码不合适"
    assert cancelled["cancelled_on"] == day(0)


def test_published_reports_are_listed_and_each_opens_its_page(
    console: Console,
) -> None:
    d = console.district
    body = {"scope": "street", "scope_id": d.street, "year": int(day(0)[:4])}
    with d.client() as api:
        published = ok(api.post("/v1/reports", json=body))
    page = console.sign_in("street_organizer", "/console/reports")
    listed = read(d, "/v1/reports")
    assert listed["items"][0]["id"] == published["id"]
    table = page.get_by_role("table", name="已发布的报表")
    shoot_both(console, "reports-list")
    table.get_by_role("link", name=f"{body['year']} 年 · 街道：东环街道").first.click()
    page.wait_for_url(f"**/console/reports/{published['id']}")
    page.get_by_text(f"编号 {published['id']}").wait_for()


def test_an_organiser_edits_a_members_details_and_sees_a_refusal(
    console: Console,
) -> None:
    d = console.district
    member = register(d, "孙丽", "13500135002", party_member=False)
    with d.client() as api:
        grid = {"name": "第五网格", "community_id": d.community}
        grid_id = ok(api.post("/v1/grids", json=grid | {"party_organisation": True}))
    page = member_page(console, member)
    page.get_by_label("姓名").fill("孙丽华")
    page.get_by_label("手机号").fill("13500135012")
    page.get_by_label("网格").select_option(label="第五网格")
    page.get_by_label("党员").check()
    page.get_by_role("button", name="保存修改").click()
    page.get_by_text("已保存：孙丽华").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "孙丽华"
    shoot_both(console, "member-edited")
    changed = read(d, f"/v1/members/{member}")
    assert (changed["name"], changed["phone"]) == ("孙丽华", "13500135012")
    assert (changed["grid_id"], changed["party_member"]) == (grid_id["id"], True)

    page.get_by_label("单位编号").fill("不是编号")
    page.get_by_role("button", name="保存修改").click()
    page.locator(".notice.error").wait_for()
    assert "unit_id" in page.locator(".problem").inner_text()
    assert read(d, f"/v1/members/{member}")["unit_id"] is None
    console.errors = [e for e in console.errors if "422" not in e]


def test_an_organiser_moves_a_member_to_another_community_on_a_date(
    console: Console,
) -> None:
    d = console.district
    member = register(d, "周航", "13500135003")
    page = member_page(console, member, "street_organizer")
    chooser = page.get_by_role("group", name="迁入社区")
    chooser.get_by_text("选择社区", exact=True).click()
    chooser.locator("summary", has_text="东环街道").click()
    chooser.get_by_role("button", name="选择光明社区").click()
    assert chooser.locator(".chosen").inner_text().startswith("社区：光明社区")
    page.get_by_label("迁入日期").fill(day(3))
    page.get_by_role("button", name="迁移").click()
    page.get_by_text(f"已迁往光明社区，自 {day(3)} 起。").wait_for()
    assert read(d, f"/v1/members/{member}")["community_id"] == d.other_community


def test_an_organiser_of_one_community_moves_a_member_out_by_its_number(
    console: Console,
) -> None:
    d = console.district
    member = register(d, "陈晨", "13500135007")
    page = member_page(console, member)
    page.get_by_label("或其他社区的编号").fill("不是编号")
    page.get_by_role("button", name="迁移").click()
    page.locator(".problem .notice.error").wait_for()
    assert read(d, f"/v1/members/{member}")["community_id"] == d.community
    page.get_by_label("或其他社区的编号").fill(d.other_community)
    page.get_by_label("迁入日期").fill(day(1))
    page.get_by_role("button", name="迁移").click()
    page.get_by_text(f"自 {day(1)} 起").wait_for()
    assert read(d, f"/v1/members/{member}")["community_id"] == d.other_community
    console.errors = [e for e in console.errors if "422" not in e]


def test_an_organiser_deregisters_a_member_on_a_date(console: Console) -> None:
    d = console.district
    member = register(d, "吴敏", "13500135004")
    page = member_page(console, member)
    page.get_by_label("注销理由").fill("迁出本市")
    page.get_by_label("注销日期").fill(day(2))
    page.get_by_role("button", name="注销志愿者").click()
    page.get_by_text(f"已注销，自 {day(2)} 起").wait_for()
    assert "已注销" in page.locator("main p.muted").first.inner_text()
    left = read(d, f"/v1/members/{member}")
    assert (left["status"], left["left_on"]) == ("deregistered", day(2))


def test_an_organiser_begins_moves_and_ends_a_members_double_report(
    console: Console,
) -> None:
    d = console.district
    member = register(d, "郑洁", "13500135005")
    page = member_page(console, member, "street_organizer")
    report = page.get_by_role("region", name="双报到（个人报到）")
    report.get_by_text("尚未向居住社区报到。").wait_for()
    assert report.get_by_role("button", name="结束双报到").is_hidden()
    chooser = report.get_by_role("group", name="居住社区")
    chooser.get_by_text("选择社区", exact=True).click()
    chooser.get_by_label("查找社区").fill("光明")
    chooser.get_by_role("button", name="查找", exact=True).click()
    chooser.get_by_role("button", name="选择光明社区").click()
    report.get_by_label("报到日期", exact=True).fill(day(20))
    report.get_by_role("button", name="登记双报到").click()
    report.get_by_text(f"已登记向光明社区的双报到，自 {day(20)} 起。").wait_for()
    report.get_by_text(f"正在向光明社区报到，自 {day(20)} 起。").wait_for()
    shown = read(d, f"/v1/members/{member}")["double_report"]
    assert shown == {"community_id": d.other_community, "reported_on": day(20)}
    shoot_both(console, "member-double-report")
    chooser.get_by_text("选择社区", exact=True).click()
    chooser.locator("summary", has_text="东环街道").click()
    chooser.get_by_role("button", name="选择幸福里社区").click()
    report.get_by_label("报到日期", exact=True).fill(day(5))
    report.get_by_role("button", name="登记双报到").click()
    report.get_by_text(f"正在向幸福里社区报到，自 {day(5)} 起。").wait_for()
    shown = read(d, f"/v1/members/{member}")["double_report"]
    assert shown == {"community_id": d.community, "reported_on": day(5)}
    page.get_by_label("结束报到日期").fill(day(1))
    page.get_by_role("button", name="结束双报到").click()
    page.get_by_text(f"双报到已于 {day(1)} 结束。").wait_for()
    report.get_by_text("尚未向居住社区报到。").wait_for()
    assert read(d, f"/v1/members/{member}")["double_report"] is None


def test_an_organiser_founds_a_team_adds_a_member_takes_it_out_and_dissolves_it(
    console: Console,
) -> None:
    d = console.district
    member = register(d, "冯雪", "13500135006")
    page = console.sign_in("organizer", f"/console/teams?community={d.community}")
    page.get_by_label("队伍名称").fill("银发互助队")
    page.get_by_label("成立日期").fill(day(25))
    page.get_by_role("button", name="成立队伍").click()
    page.get_by_role("link", name="打开银发互助队").click()
    page.get_by_role("heading", name="银发互助队").wait_for()
    team = page.url.split("/console/teams/")[1].split("?")[0]
    assert read(d, f"/v1/teams/{team}")["founded_on"] == day(25)

    page.get_by_label("加入日期").fill(day(20))
    page.get_by_label("查找要加入的志愿者").fill("冯雪")
    page.get_by_role("button", name="查找").click()
    page.get_by_role("button", name="加入队伍").click()
    page.get_by_text(f"冯雪 已于 {day(20)} 加入。").wait_for()
    page.get_by_role("table", name="队员").wait_for()
    joined = read(d, f"/v1/teams/{team}/members")["items"]
    assert [(m["member_id"], m["joined_on"]) for m in joined] == [(member, day(20))]
    shoot_both(console, "team-members")

    page.get_by_label("冯雪 的退出日期").fill(day(5))
    page.get_by_role("button", name="退出队伍").click()
    page.get_by_text(f"冯雪 已于 {day(5)} 退出。").wait_for()
    assert read(d, f"/v1/teams/{team}/members")["items"][0]["left_on"] == day(5)

    page.get_by_label("解散理由").fill("与红马甲志愿服务队合并")
    page.get_by_label("解散日期").fill(day(1))
    page.get_by_role("button", name="解散队伍").click()
    page.get_by_text(f"银发互助队 已于 {day(1)} 解散。").wait_for()
    dissolved = read(d, f"/v1/teams/{team}")
    assert (dissolved["dissolved"], dissolved["dissolved_on"]) == (True, day(1))

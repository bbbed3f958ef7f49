"""The places and accounts pages in a real browser: grids, units and their
double reports, organiser accounts and tokens, each change made through the
console and checked through the API."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.console.conftest import ADMIN, Console

pytestmark = pytest.mark.browser

ADMIN_PAGES = ("/console/units", "/console/organisers", "/console/tokens")


def shanghai_today() -> datetime:
    return datetime.now(ZoneInfo("Asia/Shanghai"))


def shoot_both(console: Console, name: str) -> None:
    """Screenshots of the page as it stands at 1280 and at 375 px, which it fits."""
    page = console.page
    console.shoot(f"{name}-desktop")
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
    console.shoot(f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def refused(console: Console, status: str) -> None:
    """Forgets the browser's note of a response the test asked the API to refuse."""
    console.errors = [e for e in console.errors if status not in e]


def test_an_organiser_adds_a_grid_to_its_community_and_reads_its_figures(
    console: Console,
) -> None:
    d = console.district
    page = console.sign_in("organizer", f"/console/grids?community={d.community}")
    page.get_by_role("heading", name="幸福里社区 · 网格").wait_for()
    with d.client() as api:
        before = api.get(f"/v1/communities/{d.community}/grids").json()
    page.get_by_label("网格名称").fill("   ")
    page.get_by_role("button", name="添加网格").click()
    page.get_by_role("alert").filter(has_text="name").wait_for()
    with d.client() as api:
        assert api.get(f"/v1/communities/{d.community}/grids").json() == before
    refused(console, "422")
    page.get_by_label("网格名称").fill("海景网格")
    page.get_by_label("建有网格党组织").check()
    page.get_by_role("button", name="添加网格").click()
    page.get_by_text("已添加网格“海景网格”。").wait_for()
    row = page.get_by_role("row").filter(has_text="海景网格")
    assert "有" in row.inner_text()
    with d.client(d.tokens["organizer"]) as api:
        grids = api.get(f"/v1/communities/{d.community}/grids").json()["items"]
    assert {"name": "海景网格", "party_organisation": True} in [
        {"name": g["name"], "party_organisation": g["party_organisation"]}
        for g in grids
    ]
    page.get_by_role("button", name="海景网格 本年数据").click()
    page.get_by_role("heading", name="海景网格", exact=False).wait_for()
    assert page.locator(".figure[data-key=volunteers] dd").inner_text() == "0"
    shoot_both(console, "grids-added")


def test_an_organiser_is_not_offered_another_communitys_grids(
    console: Console,
) -> None:
    d = console.district
    page = console.sign_in("other_organizer", f"/console/grids?community={d.community}")
    page.get_by_text("令牌的权限范围不包括这个社区。").wait_for()
    assert page.get_by_role("button", name="添加网格").count() == 0
    # The page asked for the community and was refused: that is the point.
    console.errors = [e for e in console.errors if "403" not in e]


def test_the_admin_registers_a_unit_and_begins_and_ends_its_double_report(
    console: Console,
) -> None:
    d = console.district
    page = console.sign_in("admin", "/console/units")
    page.get_by_label("单位党组织名称").fill("区卫健委机关党支部")
    page.get_by_role("button", name="登记单位").click()
    page.get_by_role("link", name="登记它的双报到").click()
    page.get_by_role("heading", name="区卫健委机关党支部 · 双报到").wait_for()
    unit = page.url.rsplit("/", 1)[1]
    reported = (shanghai_today() - timedelta(days=20)).date().isoformat()
    chooser = page.get_by_role("group", name="报到社区")
    page.get_by_role("button", name="登记双报到").click()
    page.get_by_text("请先选择报到的社区。").wait_for()
    chooser.get_by_text("选择社区", exact=True).click()
    chooser.get_by_label("查找社区").fill("光明")
    chooser.get_by_label("查找社区").press("Enter")
    chooser.get_by_role("button", name="选择光明社区").click()
    assert chooser.locator(".chosen").inner_text().startswith("社区：光明社区")
    page.get_by_label("报到日期").fill(reported)
    page.get_by_role("button", name="登记双报到").click()
    page.get_by_text(f"已登记向光明社区的报到（{reported}）。").wait_for()
    with d.client() as api:
        shown = api.get(f"/v1/units/{unit}/double-reports").json()
    assert shown["communities"] == [
        {"community_id": d.other_community, "reported_on": reported}
    ]
    shoot_both(console, "unit-reported")
    too_early = (shanghai_today() - timedelta(days=30)).date().isoformat()
    page.get_by_label("光明社区 结束日期").fill(too_early)
    page.get_by_role("button", name="结束报到").click()
    page.get_by_role("alert").filter(has_text="早于报到日期").wait_for()
    with d.client() as api:
        unchanged = api.get(f"/v1/units/{unit}/double-reports").json()
    assert unchanged["communities"] == shown["communities"]
    refused(console, "409")
    refused(console, "422")
    ended = shanghai_today().date().isoformat()
    page.get_by_label("光明社区 结束日期").fill(ended)
    page.get_by_role("button", name="结束报到").click()
    page.get_by_text(f"已结束向光明社区的报到（{ended}）。").wait_for()
    page.get_by_text("正在报到的社区：还没有报到的社区").wait_for()
    with d.client() as api:
        after = api.get(f"/v1/units/{unit}/double-reports").json()
    assert after["communities"] == []


def test_the_admin_registers_an_organiser_and_removes_it_after_confirming(
    console: Console,
) -> None:
    d = console.district

    def organisers() -> list[dict[str, object]]:
        with d.client() as api:
            return list(api.get("/v1/organisers").json()["items"])

    before = organisers()
    page = console.sign_in("admin", "/console/organisers")
    page.get_by_label("姓名").fill("周主任")
    page.get_by_label("手机号").fill("13600000001")
    page.get_by_role("button", name="登记组织者").click()
    page.get_by_role("alert").filter(has_text="community_ids").wait_for()
    assert organisers() == before
    refused(console, "422")
    # Down the tree: the district, its street, a community and one of its teams.
    places = page.get_by_role("group", name="权限范围")
    places.get_by_text("添加地方").click()
    places.locator("summary", has_text="海港区").click()
    places.locator("summary", has_text="东环街道").click()
    places.get_by_role("button", name="选择整个街道东环街道").wait_for()
    places.locator("summary", has_text="幸福里社区").click()
    places.get_by_role("button", name="选择整个社区幸福里社区").click()
    places.get_by_role("button", name="选择红马甲志愿服务队").click()
    places.get_by_role("button", name="选择整个街道东环街道").click()
    places.get_by_role("button", name="移除东环街道").click()
    assert places.locator(".chosen li").all_inner_texts() == [
        "社区：幸福里社区\n移除",
        "队伍：红马甲志愿服务队\n移除",
    ]
    page.get_by_role("button", name="登记组织者").click()
    page.get_by_text("已登记组织者“周主任”（136****0001）。").wait_for()
    row = page.get_by_role("row").filter(has_text="周主任")
    assert "社区：幸福里社区；队伍：红马甲志愿服务队" in row.inner_text()
    assert places.locator(".chosen").inner_text() == "尚未选择"
    (organiser,) = [o for o in organisers() if o["name"] == "周主任"]
    assert organiser["community_ids"] == [d.community]
    assert organiser["team_ids"] == [d.team]
    assert organiser["street_ids"] == []
    assert organiser["removed"] is False
    shoot_both(console, "organisers-registered")
    page.get_by_role("button", name="移除周主任").click()
    page.get_by_role("button", name="取消").click()
    page.get_by_role("button", name="移除周主任").click()
    page.get_by_role("button", name="确认移除").click()
    page.get_by_text("已移除“周主任”。").wait_for()
    (organiser,) = [o for o in organisers() if o["name"] == "周主任"]
    assert organiser["removed"] is True


def test_the_admin_issues_a_token_shown_once_copies_it_and_revokes_it(
    browser: object, console: Console
) -> None:
    d = console.district
    console.page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=d.base
    )
    page = console.sign_in("admin", "/console/tokens")
    page.get_by_label("标签").fill("光明社区工作站")
    places = page.get_by_role("group", name="组织者令牌的权限范围")
    places.get_by_text("添加地方").click()
    places.get_by_label("查找社区").fill("光明社区")
    places.get_by_role("button", name="查找", exact=True).click()
    places.get_by_role("button", name="选择光明社区").click()
    page.get_by_role("button", name="签发令牌").click()
    shown = page.get_by_label("新令牌")
    secret = shown.input_value()
    assert secret
    page.get_by_role("button", name="复制令牌").click()
    page.get_by_text("已复制。").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    with d.client(secret) as api:
        scope = api.get("/v1/me/token").json()
    assert scope["role"] == "organizer"
    assert [p["id"] for p in scope["places"]] == [d.other_community]
    shoot_both(console, "tokens-issued")
    console.open("/console/tokens")
    assert page.get_by_label("新令牌").count() == 0
    assert secret not in page.content()
    row = page.get_by_role("row").filter(has_text="光明社区工作站")
    assert "社区：光明社区" in row.inner_text()
    page.get_by_role("button", name="撤销光明社区工作站").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent") == "确认撤销"
    page.keyboard.press("Enter")
    page.get_by_text("已撤销令牌“光明社区工作站”。").wait_for()
    assert "已撤销" in row.inner_text()
    with httpx.Client(base_url=d.base) as api:
        answer = api.get("/v1/me/token", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 401


def test_an_organiser_sees_no_admin_pages_and_is_told_so_at_their_address(
    console: Console,
) -> None:
    page = console.sign_in("organizer")
    menu = page.get_by_role("navigation", name="主菜单")
    assert menu.get_by_role("link", name="网格").count() == 1
    for name in ("单位", "组织者账号", "令牌"):
        assert menu.get_by_role("link", name=name, exact=True).count() == 0
    for path in ADMIN_PAGES:
        console.open(path)
        page.get_by_text("这个页面只对管理员开放").wait_for()
        assert page.locator("main form").count() == 0
    with console.district.client(ADMIN) as api:
        assert api.get("/v1/units").status_code == 200

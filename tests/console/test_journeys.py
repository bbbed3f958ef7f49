"""Organisers' journeys through the console in a real browser, each checking
what the page shows against the public API."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.console.conftest import ADMIN, HOSTILE_NAME, Console, District
from tests.organiser_files import Office, Template

pytestmark = pytest.mark.browser

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIGURES = (
    "teams",
    "volunteers",
    "activities",
    "participations",
    "hours",
    "points",
    "units_reported",
    "members_reported",
    "avg_annual_points",
    "members_reported_participations",
    "members_reported_avg_annual_points",
)
UNLABELLED = """() => [
  ...document.querySelectorAll('main input, main select, main textarea')
].filter((el) => el.type !== 'hidden' && el.labels.length === 0)
 .map((el) => el.name)"""


def pages(d: District) -> dict[str, str]:
    c = d.community
    return {
        "dashboard": "/console/",
        "activities": f"/console/activities?community={c}",
        "activity": f"/console/activities/{d.activity}?community={c}",
        "schedule": f"/console/activities/new?community={c}",
        "members": f"/console/members?community={c}",
        "member": f"/console/members/{d.members['王芳']}?community={c}",
        "roster": f"/console/members/import?community={c}",
        "merge": f"/console/members/merge?community={c}",
        "teams": f"/console/teams?community={c}",
        "team": f"/console/teams/{d.team}?community={c}",
        "claims": f"/console/claims?community={c}&status=",
        "rewards": f"/console/rewards?community={c}",
        "reports": "/console/reports",
        "ledger": "/console/ledger",
        "grids": f"/console/grids?community={c}",
    }


def admin_pages(d: District) -> dict[str, str]:
    """The pages for administrators only, one unit's double reports among them."""
    with d.client(ADMIN) as api:
        units = api.get("/v1/units").json()["items"]
        unit = (
            units[0]
            if units
            else api.post("/v1/units", json={"name": "区教育局机关党委"}).json()
        )
    return {
        "units": "/console/units",
        "unit": f"/console/units/{unit['id']}",
        "organisers": "/console/organisers",
        "tokens": "/console/tokens",
    }


def shown_figures(page: Any) -> dict[str, str]:
    return {
        key: page.locator(f".figure[data-key={key}] dd").inner_text() for key in FIGURES
    }


def test_signing_in_keeps_the_token_in_the_tab_and_shows_the_tokens_scope(
    console: Console,
) -> None:
    page = console.sign_in("organizer")
    assert console.district.tokens["organizer"] not in page.url
    assert (
        page.evaluate("sessionStorage.getItem('vp.token')")
        == (console.district.tokens["organizer"])
    )
    assert page.evaluate("localStorage.length") == 0
    assert "组织者：幸福里社区" in page.locator("header").inner_text()
    menu = page.get_by_role("navigation", name="主菜单")
    assert (
        menu.get_by_role("link", name="活动")
        .get_attribute("href")
        .startswith("/console/activities")
    )
    console.shoot("signin-dashboard")


def test_a_wrong_token_is_refused_on_the_sign_in_page(console: Console) -> None:
    page = console.open("/console/members")
    assert "/console/signin" in page.url
    page.get_by_text("使用令牌登录（管理员）").click()
    page.get_by_label("访问令牌").fill("vp_not_a_token")
    page.get_by_role("button", name="用令牌登录").click()
    page.get_by_text("令牌无效或已撤销").wait_for()
    # The refusal is logged by the browser as a failed request, nothing else.
    console.errors = [e for e in console.errors if "401" not in e]


@pytest.mark.parametrize(
    ("role", "scope"), [("organizer", "community"), ("street_organizer", "street")]
)
def test_the_dashboards_figures_equal_the_published_stats(
    console: Console, role: str, scope: str
) -> None:
    d = console.district
    page = console.sign_in(role)
    place = d.community if scope == "community" else d.street
    path = "communities" if scope == "community" else "streets"
    with d.client(d.tokens[role]) as api:
        stats = api.get(f"/v1/{path}/{place}/stats").json()
    page.locator(".figure").first.wait_for()
    assert shown_figures(page) == {key: str(stats[key]) for key in FIGURES}
    page.locator(".chart canvas").first.wait_for()
    console.shoot(f"dashboard-{scope}")


def test_the_dashboard_shows_an_earlier_year_and_an_as_of_date(
    console: Console,
) -> None:
    d = console.district
    page = console.sign_in("organizer")
    page.get_by_label("截至日期（可选）").fill("2025-06-30")
    page.get_by_label("年度").select_option(str(datetime.now(SHANGHAI).year - 1))
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**as_of=2025-06-30**")
    with d.client() as api:
        stats = api.get(
            f"/v1/communities/{d.community}/stats",
            params={"year": datetime.now(SHANGHAI).year - 1, "as_of": "2025-06-30"},
        ).json()
    page.locator(".figure").first.wait_for()
    assert shown_figures(page) == {key: str(stats[key]) for key in FIGURES}


def test_scheduling_an_activity_and_recording_two_attendances_adds_points(
    console: Console,
) -> None:
    d = console.district
    member = d.members["李娜"]
    with d.client() as api:
        before = api.get(f"/v1/members/{member}/points").json()["points"]
    page = console.sign_in("organizer", f"/console/activities?community={d.community}")
    page.get_by_role("link", name="＋ 安排活动").click()
    start = datetime.now(SHANGHAI) - timedelta(hours=2)
    page.get_by_label("活动名称").fill("敬老院探访")
    page.get_by_label("服务类别").fill("关爱老人")
    page.get_by_label("开始时间").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("结束时间").fill(
        (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="安排活动").click()
    page.wait_for_url("**/console/activities/*-*")
    page.get_by_role("heading", name="敬老院探访").wait_for()
    for person in ("王芳", "13900139000"):
        page.get_by_label("查找志愿者").fill(person)
        page.get_by_role("button", name="查找").first.click()
        page.get_by_role("button", name="加入").first.click()
    page.get_by_label("李娜 的时长（小时）").fill("0.5")
    console.shoot("activity-recording")
    page.get_by_role("button", name="登记签到").click()
    page.get_by_text("已登记 2 人").wait_for()
    page.wait_for_load_state("networkidle")
    page.locator(".figure[data-key=attendances] dd", has_text="2").wait_for()
    page.get_by_role("link", name="李娜").click()
    page.get_by_role("heading", name="李娜").wait_for()
    page.get_by_role("cell", name="敬老院探访").wait_for()
    shown = page.locator(".figure[data-key=points] dd").inner_text()
    assert float(shown) == float(before) + 5.0
    console.shoot("member-after-attendance")


def test_approving_a_claim_records_the_attendance(console: Console) -> None:
    d = console.district
    page = console.sign_in("organizer", f"/console/claims?community={d.community}")
    row = page.get_by_role("row").filter(has_text="补录签到")
    assert "李娜" in row.inner_text()
    console.shoot("claims")
    row.get_by_role("button", name="批准").click()
    page.get_by_text("已批准，签到已登记。").wait_for()
    with d.client() as api:
        claims = api.get(
            f"/v1/communities/{d.community}/hours-claims", params={"status": "approved"}
        ).json()["items"]
    assert [c["note"] for c in claims] == ["补录签到"]


def test_a_roster_with_a_bad_row_is_refused_and_the_row_is_shown(
    console: Console, tmp_path: Path
) -> None:
    d = console.district
    roster = tmp_path / "花名册.csv"
    roster.write_text("姓名,手机号\n陈静,13500135000\n,12345\n", encoding="utf-8")
    page = console.sign_in(
        "organizer", f"/console/members/import?community={d.community}"
    )
    page.get_by_label("花名册文件（CSV、XLSX 或 XLS）").set_input_files(str(roster))
    page.get_by_role("button", name="导入").click()
    errors = page.get_by_role("table", name="有问题的行")
    errors.wait_for()
    cells = errors.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells[0] == "3"
    console.shoot("roster-errors")
    with d.client() as api:
        found = api.get(f"/v1/communities/{d.community}/members", params={"q": "陈静"})
    assert found.json()["items"] == []
    console.errors = [e for e in console.errors if "422" not in e]


def test_a_roster_below_a_title_is_checked_and_its_layout_shown(
    console: Console, office: Office, tmp_path: Path
) -> None:
    d = console.district
    template = Template(
        "roster-with-title",
        (
            ("幸福里社区志愿者花名册（2026年）",),
            ("填报日期：2026年3月1日",),
            ("序号", "姓名", "手机号", "签名", "备注"),
            (1, "马骏", 13500135901, None, "组长"),
            (),
            (2, "马骁", 13500135902),
            ("填表人：王芳", None, "审核人：李华"),
        ),
        ("A1:E1",),
    )
    roster = tmp_path / "花名册.xls"
    roster.write_bytes(office.file(template, "xls"))
    page = console.sign_in(
        "organizer", f"/console/members/import?community={d.community}"
    )
    page.get_by_label("花名册文件（CSV、XLSX 或 XLS）").set_input_files(str(roster))
    page.get_by_label("只检查，不登记").check()
    page.get_by_role("button", name="导入").click()
    shown = page.get_by_role("status")
    shown.wait_for()
    assert shown.inner_text() == (
        "检查通过：共 2 行，新登记 2 人，已存在 0 人。"
        "表头在第 3 行；已忽略的列：序号、签名、备注。"
    )
    console.shoot("roster-layout")
    with d.client() as api:
        found = api.get(f"/v1/communities/{d.community}/members", params={"q": "马骏"})
    assert found.json()["items"] == []


def test_the_ledger_downloads_as_a_spreadsheet(console: Console) -> None:
    page = console.sign_in("organizer", "/console/ledger")
    with page.expect_download() as downloading:
        page.get_by_role("button", name="下载台账").click()
    download = downloading.value
    assert download.suggested_filename.endswith(".xlsx")
    assert Path(download.path()).read_bytes()[:2] == b"PK"
    page.get_by_text("已下载").wait_for()


def test_a_member_named_like_markup_is_shown_as_text(console: Console) -> None:
    d = console.district
    page = console.sign_in("organizer", f"/console/members?community={d.community}")
    page.get_by_role("link", name=HOSTILE_NAME).wait_for()
    assert page.locator("main img").count() == 0
    page.get_by_role("link", name=HOSTILE_NAME).click()
    page.get_by_role("heading", name=HOSTILE_NAME).wait_for()
    assert page.locator("main img").count() == 0


def test_an_organizer_does_not_see_another_communitys_data(console: Console) -> None:
    d = console.district
    page = console.sign_in(
        "other_organizer", f"/console/members?community={d.community}"
    )
    page.get_by_text("令牌的权限范围不包括这个社区。").wait_for()
    assert "王芳" not in page.locator("main").inner_text()
    assert page.get_by_role("link", name="光明社区").count() == 1
    assert page.get_by_role("link", name="幸福里社区").count() == 0
    console.open(f"/console/members/{d.members['王芳']}")
    page.get_by_text("forbidden").wait_for()
    assert "13800138000" not in page.locator("main").inner_text()
    console.errors = [e for e in console.errors if "403" not in e]


def test_links_are_real_and_the_back_button_returns(console: Console) -> None:
    d = console.district
    page = console.sign_in("organizer", f"/console/activities?community={d.community}")
    page.get_by_role("link", name="垃圾分类宣传").click()
    page.get_by_role("heading", name="垃圾分类宣传").wait_for()
    assert f"/console/activities/{d.activity}" in page.url
    page.go_back()
    page.get_by_role("heading", name="幸福里社区 · 活动").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (375, "phone")])
def test_every_page_draws_without_errors_labels_every_input_and_fits_the_width(
    browser: Any, served: District, width: int, name: str
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN"
    )
    console = Console(context.new_page(), served)
    console.page.set_default_timeout(10_000)
    for role, drawn in (("organizer", pages), ("admin", admin_pages)):
        console.sign_in(role)
        for page_name, path in drawn(served).items():
            page = console.open(path)
            page.locator("main h1").first.wait_for()
            assert page.locator("main .notice.error").count() == 0, page_name
            assert page.evaluate(UNLABELLED) == [], page_name
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{page_name} scrolls sideways at {width}px"
            console.shoot(f"{page_name}-{name}")
    context.close()
    assert not console.errors, console.errors


def test_the_admin_sees_the_whole_deployment(console: Console) -> None:
    page = console.sign_in("admin")
    assert "管理员" in page.locator("header").inner_text()
    page.get_by_role("link", name="海港区").wait_for()
    with console.district.client(ADMIN) as api:
        stats = api.get("/v1/stats").json()
    assert shown_figures(page) == {key: str(stats[key]) for key in FIGURES}


@pytest.mark.parametrize(
    ("page_path", "drawn"), [("/docs", ".swagger-ui .info .title"), ("/redoc", "h1")]
)
def test_the_docs_draw_with_no_way_out_of_the_server(
    browser: Any, served: District, page_path: str, drawn: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    leaving: list[str] = []

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(served.base):
            route.continue_()
        else:
            leaving.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    console = Console(context.new_page(), served)
    page = console.open(page_path)
    page.locator(drawn).first.wait_for()
    assert "志愿积分" in page.locator(drawn).first.inner_text()
    # The first screen: the whole reference is tens of thousands of pixels.
    console.shoot(f"api-docs{page_path.replace('/', '-')}", full_page=False)
    context.close()
    assert leaving == []


def test_a_published_report_is_shown_and_verified(console: Console) -> None:
    page = console.sign_in("organizer", "/console/reports")
    # The organiser's own community is chosen to begin with.
    chosen = page.get_by_role("group", name="范围").locator(".chosen")
    assert chosen.inner_text().startswith("社区：幸福里社区")
    page.get_by_role("button", name="发布").click()
    page.wait_for_url("**/console/reports/*-*")
    page.get_by_text("发布后数字没有变化。").wait_for()
    year = datetime.now(SHANGHAI).year
    page.get_by_role("heading", name=f"幸福里社区 · {year} 年度报表").wait_for()
    page.get_by_role("button", name="核验（重放事件日志）").click()
    page.get_by_text("核验一致").wait_for()
    console.shoot("report")


def test_a_certificate_is_issued_and_its_pdf_downloaded(console: Console) -> None:
    d = console.district
    member = f"/console/members/{d.members['王芳']}?community={d.community}"
    page = console.sign_in("organizer", member)
    page.get_by_role("button", name="开具志愿服务证明").click()
    page.get_by_text("已开具证明").wait_for()
    with page.expect_download() as downloading:
        page.get_by_role("button", name="下载 PDF").click()
    assert Path(downloading.value.path()).read_bytes()[:5] == b"%PDF-"
    console.shoot("certificate")

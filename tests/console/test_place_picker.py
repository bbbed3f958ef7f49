"""Choosing a community among a province's 1,500: by name, or down the tree
district → street → community, the last choice offered first; and dates
typed as YYYY-MM-DD whatever the browser's locale."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.auth import BOOTSTRAP_ADMIN
from api.main import create_app
from api.settings import Settings
from tests.console.conftest import (
    ADMIN,
    Console,
    District,
    opened_console,
    serving,
)

pytestmark = pytest.mark.browser

DISTRICTS, STREETS, COMMUNITIES = 10, 15, 10  # 1,500 communities


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[District]:
    """A served deployment of 10 districts of 15 streets of 10 communities."""
    folder = tmp_path_factory.mktemp("province")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'vpoints.db'}", admin_token=ADMIN
    )
    application = create_app(settings)
    app = application.state.system.app
    for d in range(1, DISTRICTS + 1):
        district = app.register_district(f"第{d}区", BOOTSTRAP_ADMIN).id
        for s in range(1, STREETS + 1):
            street = app.register_street(f"第{d}区{s}街道", district, BOOTSTRAP_ADMIN)
            for c in range(1, COMMUNITIES + 1):
                name = f"{d}-{s}-{c}社区"
                app.register_community(name, None, BOOTSTRAP_ADMIN, street_id=street.id)
    with serving(application) as base:
        yield District(base)


@pytest.fixture
def admin(browser: Any, province: District) -> Iterator[Console]:
    yield from opened_console(
        browser, province, viewport={"width": 1280, "height": 900}
    )


@pytest.fixture
def admin_phone(browser: Any, province: District) -> Iterator[Console]:
    yield from opened_console(
        browser, province, viewport={"width": 375, "height": 812}, is_mobile=True
    )


def test_a_community_is_found_by_name_among_1500(admin: Console) -> None:
    page = admin.sign_in("admin", "/console/members")
    assert page.locator("main a[href*='community=']").count() == 0
    assert page.locator(".picker .tree > li").count() == DISTRICTS
    page.get_by_label("查找社区").fill("7-12-3社区")
    page.get_by_role("button", name="查找", exact=True).click()
    found = page.locator(".picker .found a")
    found.first.wait_for()
    assert found.all_inner_texts() == ["7-12-3社区"]
    assert "第7区12街道 · 第7区" in page.locator(".picker .found li").inner_text()
    admin.shoot("place-picker-search")
    found.first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "7-12-3社区 · 志愿者"


def test_a_search_shows_twenty_then_more(admin: Console) -> None:
    page = admin.sign_in("admin", "/console/activities")
    page.get_by_label("查找社区").fill("第3区")
    page.get_by_role("button", name="查找", exact=True).click()
    found = page.locator(".picker .found a")
    found.first.wait_for()
    assert found.count() == 20
    page.get_by_role("button", name="显示更多").click()
    page.wait_for_function("document.querySelectorAll('.picker .found a').length > 20")
    assert found.count() == 40


def test_the_tree_opens_level_by_level_by_keyboard_and_remembers(
    admin: Console,
) -> None:
    page = admin.sign_in("admin", "/console/members")
    district = page.locator(".picker summary", has_text="第2区").first
    district.focus()
    page.keyboard.press("Enter")
    street = page.locator(".picker summary", has_text="第2区5街道")
    street.wait_for()
    assert page.locator(".picker .tree .tree > li").count() == STREETS
    street.focus()
    page.keyboard.press("Enter")
    community = page.get_by_role("link", name="2-5-9社区")
    community.wait_for()
    admin.shoot("place-picker-tree")
    community.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**community=*")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "2-5-9社区 · 志愿者"
    admin.open("/console/activities")
    last = page.get_by_role("link", name="2-5-9社区")
    assert "上次选择" in page.locator(".picker > p").inner_text()
    last.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("2-5-9社区")


def test_a_form_adds_places_by_name_and_down_the_tree_among_1500(
    admin: Console, province: District
) -> None:
    page = admin.sign_in("admin", "/console/organisers")
    places = page.get_by_role("group", name="权限范围")
    # Only the districts are read until a branch is opened.
    assert places.locator("button.choice").count() == DISTRICTS
    places.get_by_text("添加地方").click()
    places.get_by_label("查找社区").fill("7-12-3社区")
    places.get_by_label("查找社区").press("Enter")
    places.get_by_role("button", name="选择7-12-3社区").click()
    places.locator("summary", has_text="第2区").first.click()
    places.locator("summary", has_text="第2区5街道").click()
    places.get_by_role("button", name="选择整个街道第2区5街道").click()
    chosen = places.locator(".chosen li")
    assert chosen.all_inner_texts() == [
        "社区：7-12-3社区\n移除",
        "街道：第2区5街道\n移除",
    ]
    admin.shoot("place-chooser-form")
    page.get_by_label("姓名").fill("吴主任")
    page.get_by_label("手机号").fill("13600000077")
    page.get_by_role("button", name="登记组织者").click()
    row = page.get_by_role("row").filter(has_text="吴主任")
    row.wait_for()
    assert "街道：第2区5街道；社区：7-12-3社区" in row.inner_text()
    with province.client() as api:
        (added,) = [
            o
            for o in api.get("/v1/organisers").json()["items"]
            if o["name"] == "吴主任"
        ]
    assert [p["name"] for p in added["places"]] == ["第2区5街道", "7-12-3社区"]


def test_the_picker_fits_a_phone(admin_phone: Console) -> None:
    page = admin_phone.sign_in("admin", "/console/members")
    page.locator(".picker summary", has_text="第1区").first.click()
    page.locator(".picker summary", has_text="第1区1街道").click()
    page.get_by_role("link", name="1-1-1社区").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    admin_phone.shoot("place-picker-phone")


def test_dates_are_typed_as_year_month_day_whatever_the_locale(
    browser: Any, province: District
) -> None:
    for console in opened_console(
        browser, province, viewport={"width": 1280, "height": 900}, locale="en-US"
    ):
        page = console.sign_in("admin", "/console/")
        as_of = page.get_by_label("截至日期（可选）")
        assert as_of.get_attribute("type") == "text"
        assert as_of.get_attribute("placeholder") == "YYYY-MM-DD"
        as_of.fill("06/01/2026")
        assert not page.evaluate("document.activeElement.form.checkValidity()")
        as_of.fill("2026-02-30")
        assert not page.evaluate("document.activeElement.form.checkValidity()")
        as_of.fill("2026-06-01")
        assert page.evaluate("document.activeElement.form.checkValidity()")

"""Members and organisers signing in with phone and code on a phone-sized
screen (375 px), the member's own pages, and check-in at the door; each
figure shown is checked against the API."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.console.conftest import Console, District, ok

pytestmark = pytest.mark.browser

WANG = "13800138000"
LI = "13900139000"
ZHAO = "13600136000"
ORGANISER = "13500135000"


def phone_sign_in(console: Console, phone: str, role: str, then: str) -> Any:
    """Signs in as the page asks: a code to the phone, read from the SMS
    gateway the test runs, then the code."""
    page = console.open(f"/console/signin?next={then}")
    page.get_by_label("手机号").fill(phone)
    console.district.codes.pop(phone, None)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_text("验证码已发送").wait_for()
    code = wait_for_code(console.district, phone)
    page.get_by_label("验证码", exact=True).fill(code)
    page.get_by_label("身份").select_option(role)
    console.shoot(f"signin-{role}-phone")
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/console/signin" not in url)
    page.wait_for_load_state("networkidle")
    return page


def wait_for_code(district: District, phone: str) -> str:
    """The code the gateway was sent, which the server sends after answering."""
    deadline = time.monotonic() + 10
    while phone not in district.codes:
        assert time.monotonic() < deadline, f"no code was sent to {phone}"
        time.sleep(0.05)
    return district.codes[phone]


def test_a_member_signs_in_with_a_code_and_sees_points_equal_to_the_api(
    phone: Console,
) -> None:
    d = phone.district
    page = phone_sign_in(phone, WANG, "member", "/console/me")
    assert page.url.endswith("/console/me")
    member = d.members["王芳"]
    with d.client() as c:
        points = ok(c.get(f"/v1/members/{member}/points"))
        account = ok(c.get(f"/v1/members/{member}/account"))
    shown = {
        key: page.locator(f".figure[data-key={key}] dd").inner_text()
        for key in ("points", "lifetime_points", "balance")
    }
    assert shown == {
        "points": points["points"],
        "lifetime_points": points["lifetime_points"],
        "balance": account["balance"],
    }
    assert page.evaluate("localStorage.getItem('vp.refresh')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    phone.shoot("me-phone")
    page = phone.open("/console/me/activities")
    page.get_by_label("活动", exact=True).select_option(label=None, value=d.at_the_door)
    page.get_by_label("时长（小时）").fill("1")
    page.get_by_label("说明").fill("扫码时手机没电")
    page.get_by_role("button", name="提交申报").click()
    page.get_by_text("已提交，等待组织者审核").wait_for()
    with d.client() as c:
        claims = ok(c.get(f"/v1/communities/{d.community}/hours-claims"))["items"]
    assert any(
        (k["member_id"], k["activity_id"], k["hours"]) == (member, d.at_the_door, "1")
        for k in claims
    ), claims
    page = phone.open("/console/me/rewards")
    page.get_by_role("row").filter(has_text="环保购物袋").get_by_role(
        "button", name="兑换"
    ).click()
    page.get_by_text("已兑换").wait_for()
    with d.client() as c:
        after = ok(c.get(f"/v1/members/{member}/account"))["balance"]
    assert page.get_by_text(f"剩余 {after} 分").is_visible()
    for name, path in (
        ("statement", "/console/me/statement"),
        ("rewards", "/console/me/rewards"),
        ("certificates", "/console/me/certificates"),
    ):
        page = phone.open(path)
        page.locator("main h1").first.wait_for()
        assert page.locator("main .notice.error").count() == 0, name
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
        phone.shoot(f"me-{name}-phone")


def test_a_member_signs_up_and_checks_in_by_the_code_at_the_door(
    phone: Console,
) -> None:
    d = phone.district
    page = phone_sign_in(phone, LI, "member", "/console/me/activities")
    row = page.get_by_role("row").filter(has_text="社区义诊")
    row.get_by_role("button", name="报名").click()
    page.get_by_text("已报名").wait_for()
    phone.shoot("me-activities-phone")
    with d.client() as c:
        signups = ok(c.get(f"/v1/activities/{d.upcoming}/signups"))["items"]
        assert d.members["李娜"] in [s["member_id"] for s in signups]
        shown = ok(c.get(f"/v1/activities/{d.at_the_door}/checkin-code"))
    page = phone.open(shown["url"].removeprefix(d.base))
    page.get_by_text("签到成功").wait_for()
    phone.shoot("checkin-phone")
    with d.client() as c:
        listed = ok(c.get(f"/v1/activities/{d.at_the_door}/checkins"))["items"]
    assert d.members["李娜"] in [i["member_id"] for i in listed]


def test_an_organiser_signs_in_with_a_code_sees_the_door_code_and_confirms(
    phone: Console,
) -> None:
    d = phone.district
    with d.client() as c:
        body = {"name": "张主任", "phone": ORGANISER, "community_ids": [d.community]}
        if c.post("/v1/organisers", json=body).status_code not in (201, 409):
            pytest.fail("the organiser account was not registered")
    activity = f"/console/activities/{d.at_the_door}?community={d.community}"
    page = phone_sign_in(phone, ORGANISER, "organizer", activity)
    assert "组织者：幸福里社区" in page.locator("header").inner_text()
    door = page.get_by_role("region", name="扫码签到")
    image = door.get_by_role("img", name="签到二维码：志愿者用手机扫码签到、签退")
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    door.get_by_role("button", name="确认扫码签到，记入参加记录").click()
    door.locator(".notice.ok").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    phone.shoot("activity-door-phone")
    with d.client() as c:
        listed = ok(c.get(f"/v1/activities/{d.at_the_door}/checkins"))["items"]
    confirmed = door.locator(".notice.ok").inner_text()
    missing = sum(1 for i in listed if i["checked_out_at"] is None)
    if missing:
        assert f"{missing} 人未签退" in confirmed


def test_a_member_session_opens_only_the_members_own_pages(phone: Console) -> None:
    page = phone_sign_in(phone, ZHAO, "member", "/console/me")
    page = phone.open("/console/activities")
    page.wait_for_url(lambda url: url.endswith("/console/me"))
    header = page.locator("header").inner_text()
    assert "组织者工作台" not in header
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(lambda url: "/console/signin" in url)
    assert page.evaluate("localStorage.getItem('vp.refresh')") is None


def test_the_members_pages_draw_at_a_desktops_width(console: Console) -> None:
    d = console.district
    console.open("/console/signin")
    console.shoot("signin-desktop")
    page = phone_sign_in(console, "13700137000", "member", "/console/me")
    with d.client() as c:
        shown = ok(c.get(f"/v1/activities/{d.at_the_door}/checkin-code"))
    for name, path in (
        ("me", "/console/me"),
        ("me-statement", "/console/me/statement"),
        ("me-activities", "/console/me/activities"),
        ("me-rewards", "/console/me/rewards"),
        ("me-certificates", "/console/me/certificates"),
        ("checkin", shown["url"].removeprefix(d.base)),
    ):
        page = console.open(path)
        page.locator("main h1").first.wait_for()
        assert page.locator("main .notice.error").count() == 0, name
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name
        console.shoot(f"{name}-desktop")
    assert page.get_by_text("签到成功").is_visible()

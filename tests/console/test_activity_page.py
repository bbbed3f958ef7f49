"""An activity's page: its attendances and sign-ups as the API lists them,
on a desktop and on a phone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.console.conftest import HOSTILE_NAME, Console, District, ok

pytestmark = pytest.mark.browser

STATUS = {"recorded": "有效", "corrected": "已更正", "revoked": "已撤销"}


def schedule(d: District, title: str, starts_in: timedelta) -> str:
    start = datetime.now(UTC) + starts_in
    body = {
        "title": title,
        "team_id": d.team,
        "category": "医疗服务",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "location": "社区卫生服务站",
    }
    with d.client() as api:
        return str(ok(api.post("/v1/activities", json=body))["id"])


def listed(d: District, activity: str, what: str) -> list[dict[str, Any]]:
    with d.client() as api:
        items: list[dict[str, Any]] = ok(api.get(f"/v1/activities/{activity}/{what}"))[
            "items"
        ]
    return items


def rows(page: Any, caption: str, columns: int) -> list[list[str]]:
    body = page.get_by_role("table", name=caption).locator("tbody tr")
    return [row.locator("td").all_inner_texts()[:columns] for row in body.all()]


def attendance_rows(d: District, activity: str) -> list[list[str]]:
    """What the attendance table should show: name, hours, points, status
    and reason, as the API lists them."""
    return [
        [a["name"], a["hours"], a["points"], STATUS[a["status"]], a["reason"] or "—"]
        for a in listed(d, activity, "attendances")
    ]


def shown_attendances(page: Any) -> list[list[str]]:
    shown = rows(page, "签到记录", 6)
    return [[*row[:4], row[5]] for row in shown]


def test_the_activity_page_lists_attendances_as_they_stand_and_revokes_one(
    console: Console,
) -> None:
    d = console.district
    activity = schedule(d, "社区义诊", timedelta(hours=-1))
    records = [
        {"member_id": d.members["王芳"], "hours": "1"},
        {"member_id": d.members["李娜"], "hours": "0.5"},
    ]
    with d.client() as api:
        ok(api.post(f"/v1/activities/{activity}/attendance", json={"records": records}))
        correction = {"records": [records[0] | {"hours": "1.5"}], "reason": "补记"}
        ok(api.post(f"/v1/activities/{activity}/attendance", json=correction))
    page = console.sign_in(
        "organizer", f"/console/activities/{activity}?community={d.community}"
    )

    assert shown_attendances(page) == attendance_rows(d, activity)
    assert sorted(row[3] for row in shown_attendances(page)) == ["已更正", "有效"]

    page.get_by_label("撤销 李娜 的理由").fill("未到场")
    page.get_by_role("row").filter(has_text="李娜").get_by_role(
        "button", name="撤销"
    ).click()
    page.get_by_role("cell", name="已撤销").wait_for()
    page.wait_for_load_state("networkidle")

    assert shown_attendances(page) == attendance_rows(d, activity)
    revoked = [row for row in shown_attendances(page) if row[0] == "李娜"]
    assert revoked == [["李娜", "0.5", "0.0", "已撤销", "未到场"]]
    page.locator(".figure[data-key=attendances] dd", has_text="1").wait_for()

    page.get_by_text("变更历史").click()
    history = page.get_by_role("table", name="变更历史").locator("tbody tr")
    history.first.wait_for()
    assert history.count() == len(listed(d, activity, "history")) == 4
    console.shoot("activity-attendances")


def test_the_activity_page_lists_its_signups_on_a_phone(phone: Console) -> None:
    d = phone.district
    activity = schedule(d, "健康讲座", timedelta(days=2))
    with d.client() as api:
        for name in ("王芳", HOSTILE_NAME):
            body = {"member_id": d.members[name]}
            ok(api.post(f"/v1/activities/{activity}/signups", json=body))
    page = phone.sign_in(
        "organizer", f"/console/activities/{activity}?community={d.community}"
    )

    shown = rows(page, "报名名单", 1)
    assert shown == [[s["name"]] for s in listed(d, activity, "signups")]
    assert sorted(shown) == sorted([["王芳"], [HOSTILE_NAME]])
    # The one image is the check-in QR code; a name never becomes one.
    assert page.locator("main img:not(.qr)").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    phone.shoot("activity-signups-phone")

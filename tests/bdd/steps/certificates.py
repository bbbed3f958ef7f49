"""Service certificates (志愿服务证明), told through the HTTP API: issued for a
period, unchanged by later corrections, verified by anyone with the name
masked."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pytest_bdd import given, then, when

from tests.bdd.drivers import ADMIN, Journey
from tests.bdd.vocabulary import step

ASCII_NUMBER = re.compile(r"[A-Za-z0-9-]+")
FIGURES = (
    '"{name}"，手机号 {phone}，{start:Date} 至 {end:Date} 服务 {hours} 小时、'
    "{activities:d} 次活动"
)
VERIFIED = (
    '不带令牌查验这张证明，它是真实的，姓名显示为"{name}"，{start:Date} 至 '
    "{end:Date} 服务 {hours} 小时、{activities:d} 次活动"
)


def certificate_of(journey: Journey) -> dict[str, Any]:
    certificate: dict[str, Any] = journey.answer()
    journey.ids["证明"] = certificate["number"]
    return certificate


def issue(journey: Journey, who: str, member: str, body: dict[str, str]) -> None:
    url = f"/v1/members/{journey.id(member)}/certificates"
    journey.send(who, "POST", url, body)
    if journey.response is not None and journey.response.is_success:
        certificate_of(journey)


@given(step('管理员已为"{member}"出具志愿服务证明'))
def certificate_issued(journey: Journey, member: str) -> None:
    issue(journey, ADMIN, member, {})
    certificate_of(journey)


@when(step('管理员为"{member}"出具志愿服务证明'))
def admin_issues(journey: Journey, member: str) -> None:
    issue(journey, ADMIN, member, {})


@when(step('管理员为"{member}"出具 {start:Date} 至 {end:Date} 的志愿服务证明'))
def admin_issues_for_period(
    journey: Journey, member: str, start: date, end: date
) -> None:
    body = {"from": start.isoformat(), "to": end.isoformat()}
    issue(journey, ADMIN, member, body)


@when(step('"{member}"为自己出具志愿服务证明'))
def member_issues(journey: Journey, member: str) -> None:
    issue(journey, member, member, {})


@when(step('不带令牌查验证明编号"{number}"'))
def verify_number(journey: Journey, number: str) -> None:
    journey.check_no_unexpected_refusal()
    response = journey.api.client.get(f"/v1/certificates/{number}")
    journey.response, journey.unchecked = response, not response.is_success


@then(step("证明写明" + FIGURES))
def certificate_states(
    journey: Journey,
    name: str,
    phone: str,
    start: date,
    end: date,
    hours: str,
    activities: int,
) -> None:
    certificate = certificate_of(journey)
    assert (certificate["name"], certificate["masked_phone"]) == (name, phone)
    assert (certificate["from"], certificate["to"]) == (
        start.isoformat(),
        end.isoformat(),
    )
    assert (certificate["hours"], certificate["activities"]) == (hours, activities)
    assert certificate["member_id"] == journey.id(name)


@then(step('证明的出具组织是"{issuer}"，出具日期 {day:Date}'))
def certificate_issuer(journey: Journey, issuer: str, day: date) -> None:
    certificate = certificate_of(journey)
    assert (certificate["issuer"], certificate["issued_at"]) == (
        issuer,
        day.isoformat(),
    )


@then("证明编号只含 ASCII 字母、数字和连字符")
def ascii_number(journey: Journey) -> None:
    assert ASCII_NUMBER.fullmatch(certificate_of(journey)["number"])


@then(step(VERIFIED))
def verified(
    journey: Journey,
    name: str,
    start: date,
    end: date,
    hours: str,
    activities: int,
) -> None:
    response = journey.api.client.get(f"/v1/certificates/{journey.id('证明')}")
    assert response.status_code == 200, response.text
    journey.response = response
    answer = response.json()
    assert answer["genuine"] is True
    assert answer["name"] == name
    assert (answer["from"], answer["to"]) == (start.isoformat(), end.isoformat())
    assert (answer["hours"], answer["activities"]) == (hours, activities)


@then("查验结果里没有手机号和志愿者编号")
def nothing_personal(journey: Journey) -> None:
    assert journey.response is not None
    text = journey.response.text
    assert "13912345678" not in text
    assert "139****5678" not in text
    assert journey.id("侯明亮") not in text


@then("查验结果说明这不是真实的证明")
def not_genuine(journey: Journey) -> None:
    assert journey.refusal().json()["genuine"] is False

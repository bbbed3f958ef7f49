"""Check-in at the door through the API: members scan the code the organiser's
page shows; the organiser confirms."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from pytest_bdd import given, then, when

from tests.bdd.drivers import ORGANIZER, Journey
from tests.bdd.vocabulary import given_or_when, names, shanghai, step, table_rows


@pytest.fixture
def photos() -> dict[str, tuple[str, str]]:
    """Codes photographed, by nothing but the order taken: activity and code."""
    return {}


def shown_code(journey: Journey, activity: str) -> str:
    """The code the activity's page shows now."""
    answer = journey.read(
        ORGANIZER, f"/v1/activities/{journey.id(activity)}/checkin-code"
    )
    code: str = journey.answer()["code"]
    assert answer.status_code == 200
    return code


def scan(journey: Journey, member: str, activity: str, code: str) -> None:
    journey.send(
        member,
        "POST",
        f"/v1/activities/{journey.id(activity)}/checkins",
        {"code": code},
    )


@given_or_when('"{member}"扫描"{activity}"现场的二维码')
def scans(journey: Journey, member: str, activity: str) -> None:
    scan(journey, member, activity, shown_code(journey, activity))


@when(step('"{member}"在"{activity}"现场扫了"{other}"的二维码'))
def scans_another(journey: Journey, member: str, activity: str, other: str) -> None:
    scan(journey, member, activity, shown_code(journey, other))


@given(step('有人拍下了"{activity}"现场的二维码'))
def photographed(
    journey: Journey, photos: dict[str, tuple[str, str]], activity: str
) -> None:
    photos["last"] = (activity, shown_code(journey, activity))


@when(step('"{member}"扫描拍下的二维码'))
def scans_photo(
    journey: Journey, photos: dict[str, tuple[str, str]], member: str
) -> None:
    activity, code = photos["last"]
    scan(journey, member, activity, code)


@given_or_when('组织者确认"{activity}"的扫码签到')
def confirms(journey: Journey, activity: str) -> None:
    url = f"/v1/activities/{journey.id(activity)}/checkins/confirm"
    journey.post(ORGANIZER, url, {}, done=True)


@then("记下的参加记录是")
def recorded(journey: Journey, datatable: list[list[str]]) -> None:
    expected = [
        {
            "member_id": journey.id(row["志愿者"]),
            "hours": row["时长"],
            "points": row["积分"],
        }
        for row in table_rows(datatable)
    ]
    assert journey.answer()["recorded"] == expected


@then(step('没有签退的是"{members}"'))
def missing_checkout(journey: Journey, members: str) -> None:
    expected = [journey.id(name) for name in names(members)]
    assert journey.answer()["missing_checkout"] == expected


@then(step('不足一刻钟的是"{members}"'))
def too_short(journey: Journey, members: str) -> None:
    expected = [journey.id(name) for name in names(members)]
    assert journey.answer()["too_short"] == expected


@then(step("回答仍是签到，时间为 {day:Date} {at:Time}"))
def still_checked_in(journey: Journey, day: date, at: time) -> None:
    assert journey.response is not None
    assert journey.response.status_code == 200
    answer = journey.answer()
    assert answer["kind"] == "in"
    moment = datetime.fromisoformat(answer["at"].replace("Z", "+00:00"))
    assert moment == shanghai(day, at)

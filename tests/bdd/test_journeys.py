"""The organiser's day and the member's points, told through the HTTP API."""

from __future__ import annotations

from pytest_bdd import given, scenarios, then, when

from tests.bdd.api_steps import (
    ADMIN,
    ORGANIZER,
    THROUGH_THE_API,
    Journey,
)
from tests.bdd.conftest import step, table_rows

pytestmark = THROUGH_THE_API

scenarios("组织者的一天.feature", "志愿者查积分.feature")

FIGURES = {
    "服务队": "teams",
    "服务队志愿者": "volunteers",
    "队员": "members",
    "注册志愿者": "members",
    "活动": "activities",
    "人次": "participations",
    "时长": "hours",
    "积分": "points",
    "人均年积分": "avg_annual_points",
}
STATEMENT = {
    "活动": "title",
    "日期": "date",
    "时长": "hours",
    "积分": "points",
    "状态": "status",
    "原因": "reason",
}
STATUSES = {
    "已登记": "recorded",
    "已更正": "corrected",
    "已撤销": "revoked",
    "已取消": "cancelled",
}


# Tokens.


@given(step('管理员已为"{member}"签发志愿者令牌'))
def member_token(journey: Journey, member: str) -> None:
    scope = {"role": "member", "member_id": journey.id(member), "label": member}
    journey.tokens[member] = journey.made(ADMIN, "POST", "/v1/tokens", scope)["token"]


# The organiser's commands.


@when(step('组织者结束"{activity}"的登记'))
def close_activity(journey: Journey, activity: str) -> None:
    journey.send(ORGANIZER, "POST", f"/v1/activities/{journey.id(activity)}/close")


@given(step('组织者撤销了"{member}"在"{activity}"的参加记录，原因是"{reason}"'))
def revoke_attendance(
    journey: Journey, member: str, activity: str, reason: str
) -> None:
    url = (
        f"/v1/activities/{journey.id(activity)}/attendance/{journey.id(member)}/revoke"
    )
    journey.made(ORGANIZER, "POST", url, {"reason": reason})


# A member's requests.


@given(step('"{member}"给自己报名"{activity}"'))
@when(step('"{member}"给自己报名"{activity}"'))
def sign_up(journey: Journey, member: str, activity: str) -> None:
    url = f"/v1/activities/{journey.id(activity)}/signups"
    journey.send(member, "POST", url, {"member_id": journey.id(member)})


@when(step('"{member}"给"{other}"报名"{activity}"'))
def sign_up_someone_else(
    journey: Journey, member: str, other: str, activity: str
) -> None:
    url = f"/v1/activities/{journey.id(activity)}/signups"
    journey.send(member, "POST", url, {"member_id": journey.id(other)})


@when(step('"{member}"取消报名"{activity}"'))
def withdraw(journey: Journey, member: str, activity: str) -> None:
    url = f"/v1/activities/{journey.id(activity)}/signups/{journey.id(member)}"
    journey.send(member, "DELETE", url)


@when(step('"{member}"查看自己 {year:d} 年的积分'))
def my_points(journey: Journey, member: str, year: int) -> None:
    journey.read(member, "/v1/me/points", year=year)


@when(step('"{member}"查看自己 {year:d} 年的明细'))
def my_statement(journey: Journey, member: str, year: int) -> None:
    journey.read(member, "/v1/me/statement", year=year)


@when(step('{who}查看"{member}"的志愿者记录'))
def member_record(journey: Journey, who: str, member: str) -> None:
    journey.read(who, f"/v1/members/{journey.id(member)}")


@when(step('{who}查看"{member}" {year:d} 年的积分'))
def member_points(journey: Journey, who: str, member: str, year: int) -> None:
    journey.read(who, f"/v1/members/{journey.id(member)}/points", year=year)


@when(step('"{member}"查看活动"{activity}"'))
def read_activity(journey: Journey, member: str, activity: str) -> None:
    journey.read(member, f"/v1/activities/{journey.id(activity)}")


@when(step('"{member}"查看服务队"{team}" {year:d} 年的数字'))
def read_team(journey: Journey, member: str, team: str, year: int) -> None:
    journey.read(member, f"/v1/teams/{journey.id(team)}", year=year)


@when(step('"{member}"查看全区 {year:d} 年的数字'))
def read_district(journey: Journey, member: str, year: int) -> None:
    journey.read(member, "/v1/stats", year=year)


# What the API answered.


@then(
    step("登记结果为新增 {recorded:d} 条、未变 {unchanged:d} 条、更正 {corrected:d} 条")
)
def attendance_outcome(
    journey: Journey, recorded: int, unchanged: int, corrected: int
) -> None:
    answer = journey.answer()
    assert (answer["recorded"], answer["unchanged"], answer["corrected"]) == (
        recorded,
        unchanged,
        corrected,
    )


@then(step('"{name}" {year:d} 年的数字是'))
def figures(journey: Journey, name: str, year: int, datatable: list[list[str]]) -> None:
    url = {
        "team": f"/v1/teams/{journey.id(name)}",
        "community": f"/v1/communities/{journey.id(name)}/stats",
    }[journey.kinds[name]]
    answer = journey.read(ORGANIZER, url, year=year).json()
    (expected,) = table_rows(datatable)
    assert {label: str(answer[FIGURES[label]]) for label in expected} == expected


@then(step('记录中的手机号是"{phone}"'))
def phone_shown(journey: Journey, phone: str) -> None:
    assert journey.answer()["phone"] == phone


@then("记录中没有手机号")
def phone_hidden(journey: Journey) -> None:
    assert journey.answer().get("phone") is None


@then(step('积分是"{points}"，时长是"{hours}"，参加了 {count:d} 次活动'))
def points_are(journey: Journey, points: str, hours: str, count: int) -> None:
    answer = journey.answer()
    assert (answer["points"], answer["hours"], answer["activities"]) == (
        points,
        hours,
        count,
    )


@then("明细是")
def statement_is(journey: Journey, datatable: list[list[str]]) -> None:
    items = journey.answer()["items"]
    expected = table_rows(datatable)
    for row in expected:
        row["状态"] = STATUSES[row["状态"]]
    assert [
        {label: str(item[field]) for label, field in STATEMENT.items()}
        for item in items
    ] == expected


@then(step('"{activity}"有 {count:d} 人报名'))
def signups(journey: Journey, activity: str, count: int) -> None:
    answer = journey.read(ORGANIZER, f"/v1/activities/{journey.id(activity)}").json()
    assert answer["signups"] == count

"""The words the features are written in: typed step arguments, the names of
events and figures, and how a step's text and tables are read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

from parse import with_pattern
from pytest_bdd import given, parsers, when

from domain.dates import SHANGHAI

EVENT_NAMES = {
    "社区登记": "Community.Registered",
    "单位登记": "Unit.Registered",
    "组织报到": "Unit.DoubleReported",
    "志愿者注册": "Member.Registered",
    "个人报到": "Member.DoubleReported",
    "成立服务队": "Team.Founded",
    "加入服务队": "Team.MemberJoined",
    "退出服务队": "Team.MemberLeft",
    "解散服务队": "Team.Dissolved",
    "安排活动": "Activity.Scheduled",
    "报名": "Activity.SignedUp",
    "取消报名": "Activity.Withdrew",
    "登记参加": "Activity.AttendanceRecorded",
    "更正时长": "Activity.AttendanceCorrected",
    "撤销参加记录": "Activity.AttendanceRevoked",
    "取消活动": "Activity.Cancelled",
    "结束登记": "Activity.Closed",
}

# The whole deployment, as the features call it: a city or, in some, a district.
WHOLE = {"全市", "全区"}
SCOPE_FIGURES = {
    "截至": "as_of",
    "社区": "communities",
    "网格": "grids",
    "网格党组织": "grid_party_organisations",
    "服务队": "teams",
    "服务队志愿者": "volunteers",
    "活动": "activities",
    "人次": "participations",
    "时长": "hours",
    "积分": "points",
    "注册志愿者": "members",
    "人均年积分": "avg_annual_points",
    "报到单位": "units_reported",
    "报到党员": "members_reported",
    "报到党员人次": "members_reported_participations",
    "报到党员人均年积分": "members_reported_avg_annual_points",
}

Rule = dict[str, Decimal | int]
Step = TypeVar("Step", bound=Callable[..., Any])
RULES = {"每小时": "points_per_hour", "固定": "fixed_points", "限": "capacity"}


@with_pattern(r"(，(每小时|固定) \d+(\.\d+)? 积分|，限 \d+ 人)?")
def parse_rule(text: str) -> Rule:
    """An activity's points rule or capacity: "，每小时 7 积分", "，限 20 人"."""
    if not text:
        return {}
    label, number = text.strip("，").split()[:2]
    value = int(number) if label == "限" else Decimal(number)
    return {RULES[label]: value}


@with_pattern(r'(，原因是"[^"]+")?')
def parse_reason(text: str) -> str | None:
    return text.removeprefix("，原因是").strip('"') or None


@with_pattern(r'"[^"]+"|全市|全区')
def parse_scope(text: str) -> str:
    return text.strip('"')


TYPES = {
    "Date": with_pattern(r"\d{4}-\d{2}-\d{2}")(lambda t: date.fromisoformat(t)),
    "Time": with_pattern(r"\d{2}:\d{2}")(lambda t: time.fromisoformat(t)),
    "Dec": with_pattern(r"-?\d+(\.\d+)?")(lambda t: Decimal(t)),
    "Rule": parse_rule,
    "Reason": parse_reason,
    # A name in quotes holds no quote, so that a step naming two people
    # ('"王芳"给"李娜"报名') is not read as naming one.
    "Name": with_pattern(r'[^"]+')(lambda t: t),
    # A refusal's code, so that a step that says more about a refusal is not
    # also read as the plain refusal.
    "Code": with_pattern(r"[a-z_]+")(lambda t: t),
    # A figure's scope: a name in quotes, or the whole deployment.
    "Scope": parse_scope,
    # Who makes a request through the API, whether the scene has it done
    # already ("已"), and the level an organiser's token is for.
    "Role": with_pattern(r"管理员|组织者")(lambda t: t),
    "Done": with_pattern(r"已?")(lambda t: t == "已"),
    "Level": with_pattern(r"(街道|区县)?")(lambda t: t),
    # An organiser's decision on a claim of hours, and the member's note to it.
    "Decision": with_pattern(r"批准|驳回")(lambda t: t),
    "Note": with_pattern(r'(，说明"[^"]+")?')(
        lambda t: t.removeprefix("，说明").strip('"') or None
    ),
}
WINDOW = "时间为 {day:Date} {start:Time} 至 {end:Time}{rule:Rule}"


def step(text: str) -> Any:
    """A step's parser, with the typed arguments above."""
    return parsers.parse(text, extra_types=TYPES)


def given_or_when(text: str) -> Callable[[Step], Step]:
    """One step for a fact, whether the scene is set with it or a step does it."""
    parser = step(text)

    def register(function: Step) -> Step:
        given(parser, stacklevel=2)(function)
        when(parser, stacklevel=2)(function)
        return function

    return register


def shanghai(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=SHANGHAI)


def names(text: str) -> list[str]:
    return [name for name in text.split("、") if name]


def table_rows(datatable: list[list[str]]) -> list[dict[str, str]]:
    """A table's rows, each keyed by the table's header."""
    header, *body = datatable
    return [dict(zip(header, row, strict=True)) for row in body]


def shown(value: Any) -> str:
    """A value as a table cell shows it: nothing for a value that is absent."""
    return "" if value is None else str(value)


def rows_are(datatable: list[list[str]], items: list[dict[str, str]]) -> None:
    """Compares a table with items keyed by its column names."""
    header, *expected = datatable
    assert [[item.get(column, "") for column in header] for item in items] == expected

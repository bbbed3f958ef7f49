"""The 台账 export over HTTP (issue 11, item 3): a community's, street's or
district's year as an XLSX workbook opened with openpyxl, and as CSV opened as
Excel would open it; who may export it, and what is refused."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import unquote
from uuid import UUID, uuid4

import openpyxl
import pytest
from httpx import Response
from openpyxl.worksheet.worksheet import Worksheet

from api.auth import BOOTSTRAP_ADMIN
from tests.api.support import ADMIN_TOKEN, Running, bearer, error_fields, problem
from tests.conftest import STORES

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ENDPOINT_TESTS: dict[str, tuple[str, ...]] = {
    "GET /v1/communities/{community_id}/ledger": (
        "test_the_workbook_has_four_sheets_with_chinese_headers_and_frozen_rows",
        "test_the_attendance_sheet_has_a_row_per_attendance_with_dates_and_numbers",
        "test_the_member_sheet_lists_members_registered_on_the_date",
        "test_the_activity_sheet_and_the_figures_sheet_agree_with_the_stats",
        "test_the_csv_opens_as_excel_would_with_the_attendance_rows",
        "test_the_file_is_an_attachment_named_after_the_place_and_year",
        "test_a_ledger_outside_the_tokens_scope_is_forbidden",
        "test_the_ledger_of_an_unknown_place_is_not_found",
        "test_a_ledger_in_another_format_is_a_validation_error",
    ),
    "GET /v1/streets/{street_id}/ledger": (
        "test_a_street_or_district_ledger_holds_its_communities_rows",
        "test_a_ledger_outside_the_tokens_scope_is_forbidden",
        "test_the_ledger_of_an_unknown_place_is_not_found",
    ),
    "GET /v1/districts/{district_id}/ledger": (
        "test_a_street_or_district_ledger_holds_its_communities_rows",
        "test_a_ledger_outside_the_tokens_scope_is_forbidden",
        "test_the_ledger_of_an_unknown_place_is_not_found",
        "test_a_ledger_in_another_format_is_a_validation_error",
    ),
}

ADMIN = bearer(ADMIN_TOKEN)
NOWHERE = str(uuid4())
YEAR = 2026
ATTENDANCE_HEADERS = [
    "日期",
    "活动",
    "服务队",
    "类别",
    "志愿者",
    "网格",
    "时长",
    "积分",
    "状态",
    "登记人",
]
MEMBER_HEADERS = [
    "姓名",
    "手机号",
    "网格",
    "政治面貌",
    "登记日期",
    "年度积分",
    "年度时长",
]
ACTIVITY_HEADERS = ["日期", "活动", "服务队", "类别", "状态", "人次", "时长", "积分"]


@dataclass
class Desk:
    """A district with a street, a community in it with a grid, two members,
    a team and three activities held in February: one with an attendance
    corrected, one with an attendance revoked, one cancelled; another
    community in no street; and organizer tokens at each level."""

    running: Running
    district: str
    street: str
    community: str
    other_community: str
    position: int

    def get(self, url: str, token: str = ADMIN_TOKEN, **params: Any) -> Response:
        response: Response = self.running.client.get(
            url,
            params={"min_position": self.position, "year": YEAR, **params},
            headers=bearer(token),
        )
        return response

    def ledger(self, place: str = "communities", **params: Any) -> Response:
        ids = {
            "communities": self.community,
            "streets": self.street,
            "districts": self.district,
        }
        response = self.get(f"/v1/{place}/{ids[place]}/ledger", **params)
        assert response.status_code == 200, response.text
        return response

    def workbook(self, place: str = "communities") -> openpyxl.Workbook:
        content = self.ledger(place).content
        return openpyxl.load_workbook(io.BytesIO(content))


def held(app: Any, team: UUID, day: str, title: str, category: str) -> UUID:
    result = app.schedule_activity(
        title=title,
        team_id=team,
        category=category,
        starts_at=datetime.fromisoformat(f"{day}T09:00:00+08:00"),
        ends_at=datetime.fromisoformat(f"{day}T12:00:00+08:00"),
        actor=BOOTSTRAP_ADMIN,
    )
    activity_id: UUID = result.id
    return activity_id


@pytest.fixture
def desk(running: Running) -> Desk:
    app = running.system.app
    actor = BOOTSTRAP_ADMIN
    district = app.register_district("秦皇岛经济技术开发区", actor).id
    street = app.register_street("东风街道", district, actor).id
    community = app.register_community("海滨社区", None, actor, street_id=street).id
    other_community = app.register_community("光明社区", None, actor).id
    grid = app.register_grid("第一网格", community, True, actor).id
    since = date(2026, 1, 5)
    zhao = app.register_member(
        "赵强",
        community,
        party_member=True,
        actor=actor,
        phone="13700137000",
        grid_id=grid,
        registered_on=since,
    ).id
    sun = app.register_member(
        "孙丽",
        community,
        party_member=False,
        actor=actor,
        phone="13600136000",
        registered_on=since,
    ).id
    elsewhere = app.register_member(
        "周敏", other_community, party_member=False, actor=actor, registered_on=since
    ).id
    team = app.found_team("海滨志愿服务队", community, actor, founded_on=since).id
    other_team = app.found_team("光明志愿服务队", other_community, actor).id
    app.join_team(team, zhao, actor, joined_on=since)
    sweep = held(app, team, "2026-02-10", "清扫楼道", "环境保护")
    app.record_attendance(sweep, [(zhao, Decimal(2)), (sun, Decimal("1.5"))], actor)
    app.record_attendance(sweep, [(sun, Decimal(1))], actor, reason="提前离场")
    visit = held(app, team, "2026-02-20", "敬老院探访", "关爱老人")
    app.record_attendance(visit, [(zhao, Decimal(3)), (sun, Decimal(2))], actor)
    app.revoke_attendance(visit, sun, "登记错误", actor)
    clinic = held(app, team, "2026-02-25", "义诊进社区", "医疗卫生")
    app.record_attendance(clinic, [(zhao, Decimal(1))], actor)
    app.cancel_activity(clinic, "医生未到", actor)
    away = held(app, other_team, "2026-02-12", "光明社区读书会", "文化教育")
    app.record_attendance(away, [(elsewhere, Decimal(2))], actor)
    scopes: dict[str, dict[str, Any]] = {
        "community_organizer": {"community_ids": [community]},
        "street_organizer": {"street_ids": [street]},
        "district_organizer": {"district_ids": [district]},
        "elsewhere_organizer": {"community_ids": [other_community]},
    }
    for role, scope in scopes.items():
        app.issue_token(f"vp_test_{role}", "organizer", actor, **scope)
    app.issue_token("vp_test_member", "member", actor, member_id=zhao)
    return Desk(
        running,
        district=str(district),
        street=str(street),
        community=str(community),
        other_community=str(other_community),
        position=app.position(),
    )


def rows(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def figures_of(book: openpyxl.Workbook) -> dict[str, Any]:
    return {str(row[0]): row[1] for row in rows(book["数字"])[1:]}


def test_the_workbook_has_four_sheets_with_chinese_headers_and_frozen_rows(
    desk: Desk,
) -> None:
    book = desk.workbook()
    assert book.sheetnames == ["参加记录", "志愿者", "活动", "数字"]
    assert rows(book["参加记录"])[0] == ATTENDANCE_HEADERS
    assert rows(book["志愿者"])[0] == MEMBER_HEADERS
    assert rows(book["活动"])[0] == ACTIVITY_HEADERS
    assert rows(book["数字"])[0] == ["项目", "数值"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width > 8
        assert sheet.column_dimensions["B"].width > 8


def test_the_attendance_sheet_has_a_row_per_attendance_with_dates_and_numbers(
    desk: Desk,
) -> None:
    sheet = desk.workbook()["参加记录"]
    body = rows(sheet)[1:]
    team = "海滨志愿服务队"
    # By date and activity; within an activity by member id, so the two
    # members of one activity may come in either order.
    assert sorted(body, key=lambda row: (row[0], row[4])) == [
        [
            datetime(2026, 2, 10),
            "清扫楼道",
            team,
            "环境保护",
            *SUN,
            1,
            10,
            "已更正",
            ADMIN_ACTOR,
        ],
        [
            datetime(2026, 2, 10),
            "清扫楼道",
            team,
            "环境保护",
            *ZHAO,
            2,
            20,
            "有效",
            ADMIN_ACTOR,
        ],
        [
            datetime(2026, 2, 20),
            "敬老院探访",
            team,
            "关爱老人",
            *SUN,
            2,
            0,
            "已撤销",
            ADMIN_ACTOR,
        ],
        [
            datetime(2026, 2, 20),
            "敬老院探访",
            team,
            "关爱老人",
            *ZHAO,
            3,
            30,
            "有效",
            ADMIN_ACTOR,
        ],
        [
            datetime(2026, 2, 25),
            "义诊进社区",
            team,
            "医疗卫生",
            *ZHAO,
            1,
            0,
            "活动取消",
            ADMIN_ACTOR,
        ],
    ]
    assert [row[0] for row in body] == sorted(row[0] for row in body)
    for cells in sheet.iter_rows(min_row=2):
        assert cells[0].is_date
        assert (cells[6].data_type, cells[7].data_type) == ("n", "n")


ADMIN_ACTOR = BOOTSTRAP_ADMIN
ZHAO = ("赵强", "第一网格")
SUN = ("孙丽", None)


def test_the_member_sheet_lists_members_registered_on_the_date(desk: Desk) -> None:
    sheet = desk.workbook()["志愿者"]
    by_name = {row[0]: row for row in rows(sheet)[1:]}
    assert by_name == {
        "赵强": [
            "赵强",
            "13700137000",
            "第一网格",
            "中共党员",
            datetime(2026, 1, 5),
            50,
            5,
        ],
        "孙丽": ["孙丽", "13600136000", None, "群众", datetime(2026, 1, 5), 10, 1],
    }
    for cells in sheet.iter_rows(min_row=2):
        assert cells[1].data_type == "s"
        assert cells[4].is_date
        assert (cells[5].data_type, cells[6].data_type) == ("n", "n")


def test_the_activity_sheet_and_the_figures_sheet_agree_with_the_stats(
    desk: Desk,
) -> None:
    book = desk.workbook()
    assert rows(book["活动"])[1:] == [
        [
            datetime(2026, 2, 10),
            "清扫楼道",
            "海滨志愿服务队",
            "环境保护",
            "开放登记",
            2,
            3,
            30,
        ],
        [
            datetime(2026, 2, 20),
            "敬老院探访",
            "海滨志愿服务队",
            "关爱老人",
            "开放登记",
            1,
            3,
            30,
        ],
        [
            datetime(2026, 2, 25),
            "义诊进社区",
            "海滨志愿服务队",
            "医疗卫生",
            "已取消",
            0,
            0,
            0,
        ],
    ]
    stats = desk.get(f"/v1/communities/{desk.community}/stats").json()
    figures = figures_of(book)
    assert figures["社区"] == "海滨社区"
    assert figures["年份"] == YEAR
    assert figures["截至日期"] == datetime.fromisoformat(stats["as_of"])
    assert figures["志愿服务队"] == stats["teams"]
    assert figures["开展活动"] == stats["activities"]
    assert figures["参与人次"] == stats["participations"]
    assert Decimal(str(figures["服务时长"])) == Decimal(stats["hours"])
    assert Decimal(str(figures["积分"])) == Decimal(stats["points"])
    assert Decimal(str(figures["人均年积分"])) == Decimal(stats["avg_annual_points"])
    assert figures["计入人均的志愿者"] == stats["members"] == 2


def test_the_csv_opens_as_excel_would_with_the_attendance_rows(desk: Desk) -> None:
    response = desk.ledger(format="csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in response.content
    assert response.content.count(b"\n") == response.content.count(b"\r\n")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ATTENDANCE_HEADERS
    found = {(r[0], r[1], r[4], r[5], r[6], r[7], r[8]) for r in table[1:]}
    assert found == {
        ("2026-02-10", "清扫楼道", "赵强", "第一网格", "2", "20.0", "有效"),
        ("2026-02-10", "清扫楼道", "孙丽", "", "1", "10.0", "已更正"),
        ("2026-02-20", "敬老院探访", "赵强", "第一网格", "3", "30.0", "有效"),
        ("2026-02-20", "敬老院探访", "孙丽", "", "2", "0.0", "已撤销"),
        ("2026-02-25", "义诊进社区", "赵强", "第一网格", "1", "0.0", "活动取消"),
    }
    assert len(table) == 6


def test_the_file_is_an_attachment_named_after_the_place_and_year(
    desk: Desk,
) -> None:
    for extension, media in (("xlsx", "spreadsheetml"), ("csv", "text/csv")):
        response = desk.ledger(format=extension)
        assert media in response.headers["content-type"]
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment; ")
        assert f'filename="ledger-community-{YEAR}.{extension}"' in disposition
        encoded = disposition.split("filename*=UTF-8''", 1)[1]
        assert unquote(encoded) == f"海滨社区{YEAR}年志愿服务台账.{extension}"
        assert disposition.isascii()


def test_a_street_or_district_ledger_holds_its_communities_rows(desk: Desk) -> None:
    community = rows(desk.workbook()["参加记录"])
    for place, token in (
        ("streets", "vp_test_street_organizer"),
        ("districts", "vp_test_district_organizer"),
    ):
        book = desk.workbook(place)
        assert rows(book["参加记录"]) == community
        assert len(rows(book["志愿者"])) == 3
        figures = figures_of(book)
        assert figures["社区数"] == 1
        assert figures["网格数"] == 1
        ids = {"streets": desk.street, "districts": desk.district}
        answer = desk.get(f"/v1/{place}/{ids[place]}/ledger", token, format="csv")
        assert answer.status_code == 200, answer.text
        assert answer.content.decode("utf-8-sig").count("\r\n") == 6
    street = desk.workbook("streets")["数字"]
    assert rows(street)[1] == ["街道", "东风街道"]


@pytest.mark.parametrize(
    ("place", "token"),
    [
        ("communities", "vp_test_elsewhere_organizer"),
        ("communities", "vp_test_member"),
        ("streets", "vp_test_community_organizer"),
        ("streets", "vp_test_elsewhere_organizer"),
        ("districts", "vp_test_street_organizer"),
        ("districts", "vp_test_community_organizer"),
    ],
)
def test_a_ledger_outside_the_tokens_scope_is_forbidden(
    desk: Desk, place: str, token: str
) -> None:
    ids = {
        "communities": desk.community,
        "streets": desk.street,
        "districts": desk.district,
    }
    response = desk.get(f"/v1/{place}/{ids[place]}/ledger", token)
    problem(response, 403, "forbidden")


def test_organizers_of_the_place_or_above_export_its_ledger(desk: Desk) -> None:
    allowed = {
        f"/v1/communities/{desk.community}/ledger": (
            "vp_test_community_organizer",
            "vp_test_street_organizer",
            "vp_test_district_organizer",
        ),
        f"/v1/streets/{desk.street}/ledger": (
            "vp_test_street_organizer",
            "vp_test_district_organizer",
        ),
        f"/v1/districts/{desk.district}/ledger": ("vp_test_district_organizer",),
    }
    for url, tokens in allowed.items():
        for token in tokens:
            assert desk.get(url, token, format="csv").status_code == 200


@pytest.mark.parametrize("place", ["communities", "streets", "districts"])
def test_the_ledger_of_an_unknown_place_is_not_found(desk: Desk, place: str) -> None:
    problem(desk.get(f"/v1/{place}/{NOWHERE}/ledger"), 404, "not_found")


@pytest.mark.parametrize("params", [{"format": "pdf"}, {"format": ""}, {"year": 1}])
@pytest.mark.parametrize("place", ["communities", "districts"])
def test_a_ledger_in_another_format_is_a_validation_error(
    desk: Desk, place: str, params: dict[str, Any]
) -> None:
    ids = {"communities": desk.community, "districts": desk.district}
    response = desk.get(f"/v1/{place}/{ids[place]}/ledger", **params)
    body = problem(response, 422, "validation_error")
    assert error_fields(body) == {"year" if "year" in params else "format"}


def test_a_ledger_needs_a_token(desk: Desk) -> None:
    response = desk.running.client.get(f"/v1/communities/{desk.community}/ledger")
    problem(response, 401, "unauthorized")


def test_a_year_without_activities_gives_headers_only(desk: Desk) -> None:
    response = desk.ledger(year=2025)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert rows(book["参加记录"]) == [ATTENDANCE_HEADERS]
    assert rows(book["活动"]) == [ACTIVITY_HEADERS]
    assert rows(book["志愿者"]) == [MEMBER_HEADERS]


@pytest.mark.parametrize("batch", [1, 2, 3])
def test_rows_read_a_few_at_a_time_are_the_rows_read_at_once(
    desk: Desk, batch: int
) -> None:
    desk.running.system.catch_up_to_now()
    ledger = desk.running.system.queries.ledger
    on = date(2026, 3, 1)
    for scope, place in (("community", desk.community), ("district", desk.district)):
        for read in (ledger.attendance_rows, ledger.member_rows, ledger.activity_rows):
            whole = list(read(scope, place, YEAR, on))
            assert whole
            assert list(read(scope, place, YEAR, on, batch)) == whole


def test_text_that_looks_like_a_formula_stays_text(desk: Desk) -> None:
    app = desk.running.system.app
    community = UUID(desk.community)
    name = '=HYPERLINK("http://x")'
    member = app.register_member(
        name,
        community,
        party_member=False,
        actor=BOOTSTRAP_ADMIN,
        registered_on=date(2026, 1, 5),
    ).id
    team = app.found_team("@服务队", community, BOOTSTRAP_ADMIN).id
    activity = held(app, team, "2026-02-28", "+义务劳动", "-其他")
    app.record_attendance(activity, [(member, Decimal(1))], BOOTSTRAP_ADMIN)
    desk.position = app.position()
    table = csv.reader(io.StringIO(desk.ledger(format="csv").text.lstrip("\ufeff")))
    [row] = [r for r in table if r[0] == "2026-02-28"]
    assert row[1:5] == ["'+义务劳动", "'@服务队", "'-其他", "'" + name]
    sheet = desk.workbook()["参加记录"]
    [cells] = [
        c for c in sheet.iter_rows(min_row=2) if c[0].value == datetime(2026, 2, 28)
    ]
    assert [c.value for c in cells[1:5]] == ["+义务劳动", "@服务队", "-其他", name]
    assert {c.data_type for c in cells[1:5]} == {"s"}

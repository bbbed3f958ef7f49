"""The 台账 as CSV opened as Excel would open it, the ledgers of a street and
a district, who may export them, and what is refused, over HTTP."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import unquote
from uuid import UUID, uuid4

import openpyxl
import pytest

from api.auth import BOOTSTRAP_ADMIN
from tests.api.ledger_support import (
    ACTIVITY_HEADERS,
    ATTENDANCE_HEADERS,
    MEMBER_HEADERS,
    YEAR,
    Desk,
    build_desk,
    figures_of,
    held,
    rows,
)
from tests.api.support import Running, error_fields, problem
from tests.conftest import STORES

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

NOWHERE = str(uuid4())


@pytest.fixture
def desk(running: Running) -> Desk:
    return build_desk(running)


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

"""The desk the 台账 tests export: a district with a street, a community with
a grid, two members, a team and three activities held in February, and
organizer tokens at each level; and the workbook's sheets as rows."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import openpyxl
from httpx import Response
from openpyxl.worksheet.worksheet import Worksheet

from api.auth import BOOTSTRAP_ADMIN
from tests.api.support import ADMIN_TOKEN, Running, bearer

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


def build_desk(running: Running) -> Desk:
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

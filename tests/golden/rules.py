"""The golden log's points rules (written since the 2026-12-07-rules release):
a deployment's draft; a district's rule set with caps, published with a past
date so that attendances already recorded are rated again; a later
attendance capped, an earlier one corrected and then revoked, each rating
the later one again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.support import ADMIN, Running
from tests.conftest import Clock


def write_rules(api: Running, clock: Clock) -> None:
    client = api.client

    def call(method: str, path: str, body: Any = None, status: int = 200) -> Any:
        answer = client.request(method, path, json=body, headers=ADMIN)
        assert answer.status_code == status, (path, answer.text)
        return answer.json()

    def first(path: str) -> dict[str, Any]:
        api.system.wait_for(api.system.app.position())
        found: dict[str, Any] = call("GET", path)["items"][0]
        return found

    district = first("/v1/districts")["id"]
    street = first(f"/v1/districts/{district}/streets")["id"]
    community = first(f"/v1/streets/{street}/communities")["id"]
    member = first(f"/v1/communities/{community}/members")["id"]
    clock.now += timedelta(days=18)
    team = call(
        "POST", "/v1/teams", {"name": "金色助老队", "community_id": community}, 201
    )["id"]

    def held(title: str, day: str) -> str:
        body = {
            "title": title,
            "team_id": team,
            "category": "助老",
            "starts_at": f"{day}T09:00:00+08:00",
            "ends_at": f"{day}T12:00:00+08:00",
        }
        found: str = call("POST", "/v1/activities", body, 201)["id"]
        return found

    def attend(activity: str, hours: str, reason: str | None = None) -> None:
        body: dict[str, Any] = {"records": [{"member_id": member, "hours": hours}]}
        if reason is not None:
            body["reason"] = reason
        call("POST", f"/v1/activities/{activity}/attendance", body)

    visit = held("助老走访", "2026-03-05")
    attend(visit, "2")
    call(
        "POST",
        "/v1/rule-sets",
        {
            "name": "全市志愿服务积分办法（征求意见稿）",
            "categories": [
                {"code": "助老", "name": "助老服务", "points_per_hour": "2"}
            ],
        },
        201,
    )
    rules = call(
        "POST",
        "/v1/rule-sets",
        {
            "name": "金色区志愿服务积分管理办法",
            "district_id": district,
            "categories": [
                {"code": "助老", "name": "助老服务", "points_per_hour": "3"},
                {"code": "环境整治", "name": "环境整治", "points_per_hour": "1"},
            ],
            "caps": {
                "hours_per_activity": "2",
                "points_per_member_day": "5",
                "points_per_member_year_by_category": {"助老": "8"},
            },
        },
        201,
    )
    published = call(
        "POST",
        f"/v1/rule-sets/{rules['id']}/publish",
        {"effective_from": "2026-03-01"},
    )
    assert published["rerated"] >= 1, published
    company = held("助老陪伴", "2026-03-10")
    attend(company, "2")
    attend(visit, "1", "按签到表更正")
    call(
        "POST",
        f"/v1/activities/{visit}/attendance/{member}/revoke",
        {"reason": "重复登记"},
    )

"""The golden log's history: one small deployment that records every kind of
event the domain has, through the HTTP API as clients write it, on a clock
set by hand. ``python -m tests.golden.write`` writes it once per release that
adds events; the files it writes are kept, and every test run replays them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.api.support import ADMIN_TOKEN, bearer
from tests.conftest import Clock

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
ADMIN = bearer(ADMIN_TOKEN)


class Writer:
    def __init__(self, client: TestClient, clock: Clock) -> None:
        self.client, self.clock = client, clock

    def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = self.client.request(
            method, path, json=body, headers=ADMIN | (headers or {})
        )
        assert response.is_success, (path, response.text)
        answer: dict[str, Any] = response.json()
        return answer

    def read(self, path: str, position: int) -> dict[str, Any]:
        response = self.client.get(
            path, params={"min_position": position}, headers=ADMIN
        )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer


def activity(team: str, day: date, title: str, **rule: Any) -> dict[str, Any]:
    return {
        "title": title,
        "team_id": team,
        "category": "环境整治",
        "starts_at": f"{day.isoformat()}T09:00:00+08:00",
        "ends_at": f"{day.isoformat()}T12:00:00+08:00",
        "location": "社区党群服务中心",
        **rule,
    }


def write_history(client: TestClient, clock: Clock) -> None:
    """Every kind of event, in an order a district could have written them."""
    w = Writer(client, clock)
    district = w("POST", "/v1/districts", {"name": "金色区"})["id"]
    street = w("POST", "/v1/streets", {"name": "春风街道", "district_id": district})
    community = w(
        "POST",
        "/v1/communities",
        {"name": "阳光社区", "street_id": street["id"], "party_organisation": "党委"},
    )["id"]
    other = w("POST", "/v1/communities", {"name": "幸福里社区", "street": "老街"})["id"]
    grid = w(
        "POST",
        "/v1/grids",
        {"name": "第一网格", "community_id": community, "party_organisation": True},
    )["id"]
    unit = w("POST", "/v1/units", {"name": "区教育局党委"})["id"]
    w("POST", f"/v1/units/{unit}/double-report", {"community_id": community})
    w("POST", f"/v1/units/{unit}/double-report", {"community_id": other})
    w("POST", f"/v1/units/{unit}/double-report/{other}/end", {})

    def member(name: str, phone: str, where: str = community) -> str:
        body = {
            "name": name,
            "community_id": where,
            "party_member": True,
            "phone": phone,
            "grid_id": grid if where == community else None,
            "registered_on": "2025-06-01",
        }
        return str(w("POST", "/v1/members", body)["id"])

    zhang, li, wang = (
        member("张伟", "13800000001"),
        member("李娜", "13800000002"),
        member("王芳", "13800000003"),
    )
    twin = member("张伟", "13800000004", other)
    gone = member("赵强", "13800000005")
    w("PATCH", f"/v1/members/{li}", {"name": "李娜娜", "phone": "13800000012"})
    w("POST", f"/v1/members/{wang}/double-report", {"community_id": community})
    w("POST", f"/v1/members/{twin}/double-report", {"community_id": other})
    w("POST", f"/v1/members/{wang}/double-report/end", {})
    w("POST", f"/v1/members/{gone}/move", {"community_id": other})
    w("POST", f"/v1/members/{gone}/deregister", {"reason": "搬离本市"})

    team = w(
        "POST",
        "/v1/teams",
        {
            "name": "夕阳红志愿服务队",
            "community_id": community,
            "founded_on": "2025-06-01",
        },
    )["id"]
    spare = w("POST", "/v1/teams", {"name": "临时队", "community_id": community})["id"]
    for someone in (zhang, li, wang, twin):
        w("POST", f"/v1/teams/{team}/members", {"member_id": someone})
    w("DELETE", f"/v1/teams/{team}/members/{wang}")
    w("POST", f"/v1/teams/{spare}/dissolve", {"reason": "并入夕阳红"})

    last_year = w(
        "POST", "/v1/activities", activity(team, date(2025, 12, 20), "冬季宣讲")
    )
    today = w("POST", "/v1/activities", activity(team, date(2026, 3, 2), "垃圾分类"))
    later = w(
        "POST",
        "/v1/activities",
        activity(team, date(2026, 3, 9), "义诊", capacity=5, fixed_points="15"),
    )
    dropped = w(
        "POST", "/v1/activities", activity(team, date(2026, 3, 2), "停办的活动")
    )
    w("POST", f"/v1/activities/{later['id']}/signups", {"member_id": zhang})
    w("POST", f"/v1/activities/{later['id']}/signups", {"member_id": li})
    w("DELETE", f"/v1/activities/{later['id']}/signups/{li}")

    clock.now = START + timedelta(hours=4)
    records = [{"member_id": m, "hours": "2"} for m in (zhang, li, twin)]
    w("POST", f"/v1/activities/{last_year['id']}/attendance", {"records": records})
    w(
        "POST",
        f"/v1/activities/{today['id']}/attendance",
        {
            "records": [
                {"member_id": zhang, "hours": "3"},
                {"member_id": li, "hours": "1"},
            ]
        },
    )
    w(
        "POST",
        f"/v1/activities/{last_year['id']}/attendance",
        {"records": [{"member_id": li, "hours": "2.5"}]},
    )
    w(
        "POST",
        f"/v1/activities/{last_year['id']}/attendance/{twin}/revoke",
        {"reason": "重复登记"},
    )
    w(
        "POST",
        f"/v1/activities/{dropped['id']}/attendance",
        {"records": [{"member_id": wang, "hours": "1"}]},
    )
    w("POST", f"/v1/activities/{dropped['id']}/cancel", {"reason": "暴雨"})
    w("POST", f"/v1/activities/{last_year['id']}/close")

    claim = w(
        "POST",
        f"/v1/members/{wang}/hours-claims",
        {"activity_id": today["id"], "hours": "2", "note": "忘记签到"},
    )
    w("POST", f"/v1/hours-claims/{claim['id']}/approve", {})
    refused = w(
        "POST",
        f"/v1/members/{twin}/hours-claims",
        {"activity_id": today["id"], "hours": "1"},
    )
    w("POST", f"/v1/hours-claims/{refused['id']}/reject", {"reason": "签到表上没有"})
    w(
        "POST",
        f"/v1/activities/{today['id']}/attendance",
        {"records": [{"member_id": twin, "hours": "1.5"}]},
    )

    reward = w(
        "POST",
        f"/v1/communities/{community}/rewards",
        {"name": "洗衣液", "points": "10", "stock": 2},
    )["id"]
    w("POST", f"/v1/rewards/{reward}/restock", {"quantity": 3})
    w("POST", f"/v1/members/{twin}/redemptions", {"reward_id": reward})
    w("POST", f"/v1/members/{zhang}/merge", {"duplicate_id": twin, "reason": "同一人"})
    kept = w("POST", f"/v1/members/{zhang}/redemptions", {"reward_id": reward})
    returned = w(
        "POST",
        f"/v1/members/{li}/redemptions",
        {"reward_id": reward, "quantity": 2},
        {"Idempotency-Key": "golden-redemption"},
    )
    w("POST", f"/v1/redemptions/{returned['id']}/cancel", {"reason": "退货"})
    assert kept["points"] == "10.0"

    token = w(
        "POST",
        "/v1/tokens",
        {"role": "organizer", "community_ids": [community], "label": "书记"},
    )
    w("DELETE", f"/v1/tokens/{token['id']}")
    w(
        "POST",
        "/v1/reports",
        {"scope": "community", "scope_id": community, "year": 2026},
    )
    w("POST", f"/v1/members/{zhang}/certificates", {})

"""The golden log's sign-ins and check-ins (written since the 2026-12-07
release): codes sent, missed and used, sessions refreshed, reused and ended,
a WeChat openid bound and moved, an organiser account registered, removed and
renewed, members scanning in and out at the door and the organiser
confirming."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.identity_support import Answers, serving
from tests.api.sign_in_support import Inbox, wrong
from tests.api.support import ADMIN, Running
from tests.conftest import Clock

ZHANG = "13800000001"
LI = "13800000012"
ORGANISER = "13600000009"


def write_sign_ins(api: Running, clock: Clock) -> None:
    """Every kind of sign-in event, the members' phones as write_history
    registered them."""
    client, inbox = api.client, Inbox(api.system)
    api.system.wait_for(api.system.app.position())

    def post(path: str, body: Any, status: int = 200) -> dict[str, Any]:
        answer = client.post(path, json=body)
        assert answer.status_code == status, (path, answer.text)
        found: dict[str, Any] = answer.json()
        return found

    def code(phone: str, purpose: str = "sign_in") -> str:
        post("/v1/auth/sms-code", {"phone": phone, "purpose": purpose}, 202)
        return inbox.code_for(phone)

    sent = code(ZHANG)
    post("/v1/auth/sms-sign-in", {"phone": ZHANG, "code": wrong(sent)}, 401)
    first = post("/v1/auth/sms-sign-in", {"phone": ZHANG, "code": sent})
    second = post("/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    post("/v1/auth/refresh", {"refresh_token": first["refresh_token"]}, 401)
    clock.now += timedelta(minutes=2)
    again = post("/v1/auth/sms-sign-in", {"phone": ZHANG, "code": code(ZHANG)})
    out = client.post(
        "/v1/auth/sign-out",
        json={"refresh_token": again["refresh_token"]},
        headers={"Authorization": f"Bearer {again['access_token']}"},
    )
    assert out.status_code == 204, out.text
    assert second["member_id"] == again["member_id"]

    answers = Answers()
    with serving(answers) as base:
        api.system.wechat.app_id, api.system.wechat.secret = "wx-golden", "secret"
        api.system.wechat.base = base
        for login, openid in (("a", "openid-1"), ("b", "openid-2"), ("c", "openid-1")):
            answers.bodies[login] = {"openid": openid, "session_key": "k"}
        clock.now += timedelta(minutes=2)
        sessions = {}
        for login, phone in (("a", ZHANG), ("b", ZHANG), ("c", LI)):
            refused = post("/v1/auth/wechat", {"code": login}, 401)
            binding = {"binding_token": refused["binding_token"], "phone": phone}
            bind = binding | {"code": code(phone, "bind")}
            sessions[phone] = post("/v1/auth/wechat/bind", bind)
            clock.now += timedelta(minutes=2)
    write_check_ins(api, clock, sessions)

    made = client.post(
        "/v1/organisers",
        json={"name": "社区书记", "phone": ORGANISER, "community_ids": []},
        headers=ADMIN,
    )
    assert made.status_code == 422, made.text
    member = client.get(f"/v1/members/{first['member_id']}", headers=ADMIN).json()
    community = member["community_id"]
    body = {"name": "社区书记", "phone": ORGANISER, "community_ids": [community]}
    organiser = client.post("/v1/organisers", json=body, headers=ADMIN).json()
    post(
        "/v1/auth/sms-sign-in",
        {"phone": ORGANISER, "code": code(ORGANISER), "as": "organizer"},
    )
    removed = client.delete(f"/v1/organisers/{organiser['id']}", headers=ADMIN)
    assert removed.status_code == 204, removed.text
    renewed = client.post("/v1/organisers", json=body, headers=ADMIN)
    assert renewed.status_code == 201, renewed.text


def write_check_ins(
    api: Running, clock: Clock, sessions: dict[str, dict[str, Any]]
) -> None:
    """Two members scan in at the door, one scans out an hour later, and the
    organiser confirms: 张伟's stay from the start is 51 minutes, three
    quarters of an hour; 李娜 has no check-out."""
    client = api.client
    teams = client.get("/v1/teams", headers=ADMIN).json()["items"]
    team = next(t["id"] for t in teams if t.get("dissolved_on") is None)
    starts = clock.now + timedelta(minutes=10)
    body = {
        "title": "消防演练",
        "team_id": team,
        "category": "安全宣传",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
    }
    made = client.post("/v1/activities", json=body, headers=ADMIN)
    assert made.status_code == 201, made.text
    activity = made.json()["id"]

    def scan(phone: str) -> None:
        shown = client.get(f"/v1/activities/{activity}/checkin-code", headers=ADMIN)
        location = {"lat": 39.93, "lng": 119.6, "accuracy": 15}
        answer = client.post(
            f"/v1/activities/{activity}/checkins",
            json={"code": shown.json()["code"], "location": location},
            headers={"Authorization": f"Bearer {sessions[phone]['access_token']}"},
        )
        assert answer.status_code == 201, answer.text

    scan(ZHANG)
    scan(LI)
    clock.now += timedelta(minutes=61)
    renewed = {"refresh_token": sessions[ZHANG]["refresh_token"]}
    sessions[ZHANG] = client.post("/v1/auth/refresh", json=renewed).json()
    scan(ZHANG)
    confirmed = client.post(
        f"/v1/activities/{activity}/checkins/confirm", json={}, headers=ADMIN
    ).json()
    assert [r["hours"] for r in confirmed["recorded"]] == ["0.75"]
    assert len(confirmed["missing_checkout"]) == 1

"""A served API with a small district in it, and Debian's chromium driven by
Playwright to look at the console as organisers do."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from api.main import create_app
from api.settings import Settings

ADMIN = "console-admin-token"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class District:
    """What the console is shown: a district, a street, two communities."""

    base: str
    district: str = ""
    street: str = ""
    community: str = ""
    other_community: str = ""
    team: str = ""
    activity: str = ""
    members: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    upcoming: str = ""
    at_the_door: str = ""
    codes: dict[str, str] = field(default_factory=dict)

    def client(self, token: str = ADMIN) -> httpx.Client:
        return httpx.Client(
            base_url=self.base, headers={"Authorization": f"Bearer {token}"}
        )


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.is_success, response.text
    body: dict[str, Any] = response.json()
    return body


def build_district(base: str) -> District:
    d = District(base)
    with d.client() as c:
        d.district = ok(c.post("/v1/districts", json={"name": "海港区"}))["id"]
        street = {"name": "东环街道", "district_id": d.district}
        d.street = ok(c.post("/v1/streets", json=street))["id"]

        def community(name: str) -> str:
            body = {"name": name, "street_id": d.street}
            return str(ok(c.post("/v1/communities", json=body))["id"])

        d.community = community("幸福里社区")
        d.other_community = community("光明社区")
        people = [
            ("王芳", d.community, True, "13800138000"),
            ("李娜", d.community, False, "13900139000"),
            (HOSTILE_NAME, d.community, False, "13700137000"),
            ("赵强", d.other_community, True, "13600136000"),
        ]
        for name, place, party, phone in people:
            body = {
                "name": name,
                "community_id": place,
                "party_member": party,
                "phone": phone,
            }
            d.members[name] = ok(c.post("/v1/members", json=body))["id"]
        report = {"community_id": d.community}
        ok(c.post(f"/v1/members/{d.members['王芳']}/double-report", json=report))
        team = {"name": "红马甲志愿服务队", "community_id": d.community}
        d.team = ok(c.post("/v1/teams", json=team))["id"]
        other_team = {"name": "光明巡逻队", "community_id": d.other_community}
        ok(c.post("/v1/teams", json=other_team))
        start = datetime.now(UTC) - timedelta(hours=3)
        activity = {
            "title": "垃圾分类宣传",
            "team_id": d.team,
            "category": "环境保护",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "location": "社区党群服务中心",
        }
        d.activity = ok(c.post("/v1/activities", json=activity))["id"]
        records = {"records": [{"member_id": d.members["王芳"], "hours": "2"}]}
        ok(c.post(f"/v1/activities/{d.activity}/attendance", json=records))
        now = datetime.now(UTC)
        tomorrow = now + timedelta(days=1)
        upcoming = activity | {
            "title": "社区义诊",
            "starts_at": tomorrow.isoformat(),
            "ends_at": (tomorrow + timedelta(hours=2)).isoformat(),
        }
        d.upcoming = ok(c.post("/v1/activities", json=upcoming))["id"]
        door = activity | {
            "title": "消防演练",
            "starts_at": (now - timedelta(minutes=10)).isoformat(),
            "ends_at": (now + timedelta(hours=2)).isoformat(),
        }
        d.at_the_door = ok(c.post("/v1/activities", json=door))["id"]
        reward = {"name": "环保购物袋", "points": 10, "stock": 20}
        ok(c.post(f"/v1/communities/{d.community}/rewards", json=reward))
        scopes = {
            "organizer": {"role": "organizer", "community_ids": [d.community]},
            "other_organizer": {
                "role": "organizer",
                "community_ids": [d.other_community],
            },
            "street_organizer": {"role": "organizer", "street_ids": [d.street]},
            "member": {"role": "member", "member_id": d.members["李娜"]},
        }
        for role, scope in scopes.items():
            d.tokens[role] = ok(c.post("/v1/tokens", json=scope))["token"]
    with d.client(d.tokens["member"]) as member:
        claim = {"activity_id": d.activity, "hours": "1.5", "note": "补录签到"}
        ok(member.post(f"/v1/members/{d.members['李娜']}/hours-claims", json=claim))
    return d


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[District]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    folder = tmp_path_factory.mktemp("console")
    codes: dict[str, str] = {}
    gateway = sms_gateway(codes)
    settings = Settings(
        database_url=f"sqlite:///{folder / 'vpoints.db'}",
        admin_token=ADMIN,
        sms_webhook_url=f"http://127.0.0.1:{gateway.server_port}/sms",
    )
    try:
        with serving(create_app(settings)) as base:
            district = build_district(base)
            district.codes = codes
            yield district
    finally:
        gateway.shutdown()


@contextmanager
def serving(application: Any) -> Iterator[str]:
    """The application served by uvicorn on a free port, at the address given."""
    port = free_port()
    config = uvicorn.Config(
        application, host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the API did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def sms_gateway(codes: dict[str, str]) -> ThreadingHTTPServer:
    """The district's SMS gateway: keeps the last code sent to each phone."""

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            codes[body["phone"]] = body["code"]
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def browser(served: District) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


class Console:
    """One browser tab on the console, failing its test on any console error."""

    def __init__(self, page: Any, district: District) -> None:
        self.page = page
        self.district = district
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "dialog", lambda dialog: self.errors.append(f"dialog: {dialog.message}")
        )

    def _dialog(self, dialog: Any) -> None:
        self.errors.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"{message.type}: {message.text}")

    def open(self, path: str) -> Any:
        self.page.goto(self.district.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def sign_in(self, role: str = "organizer", then: str = "/console/") -> Any:
        token = ADMIN if role == "admin" else self.district.tokens[role]
        self.open("/console/signin?next=" + then)
        self.page.get_by_text("使用令牌登录（管理员）").click()
        self.page.get_by_label("访问令牌").fill(token)
        self.page.get_by_role("button", name="用令牌登录").click()
        self.page.wait_for_url(lambda url: "/console/signin" not in url)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def shoot(self, name: str, *, full_page: bool = True) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        path = str(ARTIFACTS / f"{name}.png")
        self.page.screenshot(path=path, full_page=full_page)


def opened_console(browser: Any, served: District, **options: Any) -> Iterator[Console]:
    """The console in a browser context of its own; no page may have logged an
    error by the end."""
    context = browser.new_context(**({"locale": "zh-CN"} | options))
    page = context.new_page()
    page.set_default_timeout(10_000)
    opened = Console(page, served)
    yield opened
    context.close()
    assert not opened.errors, opened.errors


@pytest.fixture
def console(browser: Any, served: District) -> Iterator[Console]:
    yield from opened_console(
        browser,
        served,
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )


@pytest.fixture
def phone(browser: Any, served: District) -> Iterator[Console]:
    yield from opened_console(
        browser, served, viewport={"width": 375, "height": 812}, is_mobile=True
    )


def chromium_available() -> bool:
    return CHROMIUM.exists() or shutil.which("chromium") is not None

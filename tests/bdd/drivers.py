"""The two ways a scenario is told: to the application itself (``World``, with
``ReadSide`` for the figures once the projector has caught up), or through the
HTTP API (``Journey``), where everything goes through HTTP and nothing reads
tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import pytest
from httpx import Response

from domain.application import VolunteerPoints
from domain.errors import DomainError
from projections.queries import Queries
from projections.runner import Projector
from tests.api.support import ADMIN_TOKEN, Running, bearer
from tests.conftest import STORES

ADMIN = "管理员"
ORGANIZER = "组织者"

# A feature told through the API: on every store, with the ``journey`` that
# ``conftest`` provides set up before the first step.
THROUGH_THE_API = [
    pytest.mark.parametrize("database_url", STORES, indirect=True),
    pytest.mark.usefixtures("journey"),
]


@dataclass
class World:
    """What one scenario has made so far, by name, and what its last command did."""

    app: VolunteerPoints
    actor: str = "社区书记李华"
    ids: dict[str, UUID] = field(default_factory=dict)
    kept: dict[str, Any] = field(default_factory=dict)
    before: int = 0
    error: DomainError | None = None
    error_seen: bool = True

    def id(self, name: str) -> UUID:
        assert name in self.ids, f"场景中没有“{name}”"
        return self.ids[name]

    def attempt(self, command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Runs a command, keeping a refusal for a later step to inspect."""
        self.check_no_unexpected_refusal()
        self.before = self.app.position()
        self.error = None
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            self.error = error
            self.error_seen = False
            return None

    def make(
        self, name: str, command: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> None:
        """Attempts a command that makes something, and names what it made."""
        written = self.attempt(command, *args, **kwargs)
        if written is not None:
            self.ids[name] = written.id

    def check_no_unexpected_refusal(self) -> None:
        if self.error is not None and not self.error_seen:
            error, self.error = self.error, None
            pytest.fail(f"命令被意外拒绝: {error.code}: {error.message}")

    def new_events(self) -> list[Any]:
        notifications = self.app.recorder.select_notifications(
            start=self.before + 1, limit=1000
        )
        return [self.app.mapper.to_domain_event(n) for n in notifications]

    def stored_events(self, name: str) -> list[Any]:
        return list(self.app.events.get(self.id(name)))


def event_name(domain_event: Any) -> str:
    return type(domain_event).__qualname__


def schedule(
    world: World,
    team: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    **details: Any,
) -> None:
    """Schedules a policy talk at the community centre unless ``details`` say
    otherwise (a points rule, a capacity, another category)."""
    written = world.app.schedule_activity(
        title=title,
        team_id=world.id(team),
        starts_at=starts_at,
        ends_at=ends_at,
        actor=world.actor,
        **({"category": "政策宣讲", "location": "社区党群服务中心"} | details),
    )
    world.ids[title] = written.id


@dataclass
class ReadSide:
    world: World
    projector: Projector

    def caught_up(self) -> Queries:
        """The queries once they reflect every command of the scenario so far."""
        self.world.check_no_unexpected_refusal()
        self.projector.catch_up()
        return Queries(self.projector.view)


def holder(who: str) -> str:
    """'组织者' or '"王芳"' as written in a step: the name of a token holder."""
    return who.strip('"')


@dataclass
class Journey:
    """One scenario's calls to the API: who holds which token, what was made,
    and the last answer."""

    api: Running
    tokens: dict[str, str] = field(default_factory=lambda: {ADMIN: ADMIN_TOKEN})
    ids: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    position: int = 0
    before: int = 0
    response: Response | None = None
    unchecked: bool = False

    def id(self, name: str) -> str:
        assert name in self.ids, f"场景中没有“{name}”"
        return self.ids[name]

    def log_position(self) -> int:
        position: int = self.api.client.get("/healthz").json()["position"]
        return position

    def send(self, who: str, method: str, url: str, body: Any = None) -> Response:
        """A write; a refusal waits for a "请求被拒绝" step to look at it."""
        self.check_no_unexpected_refusal()
        self.before = self.log_position()
        response = self.api.client.request(
            method, url, json=body, headers=bearer(self.tokens[holder(who)])
        )
        if response.is_success:
            self.position = max(self.position, response.json()["position"])
        self.response, self.unchecked = response, not response.is_success
        return response

    def upload(self, who: str, url: str, name: str, content: bytes) -> Response:
        """A file sent as an organiser's import is; a refusal waits for a
        "请求被拒绝" step to look at it."""
        self.check_no_unexpected_refusal()
        self.before = self.log_position()
        response = self.api.client.post(
            url,
            files={"file": (name, content, "application/octet-stream")},
            headers=bearer(self.tokens[holder(who)]),
        )
        if response.is_success:
            self.position = max(self.position, response.json()["position"])
        self.response, self.unchecked = response, not response.is_success
        return response

    def made(self, who: str, method: str, url: str, body: Any = None) -> Any:
        """A write that setting the scene needs to succeed."""
        response = self.send(who, method, url, body)
        assert response.is_success, response.text
        return response.json()

    def post(self, who: str, url: str, body: Any, *, done: bool) -> Response:
        """A write a step makes, or finds ``done`` in the scene: it must succeed."""
        response = self.send(who, "POST", url, body)
        assert response.is_success or not done, response.text
        return response

    def remember(self, name: str, response: Response, kind: str | None = None) -> None:
        """Knows what a write made, if it succeeded, as ``name`` from then on."""
        if response.is_success:
            self.ids[name] = response.json()["id"]
            if kind is not None:
                self.kinds[name] = kind

    def read(self, who: str, url: str, **params: Any) -> Response:
        """A read that reflects every write of the scenario so far."""
        self.check_no_unexpected_refusal()
        response = self.api.client.get(
            url,
            params={"min_position": self.position, **params},
            headers=bearer(self.tokens[holder(who)]),
        )
        self.response, self.unchecked = response, not response.is_success
        return response

    def answer(self) -> Any:
        assert self.response is not None, "还没有发出请求"
        assert self.response.is_success, self.response.text
        return self.response.json()

    def refusal(self) -> Response:
        assert self.response is not None, "还没有发出请求"
        self.unchecked = False
        return self.response

    def check_no_unexpected_refusal(self) -> None:
        if self.unchecked and self.response is not None:
            self.unchecked = False
            pytest.fail(f"请求被意外拒绝: {self.response.text}")

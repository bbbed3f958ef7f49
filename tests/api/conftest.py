"""Fixtures of the HTTP API tests: a running API, a small district in it, the
organisation tree beside it, and the clock in summer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from tests.api.support import Running, Scene, build_scene, running_api
from tests.api.tree_support import Tree
from tests.conftest import Clock

SUMMER = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def running(database_url: str, clock: Clock) -> Iterator[Running]:
    with running_api(database_url, clock) as api:
        yield api


@pytest.fixture
def system(running: Running) -> System:
    return running.system


@pytest.fixture
def client(running: Running) -> TestClient:
    return running.client


@pytest.fixture
def scene(running: Running) -> Scene:
    return build_scene(running)


@pytest.fixture
def summer(clock: Clock) -> Clock:
    """The clock on 1 June 2026, so that dates since the scene's 1 March are past."""
    clock.now = SUMMER
    return clock


@pytest.fixture
def tree(scene: Scene, running: Running) -> Tree:
    app = running.system.app
    actor = BOOTSTRAP_ADMIN
    district = app.register_district("秦皇岛经济技术开发区", actor).id
    other_district = app.register_district("北戴河新区", actor).id
    street = app.register_street("东风街道", district, actor).id
    app.register_street("戴河镇", other_district, actor)
    community = app.register_community(
        "海滨社区", None, actor, street_id=street, party_organisation="党委"
    ).id
    grid = app.register_grid("第一网格", community, True, actor).id
    other_grid = app.register_grid("第二网格", community, False, actor).id
    member = app.register_member(
        "赵强", community, party_member=True, actor=actor, grid_id=grid
    ).id
    app.join_team(UUID(scene.team), member, actor)
    app.record_attendance(UUID(scene.started), [(member, Decimal("1.5"))], actor)
    scopes = {
        "district_organizer": {"district_ids": [district]},
        "street_organizer": {"street_ids": [street]},
        "elsewhere_organizer": {"district_ids": [other_district]},
    }
    for role, scope in scopes.items():
        scene.tokens[role] = f"vp_test_{role}"
        app.issue_token(scene.tokens[role], "organizer", actor, **scope)
    scene.position = app.position()
    return Tree(
        scene,
        district=str(district),
        other_district=str(other_district),
        street=str(street),
        community=str(community),
        grid=str(grid),
        other_grid=str(other_grid),
        member=str(member),
    )

"""Fixtures of the HTTP API tests: a running API, a small district in it, the
organisation tree beside it, and the clock in summer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from api.system import System
from tests.api.support import Running, Scene, build_scene, running_api
from tests.api.tree_support import Tree, build_tree
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
    return build_tree(scene, running)

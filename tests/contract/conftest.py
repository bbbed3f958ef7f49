"""Fixtures of the contract tests: the small world every command runs in."""

from __future__ import annotations

import pytest

from domain.application import VolunteerPoints
from tests.conftest import Clock
from tests.contract.contract_world import World, build_world


@pytest.fixture
def world(app: VolunteerPoints, clock: Clock) -> World:
    return build_world(app, clock)

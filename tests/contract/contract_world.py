"""The small world every contract test runs in: a community with a team,
members and activities in every state; the stores each test runs on; and the
state of aggregates to compare before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.application import VolunteerPoints
from tests.conftest import STORES, Clock

SHARED_STORES = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))

on_every_store = pytest.mark.parametrize("database_url", STORES, indirect=True)
on_shared_stores = pytest.mark.parametrize("database_url", SHARED_STORES, indirect=True)


@dataclass
class World:
    """A small community with a team, members and activities in every state."""

    community: UUID
    elsewhere: UUID
    unit: UUID
    alice: UUID
    bob: UUID
    team: UUID
    dissolved_team: UUID
    upcoming: UUID
    running: UUID
    closed: UUID
    cancelled: UUID

    def ids(self) -> list[UUID]:
        return list(vars(self).values())


def build_world(app: VolunteerPoints, clock: Clock) -> World:
    now = clock.now
    community = app.register_community("幸福社区", "城关街道", "admin").id
    elsewhere = app.register_community("和平社区", None, "admin").id
    unit = app.register_unit("区教育局党委", "admin").id
    alice = app.register_member("张三", community, True, "admin", unit_id=unit).id
    bob = app.register_member("李四", community, False, "admin").id
    team = app.found_team("红色先锋队", community, "admin").id
    app.join_team(team, alice, "admin")
    dissolved_team = app.found_team("旧队", community, "admin").id
    app.dissolve_team(dissolved_team, "合并", "admin")

    def schedule(title: str, starts_in: float, **options: Any) -> UUID:
        return app.schedule_activity(
            title,
            team,
            "环境整治",
            now + timedelta(hours=starts_in),
            now + timedelta(hours=starts_in + 3),
            "admin",
            **options,
        ).id

    upcoming = schedule("政策宣讲", 1, capacity=1)
    app.sign_up(upcoming, alice, "alice")
    running = schedule("社区清洁", -1)
    app.record_attendance(running, [(alice, 1)], "admin")
    closed = schedule("义诊", -2)
    app.close_activity(closed, "admin")
    cancelled = schedule("巡逻", 2)
    app.cancel_activity(cancelled, "暴雨", "admin")
    return World(
        community,
        elsewhere,
        unit,
        alice,
        bob,
        team,
        dissolved_team,
        upcoming,
        running,
        closed,
        cancelled,
    )


def state_of(app: VolunteerPoints, aggregate_id: UUID) -> dict[str, Any]:
    aggregate = app.repository.get(aggregate_id)
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def states(app: VolunteerPoints, ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    return {i: state_of(app, i) for i in ids}

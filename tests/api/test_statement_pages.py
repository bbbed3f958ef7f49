"""A member's statement read a page at a time (shared/API.md, "Reads at
scale"): ``limit`` and ``cursor`` as every list takes them, ``next_cursor`` on
each page, the pages together the whole statement in start order, and the
year's totals on every page. Paging leans on each store's SQL, so it runs on
every store; the refusals do not, and run in memory."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from api.auth import BOOTSTRAP_ADMIN
from tests.api.support import Running, Scene, error_fields, ok, problem
from tests.conftest import STORES

every_store = pytest.mark.parametrize("database_url", STORES, indirect=True)
SHANGHAI_NINE = "T09:00:00+08:00"


def attended(running: Running, scene: Scene, days: list[str]) -> list[str]:
    """An activity on each day (two on a day start at the same time), each
    attended by the scene's member; the activities' ids."""
    app = running.system.app
    ids = []
    for day in days:
        starts_at = datetime.fromisoformat(day + SHANGHAI_NINE)
        activity = app.schedule_activity(
            f"巡河 {day}",
            UUID(scene.team),
            "环境保护",
            starts_at,
            starts_at + timedelta(hours=2),
            BOOTSTRAP_ADMIN,
        ).id
        app.record_attendance(activity, [(UUID(scene.member), Decimal(1))], "组织者")
        ids.append(str(activity))
    scene.position = app.position()
    return ids


def pages(scene: Scene, url: str, role: str = "admin", **params: Any) -> list[Any]:
    """Every page of a statement, following ``next_cursor`` to the last."""
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        more: dict[str, str] = {"cursor": cursor} if cursor else {}
        found.append(ok(scene.read(url, role, **params, **more)))
        cursor = found[-1]["next_cursor"]
        if cursor is None:
            return found


def cursor_of(*key: str) -> str:
    raw = json.dumps(list(key)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@every_store
def test_the_pages_of_a_statement_are_the_whole_statement_in_start_order(
    running: Running, scene: Scene
) -> None:
    days = ["2026-02-03", "2026-01-15", "2026-02-03", "2026-01-02", "2026-02-28"]
    attended(running, scene, days)
    url = f"/v1/members/{scene.member}/statement"
    whole = ok(scene.read(url, year=2026, limit=500))
    assert whole["next_cursor"] is None
    assert len(whole["items"]) == 6
    in_order = [(i["date"], i["activity_id"]) for i in whole["items"]]
    assert in_order == sorted(in_order)
    walked = pages(scene, url, year=2026, limit=4)
    assert [len(page["items"]) for page in walked] == [4, 2]
    assert [i for page in walked for i in page["items"]] == whole["items"]
    totals = {(page["points"], page["hours"], page["as_of"]) for page in walked}
    assert totals == {(whole["points"], whole["hours"], "2026-03-01")}
    mine = pages(scene, "/v1/me/statement", "member_self", year=2026, limit=1)
    assert [i for page in mine for i in page["items"]] == whole["items"]


@every_store
def test_a_statement_is_50_items_a_page_unless_asked_otherwise(
    running: Running, scene: Scene
) -> None:
    attended(running, scene, [f"2026-01-{day:02d}" for day in range(1, 31)] * 2)
    url = f"/v1/members/{scene.member}/statement"
    first = ok(scene.read(url, year=2026))
    assert len(first["items"]) == 50
    rest = ok(scene.read(url, year=2026, cursor=first["next_cursor"]))
    assert (len(rest["items"]), rest["next_cursor"]) == (11, None)
    ids = [i["activity_id"] for i in first["items"] + rest["items"]]
    assert len(set(ids)) == 61


@every_store
def test_a_cursor_keeps_to_the_year_and_the_date_asked_about(
    running: Running, scene: Scene, summer: Any
) -> None:
    attended(running, scene, ["2025-12-31", "2026-01-01", "2026-01-02", "2026-04-01"])
    url = f"/v1/members/{scene.member}/statement"
    walked = pages(scene, url, year=2026, as_of="2026-03-31", limit=1)
    dates = [i["date"] for page in walked for i in page["items"]]
    assert dates == ["2026-01-01", "2026-01-02", "2026-03-01"]
    assert {page["points"] for page in walked} == {"40.0"}
    last_year = pages(scene, url, year=2025, limit=1)
    assert [i["date"] for p in last_year for i in p["items"]] == ["2025-12-31"]


@pytest.mark.parametrize("limit", ["0", "-1", "501", "fifty"])
@pytest.mark.parametrize("url", ["/v1/members/{member}/statement", "/v1/me/statement"])
def test_a_statement_page_of_a_limit_outside_1_to_500_is_a_validation_error(
    scene: Scene, url: str, limit: str
) -> None:
    response = scene.read(url.format(member=scene.member), "member_self", limit=limit)
    assert error_fields(problem(response, 422, "validation_error")) == {"limit"}


def test_a_cursor_of_another_list_member_or_year_is_a_validation_error(
    running: Running, scene: Scene
) -> None:
    attended(running, scene, ["2026-01-05", "2026-01-06"])
    url = f"/v1/members/{scene.member}/statement"
    mine = ok(scene.read(url, year=2026, limit=1))["next_cursor"]
    of_activities = ok(scene.read("/v1/activities", limit=1))["next_cursor"]
    other_member = f"/v1/members/{scene.other_member}/statement"
    refused = [
        scene.read(url, year=2026, cursor="bm90IG1pbmU"),
        scene.read(url, year=2026, cursor="%%%"),
        scene.read(url, year=2026, cursor=of_activities),
        scene.read(url, year=2025, cursor=mine),
        scene.read(other_member, year=2026, cursor=mine),
        scene.read(url, year=2026, cursor=cursor_of(scene.member, "2026-01-05", "\0")),
        scene.read(url, year=2026, cursor=cursor_of(scene.member, "x", "y", "z")),
        scene.read(url, year=2026, cursor="x" * 513),
    ]
    for response in refused:
        assert error_fields(problem(response, 422, "validation_error")) == {"cursor"}
    assert ok(scene.read(url, year=2026, cursor=mine))["next_cursor"] is None

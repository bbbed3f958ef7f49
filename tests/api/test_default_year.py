"""Figures default to the current year in Asia/Shanghai by the application's clock."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from tests.api.support import ADMIN_TOKEN, bearer
from tests.conftest import Clock


def test_the_default_year_is_the_applications_year_in_shanghai(
    client: TestClient, clock: Clock
) -> None:
    clock.now = datetime(2029, 12, 31, 16, 30, tzinfo=UTC)  # 00:30 on 1 January 2030

    stats = client.get("/v1/stats", headers=bearer(ADMIN_TOKEN))

    assert stats.status_code == 200, stats.text
    assert stats.json()["year"] == 2030

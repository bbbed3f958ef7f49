"""What the import tests share: uploading a file, the import URLs, a grid, a
community's members by name, and an XLSX written in memory."""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient
from httpx import Response
from openpyxl import Workbook

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from tests.api.support import Scene

ROSTER = "姓名,手机号,网格,政治面貌,单位,登记日期\n"


def upload(
    client: TestClient,
    url: str,
    content: bytes,
    name: str = "roster.csv",
    role_token: str = "vp_test_bootstrap_admin",
    **params: Any,
) -> Response:
    response: Response = client.post(
        url,
        files={"file": (name, content, "application/octet-stream")},
        params=params,
        headers={"Authorization": f"Bearer {role_token}"},
    )
    return response


def roster_url(scene: Scene) -> str:
    return f"/v1/communities/{scene.community}/members/import"


def sheet_url(scene: Scene) -> str:
    return f"/v1/activities/{scene.started}/attendance/import"


def grid(system: System, scene: Scene, name: str = "第一网格") -> UUID:
    community = UUID(scene.community)
    return system.app.register_grid(name, community, True, BOOTSTRAP_ADMIN).id


def members_of(system: System, scene: Scene) -> list[dict[str, Any]]:
    system.catch_up_to_now()
    page = system.queries.community_members(scene.community, 500, None)
    items: list[dict[str, Any]] = page["items"]
    return items


def by_name(system: System, scene: Scene) -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in members_of(system, scene)}


def xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

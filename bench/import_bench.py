"""A 10,000-row roster (花名册) and a 5,000-row sign-in sheet (签到表) imported
through the routes on a fresh SQLite file, timed, with in-process httpx against
the ASGI app and the projector running in the process as ``vpoints serve`` runs
it. Each import is timed from the request to its answer; the read models'
catch-up afterwards is timed apart.

    python bench/import_bench.py [--members 10000] [--sheet 5000] [--format csv|xlsx]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from openpyxl import Workbook

from api.auth import BOOTSTRAP_ADMIN
from api.main import create_app
from api.settings import Settings
from api.system import System

ADMIN = "bench-admin-token"


def roster(members: int, fmt: str) -> bytes:
    rows = [
        [f"志愿者{i}", f"139{i:08d}", "第一网格", "中共党员" if i % 3 else "群众"]
        for i in range(members)
    ]
    return table(["姓名", "手机号", "网格", "政治面貌"], rows, fmt)


def sign_in_sheet(rows: int, fmt: str) -> bytes:
    lines = [[f"139{i:08d}", f"志愿者{i}", "2"] for i in range(rows)]
    return table(["手机号", "姓名", "时长"], lines, fmt)


def table(headers: list[str], rows: list[list[str]], fmt: str) -> bytes:
    if fmt == "csv":
        lines = [",".join(headers), *(",".join(r) for r in rows)]
        return ("\n".join(lines) + "\n").encode("gb18030")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append([int(c) if c.isdigit() else c for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def post(
    client: httpx.AsyncClient, url: str, content: bytes, name: str
) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    response = await client.post(url, files={"file": (name, content)})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text[:500]
    body: dict[str, object] = response.json()
    return elapsed, body


async def run(members: int, sheet_rows: int, fmt: str, directory: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{directory / 'vpoints.db'}", admin_token=ADMIN
    )
    system = System(settings)
    app = system.app
    community = app.register_community("幸福里社区", "东风街道", BOOTSTRAP_ADMIN).id
    app.register_grid("第一网格", community, True, BOOTSTRAP_ADMIN)
    team = app.found_team("红马甲志愿服务队", community, BOOTSTRAP_ADMIN).id
    now = datetime.now(UTC).replace(microsecond=0)
    activity = app.schedule_activity(
        title="政策宣讲",
        team_id=team,
        category="宣传",
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(minutes=30),
        actor=BOOTSTRAP_ADMIN,
    ).id
    system.start()
    name = f"file.{fmt}"
    roster_file = roster(members, fmt)
    sheet_file = sign_in_sheet(sheet_rows, fmt)
    try:
        async with client_of(settings, system) as client:
            url = f"/v1/communities/{community}/members/import"
            took, body = await post(client, url, roster_file, name)
            print(
                f"roster: {members} rows, {len(roster_file):,} bytes {fmt}: "
                f"{took:.2f} s → {body}"
            )
            caught_up(system)
            took, body = await post(client, url, roster_file, name)
            print(f"roster again (all unchanged): {took:.2f} s → {body}")
    finally:
        system.close()
    # A process started afresh, so no member is in its aggregate cache.
    system = System(settings)
    system.start()
    try:
        async with client_of(settings, system) as client:
            url = f"/v1/activities/{activity}/attendance/import"
            took, body = await post(client, url, sheet_file, name)
            print(
                f"sign-in sheet (a fresh process): {sheet_rows} rows, "
                f"{len(sheet_file):,} bytes {fmt}: {took:.2f} s → {body}"
            )
            caught_up(system)
            took, body = await post(client, url, sheet_file, name)
            print(f"sign-in sheet again (all unchanged): {took:.2f} s → {body}")
    finally:
        system.close()


def client_of(settings: Settings, system: System) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings, system)),
        base_url="http://bench",
        headers={"Authorization": f"Bearer {ADMIN}"},
        timeout=120,
    )


def caught_up(system: System) -> None:
    started = time.perf_counter()
    assert system.projector.wait_for(system.app.position(), 300)
    print(f"  read models caught up {time.perf_counter() - started:.2f} s later")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--sheet", type=int, default=5_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(run(args.members, args.sheet, args.format, Path(directory)))


if __name__ == "__main__":
    main()

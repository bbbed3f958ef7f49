"""A member's statement a page at a time, against the length of the member's
history, on SQLite.

One SQLite file holds a year (2026) of 10,000 activities, spread over the year
and attended by four members of a pool of 500 each, and by three members whose
history is measured: one at every activity (10,000 attendances in the year),
one at the first 1,000, one at the first 10. Every seventh attendance of theirs
is corrected once, so items carry a history of one or two entries. The log is
written straight from the aggregates (as tests/projections/bulk.py does) and
projected once; then, for each of the three members:

- in-process, through the query class (``Queries.statement_page``): the first
  page and a middle page (the page after half the member's items), 50 items;
- over HTTP, in-process too: ``GET /v1/members/{id}/statement`` through
  FastAPI's TestClient (httpx on the ASGI app, no socket; the admin token, so
  the route, its dependencies and the response model are all in the time);
- the first page as of 30 June, in-process: the year's totals as of a date
  before the member's last attendance are added up from the attendances up to
  that date (the points read's own way, unchanged here), so that column grows
  with the history;
- for contrast, the whole statement (``Queries.statement``), which walks every
  page.

Each time is the median of ``--reads`` reads after ten unmeasured ones.

    python bench/statement_pages.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from api.system import System
from domain.activity import Activity
from domain.community import Community
from domain.member import Member
from domain.team import Team
from infrastructure.storage import open_application, parse_database_url
from projections.runner import Projector

ACTOR = "区委组织部王敏"
TOKEN = "vp_bench_statement_admin"
YEAR = 2026
NOW = datetime(YEAR, 12, 31, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
HISTORIES = (10, 1_000, 10_000)
ACTIVITIES = max(HISTORIES)
CROWD = 500
PAGE = 50
MID_YEAR = date(YEAR, 6, 30)


def write_year(url: str) -> list[UUID]:
    """The year's log, projected; the measured members' ids, shortest
    history first."""
    app = open_application(parse_database_url(url), clock=lambda: NOW)
    try:
        community = Community(name="幸福里社区", street="城关街道", actor=ACTOR)
        people = [
            Member(
                name=f"志愿者{i}",
                community_id=community.id,
                party_member=i % 2 == 0,
                unit_id=None,
                grid_id=None,
                grid=None,
                phone=None,
                registered_on=date(YEAR - 1, 1, 1),
                actor=ACTOR,
            )
            for i in range(CROWD + len(HISTORIES))
        ]
        team = Team(
            name="红马甲志愿服务队",
            community_id=community.id,
            founded_on=date(YEAR - 1, 1, 1),
            actor=ACTOR,
        )
        app.save(community, *people, team)
        measured, crowd = people[: len(HISTORIES)], people[len(HISTORIES) :]
        spacing = timedelta(days=364) / ACTIVITIES
        first = datetime(YEAR, 1, 1, 0, 0, tzinfo=UTC)
        pending: list[Activity] = []
        for n in range(ACTIVITIES):
            starts_at = first + n * spacing
            activity = Activity(
                title=f"巡河第{n}次",
                team_id=team.id,
                community_id=community.id,
                category="环境保护",
                starts_at=starts_at.replace(microsecond=0),
                ends_at=starts_at.replace(microsecond=0) + timedelta(minutes=30),
                location=None,
                capacity=None,
                points_per_hour=None,
                fixed_points=None,
                actor=ACTOR,
            )
            ends = activity.ends_at
            theirs = [m.id for m, h in zip(measured, HISTORIES, strict=True) if n < h]
            others = [crowd[(n * 4 + k) % CROWD].id for k in range(4)]
            records = [(member, Decimal("0.5")) for member in theirs + others]
            activity.record_attendance(records, ends, ACTOR)
            if n % 7 == 0:
                corrected = [(member, Decimal("0.25")) for member in theirs]
                activity.record_attendance(corrected, ends, ACTOR, "核对签到表后更正")
            pending.append(activity)
            if len(pending) == 500:
                app.save(*pending)
                pending = []
        app.save(*pending)
        Projector(app).catch_up()
        return [m.id for m in measured]
    finally:
        app.close()


def median_ms(read: Callable[[], Any], reads: int) -> float:
    for _ in range(10):
        read()
    times = []
    for _ in range(reads):
        started = time.perf_counter()
        read()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(url: str, members: list[UUID], reads: int) -> list[list[str]]:
    settings = Settings(database_url=url, admin_token=TOKEN)
    system = System(settings, clock=lambda: NOW)
    try:
        with TestClient(create_app(settings, system)) as client:
            system.catch_up_to_now()
            return [
                member_row(system, client, str(member), history, reads)
                for member, history in zip(members, HISTORIES, strict=True)
            ]
    finally:
        system.close()


def member_row(
    system: System, client: TestClient, member: str, history: int, reads: int
) -> list[str]:
    """One member's times: first and middle page in-process and over HTTP,
    and the whole statement."""
    queries, on = system.queries, system.app.today()
    path = f"/v1/members/{member}/statement"
    headers = {"Authorization": f"Bearer {TOKEN}"}

    def page(cursor: str | None, as_of: date = on) -> Any:
        return queries.statement_page(member, YEAR, as_of, PAGE, cursor)

    def over_http(cursor: str | None) -> Any:
        params: dict[str, Any] = {"year": YEAR, "limit": PAGE}
        if cursor is not None:
            params["cursor"] = cursor
        answer = client.get(path, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return answer

    whole = queries.statement(member, YEAR, on)
    assert len(whole["items"]) == history, len(whole["items"])
    middle = cursor_after(queries, member, on, history // 2)
    first_query = median_ms(lambda: page(None), reads)
    first_http = median_ms(lambda: over_http(None), reads)
    mid_year = median_ms(lambda: page(None, MID_YEAR), reads)
    whole_ms = median_ms(lambda: queries.statement(member, YEAR, on), 5)
    # A member with one page has no middle one.
    middle_query = middle_http = "—"
    if middle is not None:
        middle_query = f"{median_ms(lambda: page(middle), reads):.2f}"
        middle_http = f"{median_ms(lambda: over_http(middle), reads):.2f}"
    return [
        f"{history:,}",
        f"{first_query:.2f}",
        middle_query,
        f"{first_http:.2f}",
        middle_http,
        f"{mid_year:.2f}",
        f"{whole_ms:.1f}",
    ]


def cursor_after(queries: Any, member: str, on: date, items: int) -> str | None:
    """The cursor of the page that starts after ``items`` of the member's
    items (none when there are too few for a second page)."""
    if items < PAGE:
        return None
    skipped = queries.statement_page(member, YEAR, on, items, None)
    cursor: str | None = skipped["next_cursor"]
    return cursor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reads", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vpoints-statement-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'vpoints.db'}"
        started = time.perf_counter()
        members = write_year(url)
        written = time.perf_counter() - started
        print(f"log written and projected in {written:.1f} s", file=sys.stderr)
        rows = measure(url, members, args.reads)
    heads = [
        "attendances in the year",
        "first page, query (ms)",
        "middle page, query (ms)",
        "first page, HTTP (ms)",
        "middle page, HTTP (ms)",
        "first page as of 30 June, query (ms)",
        "whole statement, query (ms)",
    ]
    print("| " + " | ".join(heads) + " |")
    print("| " + " | ".join("---:" for _ in heads) + " |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()

"""A golden log replayed: imported into an empty database, projected, and
every figure read back."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from api.cli_log import figures_of
from domain.application import VolunteerPoints
from infrastructure.digest import chained_recorder
from infrastructure.log_file import copy_entries, importing, read_log
from infrastructure.storage import open_application, parse_database_url
from projections.queries import Queries
from projections.runner import Projector
from tests.conftest import Clock

HERE = Path(__file__).parent
RELEASES = ("2026-12", "2026-12-07", "2026-12-07-rules")


def log_file(release: str) -> Path:
    return HERE / f"log-{release}.jsonl.gz"


def figures_file(release: str) -> Path:
    return HERE / f"figures-{release}.json"


def everything(app: VolunteerPoints, queries: Queries, today: date) -> dict[str, Any]:
    """Every figure of every scope and year, every member's points for those
    years and every member's points account, by what names them."""
    found: dict[str, Any] = dict(figures_of(queries, today))
    years = sorted({*queries.years_held(), today.year})
    members = sorted(
        {
            str(n.originator_id)
            for n in app.recorder.select_notifications(
                1, 1_000_000, topics=["domain.member:Member.Registered"]
            )
        }
    )
    for member in members:
        for year in years:
            found[f"points {member} {year}"] = queries.member_points(
                member, year, min(today, date(year, 12, 31))
            )
        found[f"account {member}"] = queries.account(member, today, 3)
    found["chain head"] = chained_recorder(app).chain_head()[1].hex()
    return found


def replayed(release: str, folder: Path) -> tuple[VolunteerPoints, dict[str, Any]]:
    """The release's golden log in a fresh SQLite database, projected, with
    every figure as the expected figures were written (on their day)."""
    expected = json.loads(figures_file(release).read_text(encoding="utf-8"))
    today = date.fromisoformat(expected["today"])
    clock = Clock(datetime(today.year, today.month, today.day, 4, tzinfo=UTC))
    url = f"sqlite:///{folder / f'golden-{release}.db'}"
    app = open_application(parse_database_url(url), clock=clock)
    copy_entries(read_log(log_file(release)), importing(app.recorder))
    projector = Projector(app)
    projector.catch_up()
    queries = Queries(projector.view, sealer=projector.sealer)
    return app, json.loads(json.dumps(everything(app, queries, today)))

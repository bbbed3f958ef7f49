"""Writes to one long activity, with and without the aggregate cache.

Records single attendances on one activity until it holds ``--size`` of them,
and reports the rate over the last 500: without the cache every write replays
the whole activity; with it the cached activity is fast-forwarded instead.

    python bench/long_aggregates.py --size 5000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from infrastructure.storage import open_application, parse_database_url


def run(url: str, size: int, cache: str) -> float:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    app = open_application(
        parse_database_url(url),
        clock=lambda: now + timedelta(hours=1),
        extra_env={"AGGREGATE_CACHE_MAXSIZE": cache},
    )
    community = app.register_community("长活动社区", None, "bench").id
    team = app.found_team("长活动服务队", community, "bench").id
    members = [
        app.register_member(f"志愿者{i}", community, True, "bench").id
        for i in range(size)
    ]
    activity = app.schedule_activity(
        "长期活动", team, "基准", now, now + timedelta(hours=4), "bench"
    ).id
    last = 500
    for member_id in members[:-last]:
        app.record_attendance(activity, [(member_id, "2")], "bench")
    started = time.perf_counter()
    for member_id in members[-last:]:
        app.record_attendance(activity, [(member_id, "2")], "bench")
    rate = last / (time.perf_counter() - started)
    app.close()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=5000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="vpoints-long-"))
    without = run(f"sqlite:///{workdir / 'without.db'}", args.size, "")
    with_cache = run(f"sqlite:///{workdir / 'with.db'}", args.size, "20000")
    print(
        json.dumps(
            {
                "attendances_on_one_activity": args.size,
                "without_cache_per_s": round(without),
                "with_cache_per_s": round(with_cache),
                "speed_up": round(with_cache / without, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

"""How fast a 台账 of 100,000 attendances exports, and in how much memory.

    .venv/bin/python bench/ledger_bench.py [--attendances 100000] [--members 1000]

Phases, each in a fresh process so that each peak RSS is its own:

1. write:   a district with one street and one community, ``--members``
            members and one team; activities held through the year, each
            attended by every member, recorded through the application's
            batched path (``record_attendance``, 500 records a call) until
            ``--attendances`` are recorded; on SQLite;
2. project: the read models caught up with that log;
3. xlsx, csv: ``vpoints``'s API served by uvicorn in this process (read models
            already caught up, no projector), and the district's ledger
            downloaded from it over HTTP with httpx, streamed, counting bytes;
            then the file checked (its attendance rows counted).

Prints the seconds and size of each export, the RSS before the download and
the process's peak RSS (resource.getrusage) after it."""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from infrastructure.storage import open_application, parse_database_url  # noqa: E402
from projections.runner import Projector  # noqa: E402

ADMIN_TOKEN = "vp_bench_admin"
ACTOR = "admin:bootstrap"
YEAR = 2026
BATCH = 500
TARGET_SECONDS = 10.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def url_of(db: Path) -> str:
    return f"sqlite:///{db}"


def write(db: Path, attendances: int, members: int) -> dict[str, Any]:
    app = open_application(parse_database_url(url_of(db)))
    started = time.perf_counter()
    district = app.register_district("秦皇岛经济技术开发区", ACTOR).id
    street = app.register_street("东风街道", district, ACTOR).id
    community = app.register_community("海滨社区", None, ACTOR, street_id=street).id
    since = date(YEAR, 1, 1)
    team = app.found_team("海滨志愿服务队", community, ACTOR, founded_on=since).id
    people: list[UUID] = [
        app.register_member(
            f"志愿者{n:05d}",
            community,
            party_member=n % 3 == 0,
            actor=ACTOR,
            phone=f"138{n:08d}",
            registered_on=since,
        ).id
        for n in range(members)
    ]
    recorded = activities = 0
    day = datetime(YEAR, 1, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    while recorded < attendances:
        starts = day + timedelta(days=activities % 330, hours=activities // 330)
        activity = app.schedule_activity(
            title=f"社区服务第{activities + 1}次",
            team_id=team,
            category=("环境保护", "关爱老人", "文明宣传")[activities % 3],
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            actor=ACTOR,
        ).id
        activities += 1
        attendees = people[: min(members, attendances - recorded)]
        for start in range(0, len(attendees), BATCH):
            records = [(m, Decimal(2)) for m in attendees[start : start + BATCH]]
            app.record_attendance(activity, records, ACTOR)
        recorded += len(attendees)
    seconds = time.perf_counter() - started
    events = app.position()
    app.close()
    return {
        "district": str(district),
        "attendances": recorded,
        "activities": activities,
        "events": events,
        "seconds": seconds,
    }


def project(db: Path) -> dict[str, Any]:
    app = open_application(parse_database_url(url_of(db)))
    started = time.perf_counter()
    events = Projector(app).catch_up()
    seconds = time.perf_counter() - started
    app.close()
    return {"events": events, "seconds": seconds}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def export(db: Path, district: str, file_format: str) -> dict[str, Any]:
    import httpx
    import uvicorn

    from api.main import create_app
    from api.settings import Settings
    from api.system import System

    settings = Settings(database_url=url_of(db), admin_token=ADMIN_TOKEN)
    system = System(settings, run_projector=False)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, system), host="127.0.0.1", port=port, log_level="error"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with (
        httpx.Client(base_url=base, headers=headers, timeout=120) as client,
        tempfile.TemporaryFile() as kept,
    ):
        while not server.started:
            time.sleep(0.05)
        assert client.get("/healthz").status_code == 200
        before = rss_mb()
        size = 0
        started = time.perf_counter()
        url = f"/v1/districts/{district}/ledger"
        params = {"year": YEAR, "format": file_format}
        with client.stream("GET", url, params=params) as response:
            assert response.status_code == 200, response.read()
            for chunk in response.iter_bytes():
                size += len(chunk)
                kept.write(chunk)
        seconds = time.perf_counter() - started
        peak = peak_rss_mb()
        server.should_exit = True
        thread.join()
        system.close()
        kept.seek(0)
        rows = count_rows(kept.read(), file_format)
    return {
        "seconds": seconds,
        "bytes": size,
        "rows": rows,
        "rss_before_mb": before,
        "peak_rss_mb": peak,
    }


def count_rows(content: bytes, file_format: str) -> int:
    """The attendance rows of a downloaded ledger, header excluded."""
    if file_format == "csv":
        assert content.startswith(b"\xef\xbb\xbf")
        return len(list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))) - 1
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = sum(1 for _ in book["参加记录"].iter_rows(values_only=True)) - 1
    book.close()
    return rows


def run_phase(phase: str, args: argparse.Namespace, db: Path, *extra: str) -> Any:
    command = [sys.executable, __file__, "--phase", phase, "--db", str(db)]
    command += ["--attendances", str(args.attendances), "--members", str(args.members)]
    done = subprocess.run(
        [*command, *extra], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendances", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=1_000)
    parser.add_argument("--db", type=Path, help="keep the log in this file")
    parser.add_argument("--phase", choices=["write", "project", "xlsx", "csv"])
    parser.add_argument("--district")
    args = parser.parse_args()

    if args.phase:
        if args.phase == "write":
            result = write(args.db, args.attendances, args.members)
        elif args.phase == "project":
            result = project(args.db)
        else:
            result = export(args.db, args.district, args.phase)
        print(json.dumps({"peak_rss_mb": round(peak_rss_mb(), 1)} | result))
        return

    with tempfile.TemporaryDirectory(prefix="vpoints-ledger-") as folder:
        db = args.db or Path(folder) / "vpoints.db"
        written = run_phase("write", args, db)
        print(
            f"log: {written['attendances']:,} attendances of {args.members:,} "
            f"members in {written['activities']:,} activities, "
            f"{written['events']:,} events; written in {written['seconds']:.1f} s"
        )
        projected = run_phase("project", args, db)
        print(
            f"read models caught up in {projected['seconds']:.1f} s "
            f"(peak RSS {projected['peak_rss_mb']:.0f} MB)"
        )
        print()
        print("| export | rows | size | seconds | RSS before | peak RSS | target |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for file_format in ("xlsx", "csv"):
            result = run_phase(file_format, args, db, "--district", written["district"])
            assert result["rows"] == written["attendances"], result
            verdict = "met" if result["seconds"] < TARGET_SECONDS else "missed"
            print(
                f"| {file_format} | {result['rows']:,} | "
                f"{result['bytes'] / 1e6:.1f} MB | {result['seconds']:.2f} | "
                f"{result['rss_before_mb']:.0f} MB | "
                f"{result['peak_rss_mb']:.0f} MB | < {TARGET_SECONDS:.0f} s {verdict} |"
            )


if __name__ == "__main__":
    main()

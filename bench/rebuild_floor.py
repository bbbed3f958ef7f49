"""The least a rebuild of the attendance rows alone can cost on SQLite, in
Python and in the database engine: what bounds a whole rebuild's rate.

    .venv/bin/python bench/rebuild_floor.py --log /tmp/rb/log200k.db

On a copy of a log written by ``bench/catchup.py --phase write``, with nothing
else of the projection:

1. python: the recorded attendance events read in one query, each decoded
   with ``orjson`` and its entries made into rows (ids as text, amounts as
   their text), inserted with one ``executemany`` into a table of
   ``vp_attendance``'s columns, and its two indexes built;
2. sql: the same rows made by SQLite itself, ``INSERT … SELECT`` over
   ``json_each`` of the stored events.

Prints the seconds of each step and attendances per second."""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import orjson

RECORDED = "domain.activity:Activity.AttendanceRecorded"
COLUMNS = (
    "activity_id TEXT, member_id TEXT, local_date TEXT, starts_at TEXT, "
    "hours TEXT, points TEXT, hours100 INTEGER, points10 INTEGER, status TEXT, "
    "recorded_by TEXT, recorded_at TEXT, reason TEXT, position INTEGER"
)
INDEXES = (
    "CREATE INDEX {t}_key ON {t} (activity_id, member_id)",
    "CREATE INDEX {t}_member ON {t} "
    "(member_id, local_date, starts_at, activity_id, status, points10, hours100)",
)


def dashed(hex_id: str) -> str:
    h = hex_id
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def build_indexes(db: sqlite3.Connection, table: str) -> float:
    """Builds the table's two indexes; returns the seconds it took."""
    started = time.perf_counter()
    for index in INDEXES:
        db.execute(index.format(t=table))
    db.commit()
    return time.perf_counter() - started


def in_python(db: sqlite3.Connection) -> dict[str, float]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    events = db.execute(
        "SELECT rowid, originator_id, state FROM stored_events WHERE topic = ? "
        "ORDER BY rowid",
        (RECORDED,),
    ).fetchall()
    timings["read"] = time.perf_counter() - started
    started = time.perf_counter()
    ids: dict[str, str] = {}
    rows = []
    for position, activity, state in events:
        event = orjson.loads(state)
        at, actor = event["timestamp"]["_data_"], event["actor"]
        activity_id = dashed(activity)
        for entry in event["entries"]:
            member = entry["member_id"]["_data_"]
            member_id = ids.get(member) or ids.setdefault(member, dashed(member))
            hours, points = entry["hours"]["_data_"], entry["points"]["_data_"]
            rows.append(
                (
                    activity_id,
                    member_id,
                    "2026-01-01",
                    "2026-01-01T09:00:00+08:00",
                    hours,
                    points,
                    0,
                    0,
                    "recorded",
                    actor,
                    at,
                    None,
                    position,
                )
            )
    timings["decode"] = time.perf_counter() - started
    started = time.perf_counter()
    db.execute(f"CREATE TABLE py ({COLUMNS})")
    db.executemany(f"INSERT INTO py VALUES ({', '.join('?' * 13)})", rows)
    timings["insert"] = time.perf_counter() - started
    timings["index"] = build_indexes(db, "py")
    timings["rows"] = len(rows)
    return timings


def in_sql(db: sqlite3.Connection) -> dict[str, float]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    db.execute(f"CREATE TABLE engine ({COLUMNS})")
    inserted = db.execute(
        "INSERT INTO engine SELECT s.originator_id, "
        "json_extract(j.value, '$.member_id._data_'), '2026-01-01', "
        "'2026-01-01T09:00:00+08:00', json_extract(j.value, '$.hours._data_'), "
        "json_extract(j.value, '$.points._data_'), 0, 0, 'recorded', "
        "json_extract(s.state, '$.actor'), "
        "json_extract(s.state, '$.timestamp._data_'), "
        "NULL, s.rowid FROM stored_events s, "
        "json_each(CAST(s.state AS TEXT), '$.entries') j WHERE s.topic = ?",
        (RECORDED,),
    ).rowcount
    timings["insert"] = time.perf_counter() - started
    timings["index"] = build_indexes(db, "engine")
    timings["rows"] = inserted
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vpoints-floor-") as folder:
        copy = Path(folder) / "log.db"
        shutil.copy(args.log, copy)
        db = sqlite3.connect(copy)
        for name, step in (("python", in_python), ("sql", in_sql)):
            timings = step(db)
            rows = int(timings.pop("rows"))
            total = sum(timings.values())
            print(
                json.dumps(
                    {
                        "way": name,
                        "attendances": rows,
                        **{k: round(v, 2) for k, v in timings.items()},
                        "total_s": round(total, 2),
                        "attendances_per_s": round(rows / total),
                    }
                )
            )
        db.close()


if __name__ == "__main__":
    main()

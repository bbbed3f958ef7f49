"""Baselines served exactly as the API is: a bare route, and plain CRUD attendance.

``GET /v1/members/{id}/points`` answers a constant; ``POST
/v1/activities/{id}/attendance`` takes the API's batch body and, in one
transaction, runs ``UPDATE ... SET points = points + x`` per attendance on one
table of the database named by ``VPOINTS_DATABASE_URL`` (SQLite or PostgreSQL)."""

from __future__ import annotations

import os
import sqlite3
import threading
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

from infrastructure.storage import parse_database_url

app = FastAPI()
storage = parse_database_url(os.environ.get("VPOINTS_DATABASE_URL", "memory://"))
local = threading.local()

ANSWER = {
    "member_id": "00000000-0000-0000-0000-000000000000",
    "year": 2026,
    "points": "20.0",
    "hours": "2",
    "activities": 1,
    "lifetime_points": "20.0",
    "lifetime_hours": "2",
    "star": 0,
}


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")
    member_id: UUID
    hours: Decimal = Field(allow_inf_nan=False)


class Batch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    records: list[Record] = Field(min_length=1, max_length=500)


def connection() -> Any:
    existing = getattr(local, "connection", None)
    if existing is not None:
        return existing
    if storage.kind == "sqlite":
        made: Any = sqlite3.connect(
            storage.path or "", isolation_level=None, timeout=30
        )
        made.execute("PRAGMA journal_mode=WAL")
    else:
        import psycopg

        env = storage.env
        made = psycopg.connect(
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=int(env["POSTGRES_PORT"]),
            user=env["POSTGRES_USER"],
            autocommit=True,
        )
    made.execute(
        "CREATE TABLE IF NOT EXISTS crud_points "
        "(member_id TEXT PRIMARY KEY, points NUMERIC NOT NULL)"
    )
    local.connection = made
    return made


@app.get("/v1/members/{member_id}/points")
def bare_points(member_id: str) -> dict[str, Any]:
    return ANSWER


@app.post("/v1/activities/{activity_id}/attendance")
def crud_attendance(activity_id: UUID, batch: Batch) -> dict[str, Any]:
    c = connection()
    mark = "?" if storage.kind == "sqlite" else "%s"
    c.execute("BEGIN")
    for record in batch.records:
        points = (record.hours * 10).quantize(Decimal("0.1"), ROUND_HALF_UP)
        c.execute(
            f"INSERT INTO crud_points VALUES ({mark}, {mark}) ON CONFLICT (member_id) "
            f"DO UPDATE SET points = crud_points.points + {mark}",
            (str(record.member_id), str(points), str(points)),
        )
    c.execute("COMMIT")
    return {"activity_id": str(activity_id), "recorded": len(batch.records)}

"""The ceiling for reads: bare ``async def`` routes on the points and figure paths.

Each answers a constant figure set, parsing only the path and ``year``: no token,
no database, no thread hop, no response model. Served with uvicorn exactly as
``vpoints serve`` serves the API (uvloop, httptools, no access log)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

app = FastAPI()

ANSWER = {
    "year": 2026,
    "as_of": "2026-12-31",
    "teams": 68,
    "volunteers": 1225,
    "activities": 320,
    "participations": 5765,
    "hours": "11530",
    "points": "115300.0",
    "members": 2741,
    "avg_annual_points": "102.0",
    "units_reported": 90,
    "members_reported": 2741,
}


POINTS = {
    "member_id": "00000000-0000-0000-0000-000000000000",
    "year": 2026,
    "points": "20.0",
    "hours": "2",
    "activities": 1,
    "lifetime_points": "20.0",
    "lifetime_hours": "2",
    "star": 0,
}


@app.get("/v1/members/{member_id}/points")
async def bare_points(member_id: str, year: int | None = None) -> dict[str, Any]:
    return POINTS


@app.get("/v1/stats")
async def bare_stats(year: int | None = None) -> dict[str, Any]:
    return ANSWER


@app.get("/v1/communities/{community_id}/stats")
async def bare_community_stats(
    community_id: str, year: int | None = None
) -> dict[str, Any]:
    return ANSWER


@app.get("/v1/districts/{district_id}/stats")
async def bare_district_stats(
    district_id: str, year: int | None = None
) -> dict[str, Any]:
    return ANSWER

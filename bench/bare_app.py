"""A bare FastAPI route, served exactly as the API is, for comparing read rates."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

app = FastAPI()

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


@app.get("/v1/members/{member_id}/points")
def bare_points(member_id: str) -> dict[str, Any]:
    return ANSWER

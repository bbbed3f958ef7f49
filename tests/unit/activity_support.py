"""An activity as the unit tests make it, on 1 March 2026 from 09:00 to 12:00
in Shanghai, with the moments around it; and the names of the events it recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

from domain.activity import Activity

STARTS = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
ENDS = STARTS + timedelta(hours=3)
BEFORE = STARTS - timedelta(hours=1)
DURING = STARTS + timedelta(hours=1)


def an_activity(
    capacity: int | None = None,
    points_per_hour: Decimal | None = None,
    fixed_points: Decimal | None = None,
) -> Activity:
    activity = Activity(
        title="社区清洁",
        team_id=uuid4(),
        community_id=uuid4(),
        category="环境整治",
        starts_at=STARTS,
        ends_at=ENDS,
        location=None,
        capacity=capacity,
        points_per_hour=points_per_hour,
        fixed_points=fixed_points,
        actor="organiser",
    )
    activity.collect_events()
    return activity


def event_names(activity: Activity) -> list[str]:
    return [type(e).__name__ for e in activity.collect_events()]

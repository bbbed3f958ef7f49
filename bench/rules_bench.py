"""Points rules at a district's scale, on SQLite.

    .venv/bin/python bench/rules_bench.py [--sizes 25000,50000,100000] [--shuffled]
                                          [--collector-on]

For each district size: a district (one street, 20 communities, a team
each, one member for every fifty attendances) whose activities of this year
(50 attendances each, categories 环境 / 助老 / 宣讲, 1 to 3 hours) are written
straight to the log
in the order they were held, one in twenty back-filled weeks later (or, with
``--shuffled``, in random order);
the read models catch up; the district publishes a rule set with caps,
effective 1 January (every rated attendance rated again); then

- what-if: a draft with other rates and caps, for the district's year, timed
  end to end (the read models' figures, the replay of the log with the draft
  into private read models, the comparison);
- re-rating after a correction: 20 corrections of a member's first attendance
  of the year that the rules rate, each followed by the catch-up that rates
  that member's year again; the median time and how many rows of the
  member's year it read.

Prints one line per phase; the README's table is made of them."""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from domain.activity import Activity  # noqa: E402
from domain.application import VolunteerPoints  # noqa: E402
from domain.community import Community  # noqa: E402
from domain.member import Member  # noqa: E402
from domain.rules import owner_of, rule_version  # noqa: E402
from domain.team import Team  # noqa: E402
from domain.tree import District, Street  # noqa: E402
from infrastructure.storage import open_application, parse_database_url  # noqa: E402
from projections import rating, replay  # noqa: E402
from projections.rating_rows import RatingFold  # noqa: E402
from projections.runner import Projector  # noqa: E402
from projections.sql import Sql  # noqa: E402
from projections.what_if import what_if  # noqa: E402
from tests.conftest import Clock  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")
ACTOR = "区委组织部王敏"
NOW = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)
CATEGORIES = ("环境", "助老", "宣讲")
HOURS = [Decimal(h) for h in ("1", "1.5", "2", "2.5", "3")]
PER_ACTIVITY = 50
# Each member attends about fifty activities a year, whatever the district's
# size: a member's year is the same size in every district measured.
PER_MEMBER = 50
RULES = [
    {"code": "环境", "name": "环境整治", "points_per_hour": Decimal(2)},
    {"code": "助老", "name": "助老服务", "points_per_hour": Decimal(3)},
]
CAPS = {
    "hours_per_activity": Decimal(2),
    "points_per_member_day": Decimal(5),
    "points_per_member_year_by_category": {"助老": Decimal(60)},
}
DRAFT = [
    {"code": "环境", "name": "环境整治", "points_per_hour": Decimal(1)},
    {"code": "助老", "name": "助老服务", "points_per_hour": Decimal(4)},
    {"code": "宣讲", "name": "政策宣讲", "points_per_hour": Decimal(2)},
]
DRAFT_CAPS = {"hours_per_activity": Decimal(3), "points_per_member_day": Decimal(8)}


def write_district(
    app: VolunteerPoints, attendances: int, shuffled: bool, seed: int = 1
) -> tuple[UUID, int]:
    rng = random.Random(seed)
    district = District(name="海港区", actor=ACTOR)
    street = Street(name="海滨街道", district_id=district.id, actor=ACTOR)
    communities = [
        Community(name=f"社区{i}", street=None, street_id=street.id, actor=ACTOR)
        for i in range(20)
    ]
    members = [
        Member(
            name=f"志愿者{i}",
            community_id=communities[i % 20].id,
            party_member=i % 3 == 0,
            unit_id=None,
            grid_id=None,
            grid=None,
            phone=None,
            registered_on=date(2025, 1, 1),
            actor=ACTOR,
        )
        for i in range(attendances // PER_MEMBER)
    ]
    teams = [
        Team(
            name=f"服务队{i}",
            community_id=c.id,
            founded_on=date(2025, 1, 1),
            actor=ACTOR,
        )
        for i, c in enumerate(communities)
    ]
    app.save(district, street, *communities, *members, *teams)
    days = (NOW.astimezone(SHANGHAI).date() - date(2026, 1, 1)).days
    by_community = {
        c.id: [m.id for m in members if m.community_id == c.id] for c in communities
    }
    everyone = [m.id for m in members]
    count = -(-attendances // PER_ACTIVITY)
    planned = sorted(
        (
            date(2026, 1, 1) + timedelta(days=rng.randrange(days)),
            rng.choice((9, 14)),
            rng.randrange(len(teams)),
            rng.choice(CATEGORIES),
        )
        for _ in range(count)
    )
    if shuffled:
        rng.shuffle(planned)
    else:
        # Back-filled: one activity in twenty recorded weeks after its day.
        for i in rng.sample(range(count), count // 20):
            late = planned.pop(i)
            planned.insert(min(count - 1, i + rng.randrange(50, 500)), late)
    written = 0
    for day, hour, team_index, category in planned:
        team = teams[team_index]
        starts = datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
        activity = Activity(
            title="志愿服务",
            team_id=team.id,
            community_id=team.community_id,
            category=category,
            starts_at=starts.astimezone(UTC),
            ends_at=(starts + timedelta(hours=3)).astimezone(UTC),
            location=None,
            capacity=None,
            points_per_hour=None,
            fixed_points=None,
            actor=ACTOR,
        )
        local = by_community[team.community_id]
        near = min(len(local), PER_ACTIVITY * 3 // 5)
        chosen = set(rng.sample(local, near))
        chosen |= set(rng.sample(everyone, PER_ACTIVITY - near))
        records = [(m, rng.choice(HOURS)) for m in sorted(chosen, key=str)]
        activity.record_attendance(
            records, starts.astimezone(UTC) + timedelta(hours=3), ACTOR
        )
        app.save(activity)
        written += len(records)
    return district.id, written


def caught_up(projector: Projector) -> float:
    began = time.perf_counter()
    projector.catch_up()
    return time.perf_counter() - began


class Counting:
    """Counts the rows a member's year read from the tables, around
    rating.Rater.year (not those a page already holds)."""

    def __init__(self) -> None:
        self.rows = 0
        self.original = rating.Rater.year

    def __enter__(self) -> Counting:
        original = self.original
        counting = self

        def year(
            rater: rating.Rater, batch: object, member_id: str, year: int
        ) -> object:
            folded = batch.fold(RatingFold).years  # type: ignore[attr-defined]
            read = (member_id, year) not in folded
            loaded = original(rater, batch, member_id, year)  # type: ignore[arg-type]
            if read:
                counting.rows += len(loaded)
            return loaded

        rating.Rater.year = year  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *_: object) -> None:
        rating.Rater.year = self.original  # type: ignore[method-assign]


def run(size: int, folder: Path, shuffled: bool) -> None:
    clock = Clock(NOW)
    url = f"sqlite:///{folder / f'rules-{size}.db'}"
    app = open_application(parse_database_url(url), clock=clock)
    district_id, written = write_district(app, size, shuffled)
    projector = Projector(app)
    print(f"{size}: wrote {written} attendances; catch-up {caught_up(projector):.2f} s")
    drafted = app.draft_rule_set("积分管理办法", district_id, RULES, CAPS, ACTOR)
    app.publish_rule_set(drafted.id, date(2026, 1, 1), ACTOR)
    took = caught_up(projector)
    print(f"{size}: publication effective 1 January rated again in {took:.2f} s")
    draft = rule_version(owner_of(district_id), 0, date(2026, 1, 1), DRAFT, DRAFT_CAPS)
    on = clock.now.astimezone(SHANGHAI).date()
    times = []
    for _ in range(3):
        began = time.perf_counter()
        answer = what_if(
            app,
            projector.view,
            projector.sealer,
            draft,
            "district",
            str(district_id),
            2026,
            on,
        )
        times.append(time.perf_counter() - began)
    print(
        f"{size}: what-if {min(times):.2f} / {statistics.median(times):.2f} / "
        f"{max(times):.2f} s (min / median / max of 3); points "
        f"{answer['current']['points']} → {answer['draft']['points']}, "
        f"{answer['members_changed']} members changed"
    )
    rng = random.Random(7)
    corrections = []
    rows = []
    statement_members = _members_with_attendance(projector)
    for member_id in rng.sample(statement_members, 20):
        first = _first_attendance(projector, member_id)
        activity_id, hours = first
        new_hours = Decimal(1) if hours != Decimal(1) else Decimal(2)
        app.record_attendance(
            activity_id, [(member_id, new_hours)], ACTOR, reason="更正"
        )
        with Counting() as counting:
            corrections.append(caught_up(projector))
        rows.append(counting.rows)
    median = statistics.median(corrections) * 1000
    print(
        f"{size}: re-rating after a correction {median:.1f} ms "
        f"median (max {max(corrections) * 1000:.1f} ms) over 20; rows of the member's "
        f"year read: median {statistics.median(rows):.0f}"
    )
    app.close()


def _members_with_attendance(projector: Projector) -> list[UUID]:
    rows = projector.view.all(
        Sql("SELECT DISTINCT member_id FROM {t}vp_attendance ORDER BY member_id"),
        (),
    )
    return [UUID(r["member_id"]) for r in rows]


def _first_attendance(projector: Projector, member_id: UUID) -> tuple[UUID, Decimal]:
    """The member's first attendance of the year at an activity the rules rate."""
    row = projector.view.one(
        Sql(
            "SELECT a.activity_id, a.hours FROM {t}vp_attendance a "
            "JOIN {t}vp_activity v ON v.activity_id = a.activity_id "
            "WHERE a.member_id = ? AND a.status IN ('recorded', 'corrected') "
            "AND v.category IN (?, ?) ORDER BY a.starts_at LIMIT 1"
        ),
        (str(member_id), *(rule["code"] for rule in RULES)),
    )
    assert row is not None
    return UUID(row["activity_id"]), Decimal(row["hours"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="25000,50000,100000")
    parser.add_argument(
        "--shuffled",
        action="store_true",
        help="activities recorded in random order of their dates, not as held",
    )
    parser.add_argument(
        "--collector-on",
        action="store_true",
        help="leave the garbage collector on during the what-if's replay",
    )
    args = parser.parse_args()
    if args.collector_on:
        replay.collector_held_off = contextlib.nullcontext
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            run(size, Path(folder), args.shuffled)


if __name__ == "__main__":
    main()

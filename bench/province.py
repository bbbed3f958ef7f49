"""A province's year on one PostgreSQL: how long the log takes to write and to
project, how much disk and memory it needs, and how fast it reads.

    .venv/bin/python bench/province.py --scale 0.01 --results /tmp/province.jsonl
    .venv/bin/python bench/province.py --scale 0.1 --results /tmp/province.jsonl
    .venv/bin/python bench/province.py --table /tmp/province.jsonl

``--scale 1`` is the full province: 10 districts, 150 streets, 1,500
communities (each with 4 grids, 2 of them with a party organisation), 150
units double-reporting to 2 communities each, 1,000,000 members, 50,000 teams,
500,000 activities and 10,000,000 attendances. Every count is multiplied by the
scale (at least one of each), so that a community's share stays the same at any
scale: 667 members, 33 teams, 333 activities, 20 attendances an activity on
average. Each phase runs in a fresh process, on a fresh PostgreSQL schema:

1. write:   the log, through the application's own batched path: commands
            given to the domain's aggregates (members, grids, double reports,
            teams and who joined them, activities with one attendance event
            of 10-30 members each, a few corrections and revocations, then
            closed or, 2 %, cancelled), and ``app.save`` of each community's
            members, of its teams and of every 200 activities, each one
            transaction through the application's recorder and hash chain;
2. rebuild: ``Projector.rebuild_start()`` then ``catch_up()``, as
            ``vpoints projections rebuild`` does;
3. read:    ``VACUUM ANALYZE`` of the read models, then ``vpoints serve
            --no-projector`` read by wrk (2 threads, 16 connections) for each of
            a member's points and statement, a community's, a street's and a
            district's figures and a community's leaderboard, spread over many
            ids; then the same with one connection (the service time alone).

Prints a JSON summary; ``--results FILE`` appends it as one line, and
``--table FILE`` turns such lines into a table of size against cost, with the
full scale extrapolated from the two largest scales measured. The schema is
dropped at the end unless ``--keep``; ``--schema NAME`` runs the reads alone
on a schema kept so."""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from domain.activity import Activity  # noqa: E402
from domain.application import VolunteerPoints  # noqa: E402
from domain.community import Community, Unit  # noqa: E402
from domain.member import Member  # noqa: E402
from domain.team import Team  # noqa: E402
from domain.tree import District, Grid, Street  # noqa: E402
from infrastructure.storage import open_application, parse_database_url  # noqa: E402
from projections.runner import Projector  # noqa: E402
from projections.view import POSTGRES_TRACKING_TABLE, TABLES  # noqa: E402

BEIJING_TIME = ZoneInfo("Asia/Shanghai")
ACTOR = "省委组织部王敏"
RECORDER = "社区书记李红"
ADMIN = "province-bench-admin-token"
FULL = {
    "districts": 10,
    "streets": 150,
    "communities": 1_500,
    "members": 1_000_000,
    "teams": 50_000,
    "activities": 500_000,
    "attendances": 10_000_000,
}
GRIDS = 4
ACTIVITIES_PER_SAVE = 200
HOURS = [Decimal(h) for h in ("0.5", "1", "1.5", "2", "2.5", "3", "4")]
RULES: list[dict[str, Decimal | None]] = [
    {"points_per_hour": None, "fixed_points": None},
    {"points_per_hour": Decimal("4.2"), "fixed_points": None},
    {"points_per_hour": None, "fixed_points": Decimal("2.25")},
]
TITLES = ["政策宣讲", "垃圾分类宣传", "义诊", "环境整治", "敬老助残", "文明交通劝导"]
PARTY_ORGANISATIONS = [None, "党委", "党总支", "党支部"]
READS = ("points", "statement", "community", "street", "district", "leaderboard")
MEMBERS_READ = 10_000
READ_MODEL_TABLES = {*TABLES, "vp_schema", POSTGRES_TRACKING_TABLE}


@dataclass(frozen=True)
class Plan:
    districts: int
    streets: int
    communities: int
    members: int
    teams: int
    activities: int
    attendances: int

    @classmethod
    def at(cls, scale: float) -> Plan:
        n = {name: max(1, round(full * scale)) for name, full in FULL.items()}
        n["streets"] = max(n["streets"], n["districts"])
        n["communities"] = max(n["communities"], n["streets"])
        return cls(**n)


@dataclass
class Tally:
    events: int = 0
    members: int = 0
    teams: int = 0
    activities: int = 0
    attendances: int = 0
    attendance_events: int = 0
    corrections: int = 0
    revocations: int = 0
    cancelled: int = 0


def share(total: int, parts: int, index: int) -> int:
    return total // parts + (index < total % parts)


def figures_year(today: date) -> tuple[int, date, date]:
    """The year the province's activities fall in, its first day and the last
    day held so far (yesterday, or on 1 January the whole of last year)."""
    if today.timetuple().tm_yday == 1:
        return today.year - 1, date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return today.year, date(today.year, 1, 1), today - timedelta(days=1)


@dataclass
class Province:
    """Writes a province's year with the domain's aggregates, community by
    community, keeping only the ids it still needs."""

    app: VolunteerPoints
    plan: Plan
    rng: random.Random
    tally: Tally = field(default_factory=Tally)

    def __post_init__(self) -> None:
        self.today = self.app.today()
        self.year, self.first, self.last = figures_year(self.today)
        self.per_activity = self.plan.attendances / self.plan.activities

    def save(self, *aggregates: Any) -> None:
        self.tally.events += len(self.app.save(*aggregates))

    def write(self) -> Tally:
        plan, rng = self.plan, self.rng
        districts = [
            District(name=f"第{i + 1}区", actor=ACTOR) for i in range(plan.districts)
        ]
        streets = [
            Street(
                name=f"第{i + 1}街道",
                district_id=districts[i % plan.districts].id,
                actor=ACTOR,
            )
            for i in range(plan.streets)
        ]
        communities = [
            Community(
                name=f"第{i + 1}社区",
                street=streets[i % plan.streets].name,
                street_id=streets[i % plan.streets].id,
                party_organisation=rng.choice(PARTY_ORGANISATIONS),
                actor=ACTOR,
            )
            for i in range(plan.communities)
        ]
        units = [
            Unit(name=f"单位党组织{i + 1}", actor=ACTOR)
            for i in range(max(1, plan.communities // 10))
        ]
        for unit in units:
            for community in rng.sample(communities, min(2, len(communities))):
                unit.report_to(community.id, date(self.year - 1, 3, 1), ACTOR)
        self.save(*districts, *streets, *communities, *units)
        started = time.monotonic()
        for index, community in enumerate(communities):
            self.community(community, index)
            if time.monotonic() - started > 30 or index == len(communities) - 1:
                done = f"{index + 1:,}/{len(communities):,} communities"
                say(f"write: {done}, {self.tally.events:,} events")
                started = time.monotonic()
        return self.tally

    def community(self, community: Community, index: int) -> None:
        count = self.plan.communities
        members = self.members(community, share(self.plan.members, count, index))
        teams = self.teams(community, share(self.plan.teams, count, index), members)
        activities = share(self.plan.activities, count, index)
        batch: list[Activity] = []
        for n in range(activities):
            batch.append(self.activity(teams[n % len(teams)], members))
            if len(batch) == ACTIVITIES_PER_SAVE or n == activities - 1:
                self.save(*batch)
                batch = []

    def members(self, community: Community, count: int) -> list[UUID]:
        rng = self.rng
        grids = [
            Grid(
                name=f"第{g + 1}网格",
                community_id=community.id,
                party_organisation=g % 2 == 0,
                actor=ACTOR,
            )
            for g in range(GRIDS)
        ]
        since = date(self.year - 3, 1, 1)
        people = []
        for i in range(count):
            grid = grids[i % GRIDS]
            person = Member(
                name=f"志愿者{self.tally.members + i + 1}",
                community_id=community.id,
                party_member=rng.random() < 0.4,
                unit_id=None,
                grid_id=grid.id,
                grid=grid.name,
                phone=None,
                registered_on=since
                + timedelta(days=rng.randrange((self.first - since).days)),
                actor=ACTOR,
            )
            if person.party_member and rng.random() < 0.25:
                days = (self.today - person.registered_on).days
                person.report_to(
                    community.id,
                    person.registered_on + timedelta(days=rng.randrange(days + 1)),
                    ACTOR,
                )
            people.append(person)
        self.save(*grids, *people)
        self.tally.members += count
        return [person.id for person in people]

    def teams(
        self, community: Community, count: int, members: list[UUID]
    ) -> list[Team]:
        rng = self.rng
        teams = []
        for i in range(count):
            founded_on = date(self.year - 2, 1, 1) + timedelta(days=rng.randrange(365))
            team = Team(
                name=f"志愿服务队{i + 1}",
                community_id=community.id,
                founded_on=founded_on,
                actor=ACTOR,
            )
            for member in rng.sample(members, min(len(members), rng.randint(10, 30))):
                joined_on = founded_on + timedelta(
                    days=rng.randrange((self.first - founded_on).days)
                )
                team.join(member, joined_on, ACTOR)
            teams.append(team)
        self.save(*teams)
        self.tally.teams += count
        return teams

    def activity(self, team: Team, members: list[UUID]) -> Activity:
        rng = self.rng
        held = self.first + timedelta(
            days=rng.randrange((self.last - self.first).days + 1)
        )
        length = rng.randint(1, 4)
        local = datetime.combine(
            held, clock_time(rng.randrange(8, 18)), tzinfo=BEIJING_TIME
        )
        starts_at = local.astimezone(UTC)
        ends_at = starts_at + timedelta(hours=length)
        activity = Activity(
            title=rng.choice(TITLES),
            team_id=team.id,
            community_id=team.community_id,
            category=rng.choice(TITLES),
            starts_at=starts_at,
            ends_at=ends_at,
            location=None,
            capacity=None,
            actor=RECORDER,
            **rng.choice(RULES),
        )
        hours = [h for h in HOURS if h <= length]
        mean = self.per_activity
        size = min(len(members), rng.randint(round(mean / 2), round(mean * 3 / 2)))
        records = [(m, rng.choice(hours)) for m in rng.sample(members, size)]
        outcome = activity.record_attendance(records, ends_at, RECORDER)
        self.tally.attendances += outcome.recorded
        self.tally.attendance_events += 1
        if rng.random() < 0.05:
            member, given = records[0]
            other = [h for h in hours if h != given] or hours
            activity.record_attendance(
                [(member, rng.choice(other))], ends_at, RECORDER, "核对签到表后更正"
            )
            self.tally.corrections += 1
        if rng.random() < 0.03:
            activity.revoke_attendance(records[-1][0], "当天实际未到场", RECORDER)
            self.tally.revocations += 1
        if rng.random() < 0.02:
            activity.cancel("暴雨，活动取消", RECORDER)
            self.tally.cancelled += 1
        else:
            activity.close(ends_at, RECORDER)
        self.tally.activities += 1
        return activity


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def connect(url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(url.split("?")[0], autocommit=True)


def schema_of(url: str) -> str:
    schema = parse_database_url(url).schema
    assert schema, "the database URL names no schema"
    return schema


def table_sizes(url: str) -> dict[str, int]:
    """Every table of the URL's schema, with its indexes and TOAST, in bytes."""
    with connect(url) as db:
        rows = db.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r'",
            (schema_of(url),),
        ).fetchall()
    return {name: int(size) for name, size in rows}


def database_bytes(url: str) -> int:
    with connect(url) as db:
        row = db.execute("SELECT pg_database_size(current_database())").fetchone()
    assert row is not None
    return int(row[0])


def write_phase(url: str, scale: float, seed: int) -> dict[str, Any]:
    plan = Plan.at(scale)
    app = open_application(parse_database_url(url))
    started = time.perf_counter()
    tally = Province(app, plan, random.Random(seed)).write()
    seconds = time.perf_counter() - started
    app.close()
    sizes = table_sizes(url)
    return {
        "plan": asdict(plan),
        "tally": asdict(tally),
        "seconds": seconds,
        "log_bytes": sum(sizes.values()),
        "log_tables": sizes,
        "database_bytes": database_bytes(url),
    }


def rebuild_phase(url: str) -> dict[str, Any]:
    app = open_application(parse_database_url(url))
    projector = Projector(app)
    total = app.position()
    done = [0, time.monotonic()]

    def progress(count: int) -> None:
        done[0] += count
        if time.monotonic() - done[1] > 30:
            say(f"rebuild: {done[0]:,}/{total:,} events")
            done[1] = time.monotonic()

    started = time.perf_counter()
    projector.rebuild_start()
    events = projector.catch_up(progress)
    seconds = time.perf_counter() - started
    app.close()
    sizes = table_sizes(url)
    model = {name: size for name, size in sizes.items() if name in READ_MODEL_TABLES}
    return {
        "events": events,
        "seconds": seconds,
        "read_model_bytes": sum(model.values()),
        "read_model_tables": dict(sorted(model.items(), key=lambda kv: -kv[1])),
        "log_bytes": sum(sizes.values()) - sum(model.values()),
        "database_bytes": database_bytes(url),
    }


def vacuum_analyze(url: str) -> dict[str, Any]:
    """Brings the read models' statistics up to date, as autovacuum would in
    time; says how many tables had none before."""
    schema = schema_of(url)
    with connect(url) as db:
        rows = db.execute(
            "SELECT relname, last_analyze IS NULL AND last_autoanalyze IS NULL "
            "FROM pg_stat_user_tables WHERE schemaname = %s",
            (schema,),
        ).fetchall()
        tables = [name for name, _ in rows if name in READ_MODEL_TABLES]
        unanalysed = sum(1 for name, never in rows if never and name in tables)
        started = time.perf_counter()
        for name in tables:
            db.execute(
                sql.SQL("VACUUM (ANALYZE) {}.{}").format(
                    sql.Identifier(schema), sql.Identifier(name)
                )
            )
    return {
        "tables_never_analysed": unanalysed,
        "tables": len(tables),
        "seconds": time.perf_counter() - started,
    }


def read_paths(url: str, year: int, rng: random.Random) -> dict[str, list[str]]:
    schema = sql.Identifier(schema_of(url))

    def ids(table: str, column: str, limit: int | None = None) -> list[str]:
        query = sql.SQL("SELECT {} FROM {}.{} ORDER BY 1").format(
            sql.Identifier(column), schema, sql.Identifier(table)
        )
        with connect(url) as db:
            found = [str(row[0]) for row in db.execute(query).fetchall()]
        rng.shuffle(found)
        return found[:limit]

    members = ids("vp_member", "member_id", MEMBERS_READ)
    communities = ids("vp_community", "community_id")
    streets = ids("vp_street", "street_id")
    districts = ids("vp_district", "district_id")
    query = f"?year={year}"
    return {
        "points": [f"/v1/members/{m}/points{query}" for m in members],
        "statement": [f"/v1/members/{m}/statement{query}" for m in members],
        "community": [f"/v1/communities/{c}/stats{query}" for c in communities],
        "street": [f"/v1/streets/{s}/stats{query}" for s in streets],
        "district": [f"/v1/districts/{d}/stats{query}" for d in districts],
        "leaderboard": [f"/v1/communities/{c}/leaderboard{query}" for c in communities],
    }


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "VPOINTS_DATABASE_URL": url,
        "VPOINTS_ADMIN_TOKEN": ADMIN,
        "VPOINTS_LOG_LEVEL": "WARNING",
    }
    vpoints = Path(sys.executable).parent / "vpoints"
    command = [str(vpoints), "serve", "--no-projector", "--port", str(port)]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    headers = {"Authorization": f"Bearer {ADMIN}"}
    for _ in range(600):
        if server.poll() is not None:
            break
        try:
            answer = httpx.get(
                f"http://127.0.0.1:{port}/v1/districts", headers=headers, timeout=5
            )
        except httpx.HTTPError:
            time.sleep(0.1)
            continue
        if answer.is_success and server.poll() is None:
            return server
        raise SystemExit(f"port {port} answers {answer.status_code}: not our server")
    server.kill()
    raise SystemExit("the server did not start")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def high_water_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


LUA = """
wrk.headers["Authorization"] = "Bearer %(token)s"
local paths = {%(paths)s}
local threads = {}
function setup(thread)
  thread:set("k", #threads * 7919)
  table.insert(threads, thread)
end
function init(args)
  non2xx = 0
end
function request()
  k = k + 1
  return wrk.format("GET", paths[(k %% #paths) + 1])
end
function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local socket = summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%%d seconds=%%f non2xx=%%d socket=%%d "
    .. "p50=%%d p90=%%d p99=%%d max=%%d\\n",
    summary.requests, summary.duration / 1e6, bad, socket, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max))
end
"""
RESULT = re.compile(
    r"RESULT requests=(\d+) seconds=([\d.]+) non2xx=(\d+) socket=(\d+) "
    r"p50=(\d+) p90=(\d+) p99=(\d+) max=(\d+)"
)


def wrk(base: str, paths: list[str], seconds: int, connections: int) -> dict[str, Any]:
    script = LUA % {"token": ADMIN, "paths": ",".join(f'"{p}"' for p in paths)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    threads = min(2, connections)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
    try:
        done = subprocess.run(
            [*command, "--timeout", "30s", "-s", f.name, base],
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(f.name)
    found = RESULT.search(done.stdout)
    if found is None:
        raise SystemExit(f"wrk gave no result:\n{done.stdout}{done.stderr}")
    requests, duration = int(found[1]), float(found[2])
    return {
        "requests": requests,
        "rate": round(requests / duration, 1),
        "non2xx": int(found[3]),
        "socket_errors": int(found[4]),
        "p50_ms": int(found[5]) / 1000,
        "p90_ms": int(found[6]) / 1000,
        "p99_ms": int(found[7]) / 1000,
        "max_ms": int(found[8]) / 1000,
    }


def sample(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """A few fields of one answer, to show the read is not empty."""
    if name == "points":
        return {k: body[k] for k in ("points", "hours", "activities")}
    if name in ("statement", "leaderboard"):
        return {"items": len(body["items"])}
    keys = ("teams", "volunteers", "members", "activities", "participations")
    return {k: body[k] for k in keys if k in body} | {
        k: body[k] for k in ("communities", "grids") if k in body
    }


def read_phase(url: str, args: argparse.Namespace) -> dict[str, Any]:
    maintenance = vacuum_analyze(url)
    year = figures_year(datetime.now(BEIJING_TIME).date())[0]
    paths = read_paths(url, year, random.Random(args.seed))
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(url, port)
    reads: dict[str, Any] = {}
    try:
        headers = {"Authorization": f"Bearer {ADMIN}"}
        for name in READS:
            answer = httpx.get(base + paths[name][0], headers=headers, timeout=60)
            answer.raise_for_status()
            say(f"read: {name} over {len(paths[name]):,} ids")
            if args.warmup:
                wrk(base, paths[name], args.warmup, 16)
            load = os.getloadavg()[0]
            loaded = wrk(base, paths[name], args.seconds, 16)
            reads[name] = loaded | {
                "ids": len(paths[name]),
                "load_average": round(load, 2),
                "sample": sample(name, answer.json()),
            }
            if args.solo_seconds:
                solo = wrk(base, paths[name], args.solo_seconds, 1)
                reads[name] |= {
                    "solo_p50_ms": solo["p50_ms"],
                    "solo_p99_ms": solo["p99_ms"],
                    "solo_non2xx": solo["non2xx"],
                }
        server_peak = high_water_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    return {
        "year": year,
        "vacuum_analyze": maintenance,
        "server_peak_rss_mb": round(server_peak, 1),
        "reads": reads,
    }


def run_phase(phase: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", phase, "--url", url]
    for option in ("scale", "seed", "seconds", "warmup", "solo_seconds", "port"):
        command += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
    started = time.perf_counter()
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result | {"wall_seconds": round(time.perf_counter() - started, 1)}


def git_state() -> str:
    def git(*words: str) -> str:
        return subprocess.run(
            ["git", *words], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    changed = len(git("status", "--porcelain", "--untracked-files=no").splitlines())
    return f"{git('rev-parse', '--short', 'HEAD')} ({changed} files changed)"


def summary(
    scale: float, written: dict[str, Any], rebuilt: dict[str, Any], read: dict[str, Any]
) -> dict[str, Any]:
    tally = written["tally"]
    return {
        "scale": scale,
        "code": git_state(),
        "plan": written["plan"],
        "events": tally["events"],
        "attendances": tally["attendances"],
        "attendance_events": tally["attendance_events"],
        "log_bytes": written["log_bytes"],
        "read_model_bytes": rebuilt["read_model_bytes"],
        "database_bytes": rebuilt["database_bytes"],
        "write_s": round(written["seconds"], 1),
        "write_events_per_s": round(tally["events"] / written["seconds"]),
        "write_peak_rss_mb": written["peak_rss_mb"],
        "rebuild_events": rebuilt["events"],
        "rebuild_s": round(rebuilt["seconds"], 1),
        "rebuild_events_per_s": round(rebuilt["events"] / rebuilt["seconds"]),
        "rebuild_attendances_per_s": round(tally["attendances"] / rebuilt["seconds"]),
        "rebuild_peak_rss_mb": rebuilt["peak_rss_mb"],
        "vacuum_analyze_s": round(read["vacuum_analyze"]["seconds"], 1),
        "read_model_tables_never_analysed": read["vacuum_analyze"][
            "tables_never_analysed"
        ],
        "server_peak_rss_mb": read["server_peak_rss_mb"],
        "year": read["year"],
        "reads": read["reads"],
        "phase_wall_s": {
            "write": written["wall_seconds"],
            "rebuild": rebuilt["wall_seconds"],
            "read": read["wall_seconds"],
        },
        "tally": tally,
        "read_model_tables": rebuilt["read_model_tables"],
        "log_tables": written["log_tables"],
    }


def measure(args: argparse.Namespace) -> None:
    schema = f"province_{uuid.uuid4().hex[:8]}"
    url = f"{args.postgres}?schema={schema}"
    say(f"scale {args.scale}: {Plan.at(args.scale)}; schema {schema}")
    try:
        written = run_phase("write", url, args)
        say(f"written in {written['seconds']:.1f} s")
        rebuilt = run_phase("rebuild", url, args)
        say(f"rebuilt in {rebuilt['seconds']:.1f} s")
        read = run_phase("read", url, args)
    finally:
        if not args.keep:
            with connect(url) as db:
                db.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                        sql.Identifier(schema)
                    )
                )
    result = summary(args.scale, written, rebuilt, read)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.results:
        with open(args.results, "a", encoding="utf-8") as f:
            f.write(json.dumps(result, ensure_ascii=False) + "\n")


def size_text(value: float) -> str:
    if value >= 10 * 1024**3:
        return f"{value / 1024**3:,.0f} GB"
    if value >= 1024**3:
        return f"{value / 1024**3:.1f} GB"
    return f"{value / 1024**2:,.0f} MB"


def seconds_text(value: float) -> str:
    return f"{value:,.0f} s" if value < 600 else f"{value / 60:,.0f} min"


def scale_text(scale: float) -> str:
    return f"1/{round(1 / scale)}" if scale < 1 else f"{scale:g}"


def cells(r: dict[str, Any]) -> list[str]:
    rebuild = r["rebuild_s"]
    return [
        f"{r['events']:,.0f}",
        f"{r['attendances']:,.0f}",
        size_text(r["log_bytes"]),
        size_text(r["read_model_bytes"]),
        seconds_text(r["write_s"]),
        f"{seconds_text(rebuild)} ({r['rebuild_events'] / rebuild:,.0f}/s)",
        " / ".join(
            f"{r[k]:,.0f}"
            for k in ("write_peak_rss_mb", "rebuild_peak_rss_mb", "server_peak_rss_mb")
        ),
        *(latency_text(r["reads"][name]) for name in READS),
    ]


def served(read: dict[str, Any]) -> bool:
    """Whether wrk saw every answer succeed, and enough of them for a p99."""
    return bool(read["non2xx"] == 0 and read["requests"] >= 100)


def latency_text(read: dict[str, Any]) -> str:
    if "requests" not in read:
        return str(read.get("note", "—"))
    if not served(read):
        return f"{read['requests']} answered, {read['non2xx']} non-2xx"
    return f"{read['p50_ms']:.1f} / {read['p99_ms']:.1f}"


def extrapolated(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """The full scale: counts, disk, times and memory on the straight line
    through the two scales (memory never below the larger scale's); each read's
    latency on the power law through them (latency = c * scale ** k)."""
    step = (1 - large["scale"]) / (large["scale"] - small["scale"])
    decades = math.log(1 / large["scale"]) / math.log(large["scale"] / small["scale"])

    def line(key: str) -> float:
        return float(large[key] + (large[key] - small[key]) * step)

    def power(name: str) -> dict[str, Any]:
        low, high = small["reads"][name], large["reads"][name]
        if not (served(low) and served(high)):
            return {"note": f"not served at {scale_text(large['scale'])}"}
        return {"requests": high["requests"], "non2xx": 0} | {
            key: high[key] * (high[key] / low[key]) ** decades
            for key in ("p50_ms", "p99_ms")
        }

    keys = (
        "events",
        "attendances",
        "log_bytes",
        "read_model_bytes",
        "write_s",
        "rebuild_events",
        "rebuild_s",
    )
    memory = ("write_peak_rss_mb", "rebuild_peak_rss_mb", "server_peak_rss_mb")
    return (
        {key: line(key) for key in keys}
        | {key: max(line(key), large[key]) for key in memory}
        | {"reads": {name: power(name) for name in READS}}
    )


def table(path: Path) -> None:
    by_scale: dict[float, dict[str, Any]] = {}
    for text in path.read_text(encoding="utf-8").splitlines():
        if text.strip():
            r = json.loads(text)
            by_scale[r["scale"]] = r
    rows = [by_scale[scale] for scale in sorted(by_scale)]
    header = [
        "scale",
        "events",
        "attendances",
        "log",
        "read models",
        "write",
        "rebuild (events/s)",
        "peak RSS MB: write / rebuild / server",
        *(f"{name} p50 / p99 ms" for name in READS),
    ]
    print("| " + " | ".join(header) + " |")
    print("| --- | " + " | ".join("---:" for _ in header[1:]) + " |")
    for r in rows:
        print("| " + " | ".join([scale_text(r["scale"]), *cells(r)]) + " |")
    if len(rows) >= 2 and rows[-1]["scale"] < 1:
        full = extrapolated(rows[-2], rows[-1])
        print("| " + " | ".join(["full scale, extrapolated", *cells(full)]) + " |")
    print()
    print("| scale | " + " | ".join(READS) + " |")
    print("| --- | " + " | ".join("---:" for _ in READS) + " |")
    for r in rows:
        each = [
            f"{read['rate']:,.0f}/s; {read['solo_p50_ms']:.1f} / "
            f"{read['solo_p99_ms']:.1f}"
            for read in (r["reads"][name] for name in READS)
        ]
        print("| " + " | ".join([scale_text(r["scale"]), *each]) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01, help="1 = the province")
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--seconds", type=int, default=15, help="each wrk run")
    parser.add_argument("--warmup", type=int, default=3, help="wrk before each")
    parser.add_argument("--solo-seconds", type=int, default=5, help="0: none")
    parser.add_argument("--port", type=int, default=0, help="0: a free one")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", action="store_true", help="keep the schema")
    parser.add_argument("--schema", help="only read, from a schema kept earlier")
    parser.add_argument("--results", type=Path, help="append the summary here")
    parser.add_argument("--table", type=Path, help="print the table of results")
    parser.add_argument("--phase", choices=["write", "rebuild", "read"])
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.table:
        table(args.table)
        return
    if args.schema:
        url = f"{args.postgres}?schema={args.schema}"
        print(json.dumps(run_phase("read", url, args), ensure_ascii=False, indent=2))
        return
    if args.phase is None:
        measure(args)
        return
    if args.phase == "write":
        result = write_phase(args.url, args.scale, args.seed)
    elif args.phase == "rebuild":
        result = rebuild_phase(args.url)
    else:
        result = read_phase(args.url, args)
    print(json.dumps(result | {"peak_rss_mb": round(peak_rss_mb(), 1)}))


if __name__ == "__main__":
    main()

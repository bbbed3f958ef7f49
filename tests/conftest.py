"""Fixtures shared by every test: stores, clocks and applications."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from domain.application import VolunteerPoints
from infrastructure.storage import open_application, parse_database_url

if TYPE_CHECKING:
    import psycopg

# The features' steps, one module a subject. pytest takes ``pytest_plugins``
# only from the top-level conftest, so they are named here, not in tests/bdd.
pytest_plugins = [
    "tests.bdd.steps.activities",
    "tests.bdd.steps.attendance",
    "tests.bdd.steps.certificates",
    "tests.bdd.steps.checkins",
    "tests.bdd.steps.claims",
    "tests.bdd.steps.double_reports",
    "tests.bdd.steps.figures",
    "tests.bdd.steps.imports",
    "tests.bdd.steps.members",
    "tests.bdd.steps.merging",
    "tests.bdd.steps.organisation",
    "tests.bdd.steps.redemption",
    "tests.bdd.steps.reports",
    "tests.bdd.steps.rules",
    "tests.bdd.steps.sign_in",
    "tests.bdd.steps.sign_ups",
    "tests.bdd.steps.statements",
    "tests.bdd.steps.teams",
    "tests.bdd.steps.tokens",
    # The office files that organisers send, made by LibreOffice.
    "tests.organiser_files",
]

POSTGRES_URL_SETTING = "VPOINTS_TEST_POSTGRES_URL"
STORES = ("memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres))


def postgres_test_url() -> str:
    """A URL with a schema of its own, so runs never see each other's events."""
    url = os.environ.get(POSTGRES_URL_SETTING)
    if not url:
        pytest.skip(f"{POSTGRES_URL_SETTING} is not set; PostgreSQL tests skipped")
    schema = "t_" + uuid.uuid4().hex[:16]
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}schema={schema}"


def postgres_connection(url: str) -> psycopg.Connection[Any]:
    """An autocommit connection to the database a PostgreSQL URL names."""
    import psycopg

    env = parse_database_url(url).env
    return psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=int(env["POSTGRES_PORT"]),
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"] or None,
        autocommit=True,
    )


def drop_postgres_schema(url: str) -> None:
    schema = parse_database_url(url).schema
    with postgres_connection(url) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL for the store named by the test's parameter."""
    store = getattr(request, "param", "memory")
    if store == "memory":
        yield "memory://"
    elif store == "sqlite":
        yield f"sqlite:///{tmp_path / 'vpoints.db'}"
    elif store == "postgres":
        url = postgres_test_url()
        yield url
        drop_postgres_schema(url)
    else:
        raise ValueError(store)


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 1, 1, 0, tzinfo=UTC))


@pytest.fixture
def make_app(
    database_url: str, clock: Clock
) -> Iterator[Callable[[], VolunteerPoints]]:
    apps: list[VolunteerPoints] = []

    def make() -> VolunteerPoints:
        app = open_application(parse_database_url(database_url), clock=clock)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


@pytest.fixture
def app(make_app: Callable[[], VolunteerPoints]) -> VolunteerPoints:
    return make_app()

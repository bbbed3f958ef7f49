"""A database error answers 503: ``server_busy`` when every pooled connection
stayed busy (the database is up), ``database_unavailable`` otherwise."""

from __future__ import annotations

import json

import psycopg
import psycopg_pool
from eventsourcing.persistence import OperationalError

from api.problems import database_problem


def translated(error: Exception) -> OperationalError:
    """The library's error for a psycopg one, with it as the cause."""
    wrapper = OperationalError(str(error))
    wrapper.__cause__ = error
    return wrapper


def answer(error: BaseException) -> tuple[int, str, str | None]:
    response = database_problem(error)
    body = json.loads(bytes(response.body))
    return response.status_code, body["code"], response.headers.get("retry-after")


def test_a_pool_that_stayed_busy_is_the_server_busy_not_the_database_down() -> None:
    waited = psycopg_pool.PoolTimeout("couldn't get a connection after 2.00 sec")
    assert answer(waited) == (503, "server_busy", "1")
    assert answer(translated(waited)) == (503, "server_busy", "1")


def test_a_database_that_does_not_answer_is_unavailable() -> None:
    refused = psycopg.OperationalError("connection refused")
    assert answer(refused) == (503, "database_unavailable", "2")
    assert answer(translated(refused)) == (503, "database_unavailable", "2")

"""Concurrent duplicates of one request (one Idempotency-Key) sent to a real
server on SQLite and on PostgreSQL, and to two server processes on one
PostgreSQL database: writes that would fail if they ran twice (a redemption
that empties the balance, one of the last item in stock, a cancellation).
Every duplicate waits for the first answer and gives it, byte for byte; the
effect happens once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from domain.errors import WriteConflict
from infrastructure.request_turns import AdvisoryLocks
from tests.conftest import (
    drop_postgres_schema,
    postgres_connection,
    postgres_test_url,
)
from tests.reliability.conftest import (
    AUTH,
    District,
    Server,
    build_district,
    ok,
)
from tests.reliability.redemption import read
from tests.reliability.test_redemption_invariants import earn, reward

COUNTS = (8, 32)


def duplicates(
    bases: Sequence[str], path: str, body: dict[str, Any], key: str, count: int
) -> list[httpx.Response]:
    """``count`` clients, spread over the servers, send the same request with
    the same key at the same moment (each once, without retrying)."""
    start = threading.Barrier(count)

    def send(number: int) -> httpx.Response:
        base = bases[number % len(bases)]
        with httpx.Client(base_url=base, headers=AUTH, timeout=60) as client:
            start.wait()
            return client.post(path, json=body, headers={"Idempotency-Key": key})

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(send, range(count)))


def answered_alike(responses: Sequence[httpx.Response], status: int) -> int:
    """Asserts every answer is the first one, byte for byte, replayed to all
    but one; the position they give."""
    assert [r.status_code for r in responses] == [status] * len(responses), [
        r.text for r in responses if r.status_code != status
    ]
    assert len({r.content for r in responses}) == 1
    first = [r for r in responses if "Idempotent-Replayed" not in r.headers]
    assert len(first) == 1
    assert all(
        r.headers.get("Idempotent-Replayed") == "true"
        for r in responses
        if r is not first[0]
    )
    position = int(responses[0].json()["position"])
    assert {r.headers["X-Event-Position"] for r in responses} == {str(position)}
    return position


@dataclass
class Shop:
    """A district whose members have earned 20.0 points each (2 hours)."""

    district: District
    base: str

    def account(self, member: str, position: int) -> tuple[str, str, str]:
        account = read(self.base, f"/v1/members/{member}/account", position)
        return account["balance"], account["spent"], account["refunded"]

    def stock(self, item: str, position: int) -> int:
        path = f"/v1/communities/{self.district.community}/rewards"
        rewards = read(self.base, path, position)["items"]
        stock: int = next(r["stock"] for r in rewards if r["id"] == item)
        return stock


def shop(base: str, members: int) -> Shop:
    with httpx.Client(base_url=base, headers=AUTH, timeout=60) as client:
        district = build_district(client, members=members)
        earn(client, district.activity, district.members, "2")
    return Shop(district, base)


Scenario = Callable[[Shop, Sequence[str], str, int], None]


def redemption_that_empties_the_balance(
    shop: Shop, bases: Sequence[str], member: str, count: int
) -> None:
    with httpx.Client(base_url=shop.base, headers=AUTH, timeout=60) as client:
        item = reward(client, shop.district.community, "20", 100)
    path = f"/v1/members/{member}/redemptions"
    answers = duplicates(bases, path, {"reward_id": item}, f"empty-{count}", count)
    position = answered_alike(answers, 201)
    assert answers[0].json()["balance"] == "0.0"
    assert shop.account(member, position) == ("0.0", "20.0", "0.0")
    assert shop.stock(item, position) == 99


def redemption_of_the_last_item(
    shop: Shop, bases: Sequence[str], member: str, count: int
) -> None:
    with httpx.Client(base_url=shop.base, headers=AUTH, timeout=60) as client:
        item = reward(client, shop.district.community, "5", 1)
    path = f"/v1/members/{member}/redemptions"
    answers = duplicates(bases, path, {"reward_id": item}, f"last-{count}", count)
    position = answered_alike(answers, 201)
    assert shop.account(member, position) == ("15.0", "5.0", "0.0")
    assert shop.stock(item, position) == 0


def cancellation(shop: Shop, bases: Sequence[str], member: str, count: int) -> None:
    with httpx.Client(base_url=shop.base, headers=AUTH, timeout=60) as client:
        item = reward(client, shop.district.community, "6", 10)
        redeem = {"reward_id": item}
        made = ok(client.post(f"/v1/members/{member}/redemptions", json=redeem))
    path = f"/v1/redemptions/{made['id']}/cancel"
    body = {"reason": "退货"}
    answers = duplicates(bases, path, body, f"cancel-{count}", count)
    position = answered_alike(answers, 200)
    assert shop.account(member, position) == ("20.0", "6.0", "6.0")
    assert shop.stock(item, position) == 10


SCENARIOS: dict[str, Scenario] = {
    "a redemption that empties the balance": redemption_that_empties_the_balance,
    "a redemption of the last item in stock": redemption_of_the_last_item,
    "a cancellation of a redemption": cancellation,
}


def test_8_and_32_concurrent_duplicates_all_get_the_first_answer_and_one_effect(
    server: Server,
) -> None:
    place = shop(server.base, members=len(SCENARIOS) * len(COUNTS))
    members = iter(place.district.members)
    for scenario in SCENARIOS.values():
        for count in COUNTS:
            scenario(place, [server.base], next(members), count)


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    """Two server processes on one PostgreSQL database; the first projects."""
    url = postgres_test_url()
    first = Server(url, tmp_path / "first.log")
    second = Server(url, tmp_path / "second.log")
    try:
        first.start()
        second.start("--no-projector")
        yield first, second
    finally:
        second.stop()
        first.stop()
        drop_postgres_schema(url)


@pytest.mark.postgres
def test_duplicates_sent_to_two_processes_all_get_the_first_answer(
    two_servers: tuple[Server, Server],
) -> None:
    bases = [server.base for server in two_servers]
    place = shop(bases[0], members=2)
    redemption_that_empties_the_balance(place, bases, place.district.members[0], 32)
    cancellation(place, bases, place.district.members[1], 32)


@pytest.mark.postgres
def test_a_request_another_process_answers_is_waited_for_until_the_deadline() -> None:
    connect = partial(postgres_connection, postgres_test_url())
    request = uuid4()
    first, second = (AdvisoryLocks(connect, "duplicates", 0.3) for _ in range(2))
    try:
        with first.held(request):
            began = time.monotonic()
            with pytest.raises(WriteConflict), second.held(request):
                pytest.fail("two processes answered one request at once")
            assert 0.2 <= time.monotonic() - began < 2
            with second.held(uuid4()):
                pass
        with second.held(request):
            pass
    finally:
        first.close()
        second.close()

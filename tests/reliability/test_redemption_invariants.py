"""Redemption's invariants under concurrency (DESIGN, points redemption), on a
real server on SQLite and on PostgreSQL: a redemption never takes the balance
below zero nor the stock below zero; retried with one key it has one effect; a
redemption is cancelled at most once."""

from __future__ import annotations

from collections import Counter

import httpx

from tests.reliability.conftest import Server, build_district, ok
from tests.reliability.redemption import at_once, codes, read


def earn(client: httpx.Client, activity: str, members: list[str], hours: str) -> int:
    body = {"records": [{"member_id": m, "hours": hours} for m in members]}
    answer = ok(client.post(f"/v1/activities/{activity}/attendance", json=body))
    return int(str(answer["position"]))


def reward(client: httpx.Client, community: str, points: str, stock: int) -> str:
    body = {"name": "洗衣液", "points": points, "stock": stock}
    answer = ok(client.post(f"/v1/communities/{community}/rewards", json=body))
    return str(answer["id"])


def test_32_concurrent_redemptions_spend_exactly_what_the_balance_allows(
    server: Server,
) -> None:
    with server.client() as client:
        district = build_district(client, members=1)
        member = district.members[0]
        earn(client, district.activity, [member], "4")  # 40.0 points
        item = reward(client, district.community, "3", 100)
    path = f"/v1/members/{member}/redemptions"
    responses = at_once([server.base], [(path, {"reward_id": item}, {})] * 32)
    # 40.0 buys 13 at 3.0 each, leaving 1.0.
    assert Counter(codes(responses)) == {"201": 13, "409 insufficient_points": 19}
    balances = sorted(r.json()["balance"] for r in responses if r.status_code == 201)
    assert balances == sorted(f"{40 - 3 * n}.0" for n in range(1, 14))
    position = max(r.json()["position"] for r in responses if r.status_code == 201)
    account = read(server.base, f"/v1/members/{member}/account", position)
    assert (account["balance"], account["spent"]) == ("1.0", "39.0")
    rewards = read(
        server.base, f"/v1/communities/{district.community}/rewards", position
    )
    assert rewards["items"][0]["stock"] == 87


def test_eight_concurrent_redemptions_of_the_last_item_one_succeeds(
    server: Server,
) -> None:
    with server.client() as client:
        district = build_district(client, members=8)
        earn(client, district.activity, district.members, "1")
        item = reward(client, district.community, "5", 1)
    requests = [
        (f"/v1/members/{m}/redemptions", {"reward_id": item}, {})
        for m in district.members
    ]
    responses = at_once([server.base], requests)
    assert Counter(codes(responses)) == {"201": 1, "409 out_of_stock": 7}
    position = max(r.json().get("position", 0) for r in responses)
    rewards = read(
        server.base, f"/v1/communities/{district.community}/rewards", position
    )
    assert rewards["items"][0]["stock"] == 0


def test_a_redemption_retried_with_one_key_has_one_effect_and_cancels_once(
    server: Server,
) -> None:
    with server.client() as client:
        district = build_district(client, members=1)
        member = district.members[0]
        earn(client, district.activity, [member], "2")  # 20.0 points
        item = reward(client, district.community, "6", 10)
    path = f"/v1/members/{member}/redemptions"
    key = {"Idempotency-Key": "redeem-storm"}
    responses = at_once([server.base], [(path, {"reward_id": item}, key)] * 16)
    assert set(codes(responses)) == {"201"}
    assert len({r.content for r in responses}) == 1
    made = responses[0].json()
    assert made["balance"] == "14.0"
    cancel = f"/v1/redemptions/{made['id']}/cancel"
    cancels = at_once([server.base], [(cancel, {"reason": "退货"}, {})] * 8)
    assert Counter(codes(cancels)) == {"200": 1, "409 already_cancelled": 7}
    position = max(r.json().get("position", 0) for r in cancels)
    account = read(server.base, f"/v1/members/{member}/account", position)
    assert (account["balance"], account["spent"], account["refunded"]) == (
        "20.0",
        "6.0",
        "6.0",
    )
    rewards = read(
        server.base, f"/v1/communities/{district.community}/rewards", position
    )
    assert rewards["items"][0]["stock"] == 10

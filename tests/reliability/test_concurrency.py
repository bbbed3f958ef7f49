"""Retry storms and concurrent writers against a real server process."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.reliability.conftest import AUTH, Server, build_district, ok


def test_a_retry_storm_with_one_idempotency_key_has_one_effect(server: Server) -> None:
    with server.client() as client:
        district = build_district(client, members=1)
        before = ok(client.get("/healthz"))["position"]
    body = {"records": [{"member_id": district.members[0], "hours": "2"}]}
    path = f"/v1/activities/{district.activity}/attendance"

    def attempt(_: int) -> httpx.Response:
        with httpx.Client(base_url=server.base, headers=AUTH, timeout=60) as c:
            return c.post(path, json=body, headers={"Idempotency-Key": "storm-1"})

    with ThreadPoolExecutor(max_workers=32) as pool:
        responses = list(pool.map(attempt, range(32)))

    # Every duplicate waits for the first answer and gives it, byte for byte.
    assert [r.status_code for r in responses] == [200] * 32, [
        r.text for r in responses if r.status_code != 200
    ]
    assert len({r.content for r in responses}) == 1
    assert responses[0].json()["recorded"] == 1
    replayed = [r for r in responses if r.headers.get("Idempotent-Replayed") == "true"]
    assert len(responses) - len(replayed) == 1
    with server.client() as client:
        position = responses[0].json()["position"]
        statement = ok(
            client.get(
                f"/v1/members/{district.members[0]}/statement",
                params={"min_position": position},
            )
        )
        after = ok(client.get("/healthz"))["position"]
    assert len(statement["items"]) == 1  # type: ignore[arg-type]
    assert int(str(after)) - int(str(before)) == 2


def test_eight_clients_recording_one_activity_at_once_all_count(server: Server) -> None:
    with server.client() as client:
        district = build_district(client, members=64)
    path = f"/v1/activities/{district.activity}/attendance"

    def record(worker: int) -> list[int]:
        positions = []
        with httpx.Client(base_url=server.base, headers=AUTH, timeout=60) as c:
            for member in district.members[worker::8]:
                answer = c.post(
                    path, json={"records": [{"member_id": member, "hours": "1.5"}]}
                )
                assert answer.status_code == 200, answer.text
                assert answer.json()["recorded"] == 1
                positions.append(answer.json()["position"])
        return positions

    with ThreadPoolExecutor(max_workers=8) as pool:
        positions = [p for chunk in pool.map(record, range(8)) for p in chunk]

    with server.client() as client:
        activity = ok(
            client.get(
                f"/v1/activities/{district.activity}",
                params={"min_position": max(positions)},
            )
        )
        stats = ok(
            client.get(
                f"/v1/communities/{district.community}/stats",
                params={"min_position": max(positions)},
            )
        )
    assert activity["attendances"] == 64
    assert stats["participations"] == 64
    assert stats["points"] == f"{64 * 15}.0"


def test_writers_of_one_activity_in_one_process_take_turns(server: Server) -> None:
    """Thirty-two clients record and then correct attendances of one activity
    at once: every request succeeds, none is answered write_conflict or run
    again after one, and the activity gets exactly one event per change."""
    clients = 32
    with server.client() as client:
        district = build_district(client, members=64)
        before = int(str(ok(client.get("/healthz"))["position"]))
    path = f"/v1/activities/{district.activity}/attendance"

    def write(worker: int) -> list[httpx.Response]:
        answers = []
        with httpx.Client(base_url=server.base, headers=AUTH, timeout=60) as c:
            for member in district.members[worker::clients]:
                record = {"records": [{"member_id": member, "hours": "1"}]}
                answers.append(c.post(path, json=record))
                correct = {
                    "records": [{"member_id": member, "hours": "2.5"}],
                    "reason": "签退时间登记错误",
                }
                answers.append(c.post(path, json=correct))
        return answers

    with ThreadPoolExecutor(max_workers=clients) as pool:
        answers = [a for chunk in pool.map(write, range(clients)) for a in chunk]

    assert [a.status_code for a in answers] == [200] * 128, [
        a.text for a in answers if a.status_code != 200
    ]
    written = [a.json() for a in answers]
    assert sum(w["recorded"] for w in written) == 64
    assert sum(w["corrected"] for w in written) == 64
    positions = sorted(w["position"] for w in written)
    assert positions == list(range(before + 1, before + 129))
    with server.client() as client:
        metrics = client.get("/metrics").text
        activity = ok(
            client.get(
                f"/v1/activities/{district.activity}",
                params={"min_position": positions[-1]},
            )
        )
    assert "vpoints_write_conflicts_retried_total 0.0" in metrics
    assert activity["attendances"] == 64

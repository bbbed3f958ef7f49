"""``kill -9`` of the server right after acknowledged writes."""

from __future__ import annotations

import threading
import time

import httpx

from tests.reliability.conftest import AUTH, Server, build_district, ok


def test_every_acknowledged_attendance_survives_a_kill_9_and_counts_once(
    server: Server,
) -> None:
    with server.client() as client:
        district = build_district(client, members=60)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop_writing = threading.Event()

    def write(worker: int) -> None:
        with httpx.Client(base_url=server.base, headers=AUTH, timeout=10) as c:
            for member in district.members[worker::4]:
                if stop_writing.is_set():
                    return
                try:
                    answer = c.post(
                        f"/v1/activities/{district.activity}/attendance",
                        json={"records": [{"member_id": member, "hours": "2"}]},
                    )
                except httpx.HTTPError:
                    return
                if answer.status_code == 200:
                    with lock:
                        acknowledged.append(member)

    writers = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for writer in writers:
        writer.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 20 and time.monotonic() < deadline:
        time.sleep(0.005)
    server.kill()
    stop_writing.set()
    for writer in writers:
        writer.join()

    server.start()
    with server.client() as client:
        position = ok(client.get("/healthz"))["position"]
        activity = ok(
            client.get(
                f"/v1/activities/{district.activity}",
                params={"min_position": position},
            )
        )
        for member in acknowledged:
            statement = ok(
                client.get(
                    f"/v1/members/{member}/statement",
                    params={"min_position": position},
                )
            )
            assert [i["activity_id"] for i in statement["items"]] == [  # type: ignore[union-attr]
                district.activity
            ]
        stats = ok(
            client.get(
                f"/v1/communities/{district.community}/stats",
                params={"min_position": position},
            )
        )
    assert len(acknowledged) >= 20
    assert int(str(activity["attendances"])) >= len(acknowledged)
    assert stats["participations"] == activity["attendances"]
    assert stats["points"] == f"{int(str(activity['attendances'])) * 20}.0"

"""The busiest routes (a member's points, a member's own points, attendance)
answer exactly what their response models would write, though they write
their answers without validating them again; on PostgreSQL a member's points
are read on the asynchronous pool, without a worker thread."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import Response
from pydantic import BaseModel

from api.schemas.figures import Points
from api.schemas.responses import AttendanceWritten
from tests.api.support import Running, Scene
from tests.conftest import STORES

on_every_store = pytest.mark.parametrize("database_url", STORES, indirect=True)


def as_its_model_writes_it(response: Response, model: type[BaseModel]) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    rewritten = model.model_validate_json(response.content).model_dump_json()
    assert response.content == rewritten.encode()
    return response.json()


@on_every_store
def test_points_are_answered_as_the_points_model_writes_them(scene: Scene) -> None:
    url = f"/v1/members/{scene.member}/points"
    points = as_its_model_writes_it(scene.read(url, year=2026), Points)
    assert (points["points"], points["hours"], points["activities"]) == ("20.0", "2", 1)
    mine = scene.read("/v1/me/points", role="member_self")
    assert as_its_model_writes_it(mine, Points) == points
    # Before the attendance's day: the year's sum is read in one snapshot.
    before = as_its_model_writes_it(scene.read(url, as_of="2026-02-28"), Points)
    assert (before["points"], before["activities"], before["star"]) == ("0.0", 0, 0)
    assert before["as_of"] == "2026-02-28"


@on_every_store
def test_attendance_is_answered_as_its_model_writes_it(scene: Scene) -> None:
    url = f"/v1/activities/{scene.started}/attendance"
    body = {"records": [{"member_id": scene.other_member, "hours": "1.5"}]}
    response = scene.client.post(url, json=body, headers=scene.headers("admin"))
    written = as_its_model_writes_it(response, AttendanceWritten)
    assert written == {
        "position": written["position"],
        "activity_id": scene.started,
        "recorded": 1,
        "unchanged": 0,
        "corrected": 0,
    }
    assert response.headers["X-Event-Position"] == str(written["position"])
    again = scene.client.post(
        url,
        json=body,
        headers=scene.headers("admin") | {"Idempotency-Key": "once"},
    )
    assert as_its_model_writes_it(again, AttendanceWritten)["unchanged"] == 1
    replayed = scene.client.post(
        url,
        json=body,
        headers=scene.headers("admin") | {"Idempotency-Key": "once"},
    )
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.content == again.content


@pytest.mark.parametrize(
    "database_url",
    [pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_on_postgresql_points_are_read_without_a_worker_thread(
    running: Running, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert running.system.async_reads_open

    async def no_thread(*_: Any) -> Any:
        raise AssertionError("a worker thread")

    monkeypatch.setattr(running.system, "in_worker", no_thread)
    for role in ("admin", "member_self"):
        answer = scene.read(f"/v1/members/{scene.member}/points", role=role)
        assert answer.json()["points"] == "20.0"
    own = scene.read("/v1/me/points", role="member_self")
    assert own.json()["points"] == "20.0"


@on_every_store
def test_points_asked_plainly_answer_as_when_read_in_full(scene: Scene) -> None:
    url = f"/v1/members/{scene.member}/points"
    scene.read(url)  # waits for the scene's writes
    admin = scene.headers("admin")
    in_full = scene.client.get(
        url, params={"year": 2026, "min_position": 0}, headers=admin
    )
    plainly = scene.client.get(f"{url}?year=2026", headers=admin)
    assert plainly.content == in_full.content
    assert as_its_model_writes_it(plainly, Points)["points"] == "20.0"
    this_year = scene.client.get(url, headers=admin)
    assert this_year.status_code == 200
    mine = scene.client.get(
        "/v1/me/points?year=2026", headers=scene.headers("member_self")
    )
    assert mine.content == in_full.content


@on_every_store
@pytest.mark.parametrize(
    "query",
    ["year=1948", "year=0999", "year=02026", "year=20x6", "year=", "year=2026&year=x"],
)
def test_points_asked_otherwise_are_refused_as_fastapi_refuses_them(
    scene: Scene, query: str
) -> None:
    for url in (f"/v1/members/{scene.member}/points", "/v1/me/points"):
        role = "admin" if url.startswith("/v1/members") else "member_self"
        answer = scene.client.get(f"{url}?{query}", headers=scene.headers(role))
        if query == "year=02026":
            assert answer.status_code == 200, answer.text
            continue
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"


@on_every_store
def test_points_of_a_member_named_otherwise_are_refused_or_not_found(
    scene: Scene,
) -> None:
    admin = scene.headers("admin")
    assert (
        scene.client.get("/v1/members/nobody/points", headers=admin).status_code == 422
    )
    unknown = "/v1/members/00000000-0000-4000-8000-000000000000/points?year=2026"
    assert scene.client.get(unknown, headers=admin).status_code == 404
    assert scene.client.get(unknown).status_code == 401


@on_every_store
@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b'{"records": []}', {}),
        (b'{"records": [{"member_id": "x", "hours": "1"}]}', {}),
        (b'{"records": [{"member_id": "%s", "hours": "-1"}]}', {}),
        (b'{"records": [{"member_id": "%s", "hours": "1"}], "extra": 1}', {}),
        (b'{"records": [{"member_id": "%s", "hours": "1"', {}),
        (b'{"records": [{"member_id": "%s", "hours": "1"}]}', {"Idempotency-Key": ""}),
        (
            b'{"records": [{"member_id": "%s", "hours": "1"}]}',
            {"Idempotency-Key": "k" * 256},
        ),
    ],
)
def test_attendance_asked_otherwise_is_refused_and_records_nothing(
    scene: Scene, body: bytes, headers: dict[str, str]
) -> None:
    url = f"/v1/activities/{scene.started}/attendance"
    if b"%s" in body:
        body = body.replace(b"%s", scene.other_member.encode())
    sent = scene.headers("admin") | {"Content-Type": "application/json"} | headers
    answer = scene.client.post(url, content=body, headers=sent)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    listed = scene.read(f"/v1/activities/{scene.started}/attendances").json()
    assert scene.other_member not in {a["member_id"] for a in listed["items"]}


@on_every_store
def test_attendance_sent_plainly_or_not_is_recorded_alike(scene: Scene) -> None:
    url = f"/v1/activities/{scene.started}/attendance"
    body = b'{"records": [{"member_id": "%s", "hours": "1.5"}]}' % (
        scene.other_member.encode()
    )
    admin = scene.headers("admin")
    plainly = scene.client.post(
        url,
        content=body,
        headers=admin | {"Content-Type": "application/json", "Idempotency-Key": "a"},
    )
    written = as_its_model_writes_it(plainly, AttendanceWritten)
    assert written["recorded"] == 1
    # The same key with another content type is read by FastAPI: the same
    # request, answered again as recorded.
    again = scene.client.post(
        url,
        content=body,
        headers=admin
        | {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": "a"},
    )
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == plainly.content

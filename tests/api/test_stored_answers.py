"""An answer shows what is stored, and a request answered by an earlier release
is answered again as that release recorded it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from api.schemas.requests import TeamCreate
from api.system import System
from api.writes import fingerprint
from domain.idempotency import IdempotentRequest
from domain.results import EarlierAnswer
from tests.api.support import ADMIN_TOKEN, Scene, bearer, written
from tests.conftest import STORES

ADMIN = bearer(ADMIN_TOKEN)
every_store = pytest.mark.parametrize("database_url", STORES, indirect=True)


def test_text_is_answered_as_it_is_stored(scene: Scene) -> None:
    community = written(
        scene.client.post(
            "/v1/communities",
            json={"name": " 幸福社区 ", "street": "  东风街道 "},
            headers=ADMIN,
        )
    )
    member = written(
        scene.client.post(
            "/v1/members",
            json={
                "name": " 王芳",
                "community_id": community["id"],
                "party_member": True,
                "grid": " 第三网格 ",
                "phone": " 13800138000 ",
            },
            headers=ADMIN,
        )
    )

    assert community["name"] == "幸福社区"
    assert community["street"] == "东风街道"
    scene.position = member["position"]
    stored = scene.read(f"/v1/members/{member['id']}").json()
    for field in ("name", "grid", "phone"):
        assert member[field] == stored[field]
    assert (member["name"], member["grid"], member["phone"]) == (
        "王芳",
        "第三网格",
        "13800138000",
    )


def record_version_1_answer(
    system: System, principal: str, key: str, print_: str, body: dict[str, Any]
) -> UUID:
    """Stores an Answered event as the release before results recorded it:
    version 1, with the HTTP status and body of the answer."""
    app = system.app
    request_id = IdempotentRequest.create_id(principal, key)
    state = {
        "timestamp": datetime(2026, 2, 1, tzinfo=UTC),
        "originator_topic": "domain.idempotency:IdempotentRequest",
        "principal": principal,
        "key": key,
        "fingerprint": print_,
        "status": 201,
        "body": body,
    }
    stored = StoredEvent(
        originator_id=request_id,
        originator_version=1,
        topic="domain.idempotency:IdempotentRequest.Answered",
        state=app.mapper.transcoder.encode(state),
    )
    app.recorder.insert_events([stored])
    return request_id


@every_store
def test_an_answer_recorded_by_the_earlier_release_is_replayed_as_recorded(
    scene: Scene, system: System
) -> None:
    team = {"name": "银发志愿服务队", "community_id": scene.community}
    print_ = fingerprint("POST", "/v1/teams", TeamCreate.model_validate(team))
    recorded = {"id": str(UUID(int=42)), **team}
    request_id = record_version_1_answer(
        system, "admin:bootstrap", "from-2025", print_, recorded
    )
    at = system.app.position()

    replayed = scene.client.post(
        "/v1/teams", json=team, headers=ADMIN | {"Idempotency-Key": "from-2025"}
    )

    assert written(replayed) == recorded | {"position": at}
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert system.app.position() == at
    upcast = system.app.repository.get(request_id)
    assert upcast.result == EarlierAnswer(status=201, body=recorded)

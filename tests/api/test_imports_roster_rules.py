"""A roster import's dry run and retry, the communities an organiser may
import into, and how phones match members, over HTTP."""

from __future__ import annotations

import base64
import hashlib
from uuid import UUID

import pytest

from api.auth import BOOTSTRAP_ADMIN
from api.system import System
from projections.sql import Sql
from tests.api.imports_support import ROSTER, by_name, roster_url, sheet_url, upload
from tests.api.support import Running, Scene, build_scene, problem, running_api, written
from tests.conftest import Clock

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite", "postgres"], indirect=True
)


def test_dry_run_checks_and_records_nothing(
    scene: Scene, system: System, running: Running
) -> None:
    content = (ROSTER + "冯二,13300133001,,,,\n").encode()
    checked = upload(scene.client, roster_url(scene), content, dry_run="true")
    assert checked.status_code == 200, checked.text
    assert checked.json() | {"position": 0} == {
        "community_id": scene.community,
        "rows": 1,
        "created": 1,
        "unchanged": 0,
        "position": 0,
        "header_row": 1,
        "ignored_columns": [],
    }
    assert running.position() == scene.position
    wrong = (ROSTER + "陈三,13300133002,无此网格,,,\n").encode()
    problem(
        upload(scene.client, roster_url(scene), wrong, dry_run="true"),
        422,
        "invalid_rows",
    )
    sheet = f"志愿者编号,时长\n{scene.other_member},2\n".encode()
    answer = upload(scene.client, sheet_url(scene), sheet, dry_run="true")
    assert answer.status_code == 200, answer.text
    assert answer.json()["recorded"] == 1
    assert running.position() == scene.position
    assert "冯二" not in by_name(system, scene)


def test_an_import_retried_with_its_idempotency_key_is_answered_again(
    scene: Scene, running: Running
) -> None:
    content = (ROSTER + "卫五,13300133005,,,,\n").encode()
    headers = {
        "Authorization": "Bearer vp_test_bootstrap_admin",
        "Idempotency-Key": "roster-1",
    }
    files = {"file": ("r.csv", content)}
    first = scene.client.post(roster_url(scene), files=files, headers=headers)
    answer = written(first, 200)
    assert answer["created"] == 1
    position = running.position()
    again = scene.client.post(roster_url(scene), files=files, headers=headers)
    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == answer
    assert running.position() == position
    other = {"file": ("r.csv", (ROSTER + "卫六,13300133006,,,,\n").encode())}
    reused = scene.client.post(roster_url(scene), files=other, headers=headers)
    problem(reused, 422, "idempotency_key_reused")


def test_organizers_import_only_into_communities_they_cover(
    scene: Scene, system: System
) -> None:
    content = (ROSTER + "褚四,13200132001,,,,\n").encode()
    outside = upload(
        scene.client, roster_url(scene), content, role_token="vp_test_organizer_out"
    )
    problem(outside, 403, "forbidden")
    member = upload(
        scene.client, roster_url(scene), content, role_token="vp_test_member_self"
    )
    problem(member, 403, "forbidden")
    inside = upload(
        scene.client, roster_url(scene), content, role_token="vp_test_organizer_in"
    )
    assert written(inside, 200)["created"] == 1
    unknown = f"/v1/communities/{UUID(int=7)}/members/import"
    problem(upload(scene.client, unknown, content), 404, "not_found")


def test_a_changed_phone_is_matched_by_its_new_number_only(
    scene: Scene, system: System
) -> None:
    member = UUID(scene.member)
    system.app.change_member(member, BOOTSTRAP_ADMIN, phone="138 1111 2222")
    content = (ROSTER + "王芳,13811112222,,,,\n王芳,13800138000,,,,\n").encode()
    answer = written(upload(scene.client, roster_url(scene), content), 200)
    assert (answer["created"], answer["unchanged"]) == (1, 1)
    system.catch_up_to_now()
    found = system.queries.members_by_phone(["13811112222", "13800138000"])
    assert found["13811112222"] == scene.member
    assert found["13800138000"] != scene.member


PHONE_KEYS = Sql("SELECT phone_key FROM {t}vp_member_phone")


def test_phones_are_matched_when_personal_data_is_sealed(
    database_url: str, clock: Clock
) -> None:
    key = base64.b64encode(bytes(range(32))).decode()
    with running_api(database_url, clock, cipher_key=key) as api:
        scene = build_scene(api)
        content = (ROSTER + "王芳,138-0013-8000,,,,\n韩梅,13700001111,,,,\n").encode()
        answer = written(upload(scene.client, roster_url(scene), content), 200)
        assert (answer["created"], answer["unchanged"]) == (1, 1)
        api.system.catch_up_to_now()
        keys = {r["phone_key"] for r in api.system.projector.view.all(PHONE_KEYS, ())}
        plain = hashlib.sha256(b"13800138000").hexdigest()
        assert len(keys) == 3
        assert plain not in keys
        assert not any("1380013" in k for k in keys)
        sheet = "手机号,姓名,时长\n13700001111,韩梅,2\n".encode()
        recorded = upload(scene.client, sheet_url(scene), sheet)
        assert written(recorded, 200)["recorded"] == 1

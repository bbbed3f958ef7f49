"""Token revocation, constant-time comparison, and personal data at rest (PIPL)."""

from __future__ import annotations

import base64
import hmac
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from api.system import System
from domain.access import token_digest
from tests.conftest import drop_postgres_schema, postgres_test_url

ADMIN = "pipl-admin-token"
AUTH = {"Authorization": f"Bearer {ADMIN}"}
NAME = "欧阳娜娜"
PHONE = "13912345678"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def serve(settings: Settings) -> tuple[TestClient, System]:
    system = System(settings)
    return TestClient(create_app(settings, system)), system


def register_member(client: TestClient) -> tuple[str, str, int]:
    community = client.post("/v1/communities", json={"name": "个保社区"}, headers=AUTH)
    community_id = community.json()["id"]
    member = client.post(
        "/v1/members",
        json={
            "name": NAME,
            "community_id": community_id,
            "party_member": True,
            "phone": PHONE,
        },
        headers=AUTH,
    )
    assert member.status_code == 201, member.text
    return community_id, member.json()["id"], member.json()["position"]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'pipl.db'}"


def test_a_revoked_token_is_refused_at_once_and_elsewhere_once_reads_reflect_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=sqlite_url, admin_token=ADMIN)
    client, system = serve(settings)
    other_client, other_system = serve(settings)
    with client, other_client:
        _, member_id, _ = register_member(client)
        issued = client.post(
            "/v1/tokens", json={"role": "member", "member_id": member_id}, headers=AUTH
        ).json()
        token = issued["token"]
        assert client.get("/v1/me/points", headers=bearer(token)).status_code == 200
        assert (
            other_client.get("/v1/me/points", headers=bearer(token)).status_code == 200
        )
        revoked = client.delete(f"/v1/tokens/{issued['id']}", headers=AUTH)
        assert revoked.status_code == 200, revoked.text
        assert client.get("/v1/me/points", headers=bearer(token)).status_code == 401
        # Another process refuses it once its read models reflect the revocation.
        caught_up = {"min_position": revoked.json()["position"]}
        assert other_client.get("/v1/stats", params=caught_up, headers=AUTH).is_success
        assert (
            other_client.get("/v1/me/points", headers=bearer(token)).status_code == 401
        )
    system.close()
    other_system.close()


def test_tokens_are_compared_in_constant_time(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[object, object]] = []
    compare = hmac.compare_digest

    def spy(a: object, b: object) -> bool:
        compared.append((a, b))
        return compare(a, b)  # type: ignore[arg-type]

    settings = Settings(database_url=sqlite_url, admin_token=ADMIN)
    client, system = serve(settings)
    with client:
        _, member_id, _ = register_member(client)
        token = client.post(
            "/v1/tokens", json={"role": "member", "member_id": member_id}, headers=AUTH
        ).json()["token"]
        monkeypatch.setattr(hmac, "compare_digest", spy)
        assert client.get("/v1/stats", headers=AUTH).status_code == 200
        admin_comparisons = len(compared)
        assert client.get("/v1/stats", headers=bearer(token)).status_code == 200
        assert client.get("/v1/stats", headers=bearer(token + "x")).status_code == 401
    system.close()
    digest = token_digest(token)
    assert admin_comparisons >= 1
    assert (digest, digest) in compared[admin_comparisons:]


def raw_sqlite_bytes(url: str) -> bytes:
    path = Path(url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_with_a_cipher_key_no_name_or_phone_is_stored_in_clear_on_sqlite(
    sqlite_url: str,
) -> None:
    settings = Settings(
        database_url=sqlite_url, admin_token=ADMIN, cipher_key=new_key()
    )
    client, system = serve(settings)
    with client:
        community_id, member_id, position = register_member(client)
        shown = client.get(
            f"/v1/members/{member_id}", params={"min_position": position}, headers=AUTH
        ).json()
        listed = client.get(
            f"/v1/communities/{community_id}/members",
            params={"min_position": position},
            headers=AUTH,
        ).json()
    system.close()
    assert (shown["name"], shown["phone"]) == (NAME, PHONE)
    assert listed["items"][0]["name"] == NAME
    raw = raw_sqlite_bytes(sqlite_url)
    assert len(raw) > 0
    assert NAME.encode() not in raw
    assert PHONE.encode() not in raw


def test_without_a_cipher_key_the_clear_text_is_there_and_a_warning_is_logged(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(database_url=sqlite_url, admin_token=ADMIN)
    with caplog.at_level(logging.WARNING):
        client, system = serve(settings)
    with client:
        register_member(client)
    system.close()
    assert any("VPOINTS_CIPHER_KEY" in r.getMessage() for r in caplog.records)
    assert PHONE.encode() in raw_sqlite_bytes(sqlite_url)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    url = postgres_test_url()
    yield url
    drop_postgres_schema(url)


@pytest.mark.postgres
def test_with_a_cipher_key_no_name_or_phone_is_stored_in_clear_on_postgres(
    postgres_url: str,
) -> None:
    import psycopg

    settings = Settings(
        database_url=postgres_url, admin_token=ADMIN, cipher_key=new_key()
    )
    client, system = serve(settings)
    with client:
        _, member_id, position = register_member(client)
        shown = client.get(
            f"/v1/members/{member_id}", params={"min_position": position}, headers=AUTH
        ).json()
    system.close()
    assert shown["phone"] == PHONE
    schema = postgres_url.rsplit("schema=", 1)[1]
    dump = []
    with psycopg.connect(postgres_url.split("?")[0]) as connection:
        tables = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,),
        ).fetchall()
        for (table,) in tables:
            rows = connection.execute(
                f'SELECT t::text FROM "{schema}"."{table}" t'
            ).fetchall()
            dump += [row[0] for row in rows]
            data = connection.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall()
            dump += [
                value.decode("utf-8", "replace")
                if isinstance(value, bytes)
                else str(value)
                for row in data
                for value in row
            ]
    text = "\n".join(dump)
    assert len(tables) >= 3
    assert NAME not in text
    assert PHONE not in text


def test_phone_numbers_never_reach_the_logs(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(database_url=sqlite_url, admin_token=ADMIN)
    client, system = serve(settings)
    with caplog.at_level(logging.DEBUG), client:
        community_id, member_id, _ = register_member(client)
        client.get(f"/v1/members/{member_id}", headers=AUTH)
        client.post(
            "/v1/members",
            json={
                "name": "李四",
                "community_id": community_id,
                "party_member": True,
                "phone": PHONE + "abc",
            },
            headers=AUTH,
        )
    system.close()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert PHONE not in logged


def test_phone_numbers_are_shown_only_to_admins_and_organizers_in_scope(
    sqlite_url: str,
) -> None:
    settings = Settings(database_url=sqlite_url, admin_token=ADMIN)
    client, system = serve(settings)
    with client:
        community_id, member_id, position = register_member(client)
        other = client.post(
            "/v1/communities", json={"name": "别的社区"}, headers=AUTH
        ).json()["id"]

        def token(body: dict[str, object]) -> dict[str, str]:
            issued = client.post("/v1/tokens", json=body, headers=AUTH).json()
            return bearer(issued["token"])

        seen = {
            "admin": AUTH,
            "organizer in scope": token(
                {"role": "organizer", "community_ids": [community_id]}
            ),
            "member itself": token({"role": "member", "member_id": member_id}),
            "organizer out of scope": token(
                {"role": "organizer", "community_ids": [other]}
            ),
        }
        answers = {
            who: client.get(
                f"/v1/members/{member_id}",
                params={"min_position": position},
                headers=headers,
            )
            for who, headers in seen.items()
        }
    system.close()
    assert answers["admin"].json()["phone"] == PHONE
    assert answers["organizer in scope"].json()["phone"] == PHONE
    assert answers["organizer out of scope"].status_code == 403
    assert PHONE not in answers["organizer out of scope"].text
    assert answers["member itself"].status_code == 200

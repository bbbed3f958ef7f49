"""The OpenAPI document says what a history item's details hold for each type,
and the golden log's histories hold just that."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.schemas import history as documented
from domain.application import VolunteerPoints
from infrastructure.log_file import copy_entries, importing, read_log
from infrastructure.storage import open_application, parse_database_url
from projections.attendance_rows import RERATED
from projections.history import History
from projections.sealing import Sealer
from tests.api.support import ADMIN_TOKEN, bearer, running_api
from tests.conftest import Clock
from tests.golden.replay import RELEASES, log_file

# Whose histories there are: by the key that names them in x-details-by-type,
# their collection in the API and the event that begins each.
SUBJECTS = {
    "member": ("members", "domain.member:Member.Registered"),
    "activity": ("activities", "domain.activity:Activity.Scheduled"),
}


def originators(app: VolunteerPoints, topic: str) -> list[str]:
    notifications = app.recorder.select_notifications(1, 1_000_000, topics=[topic])
    return sorted({str(n.originator_id) for n in notifications})


def history_of(client: TestClient, url: str, position: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": 500, "min_position": position}
        page = client.get(
            url,
            params=params | ({"cursor": cursor} if cursor else {}),
            headers=bearer(ADMIN_TOKEN),
        )
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


def schema_at(document: dict[str, Any], ref: str) -> dict[str, Any]:
    schema: dict[str, Any] = document
    for part in ref.removeprefix("#/").split("/"):
        schema = schema[part]
    return schema


def test_every_history_type_names_the_schema_of_its_details(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
    details = document["components"]["schemas"]["HistoryItem"]["properties"]["details"]
    by_type: dict[str, dict[str, str]] = details["x-details-by-type"]

    projected = {cls.__name__ for cls, _ in History(Sealer()).handlers()}
    # A re-rating is no event of its own: the points model writes it.
    assert set().union(*by_type.values()) == projected | {RERATED}
    named = {ref for types in by_type.values() for ref in types.values()}
    assert named == {schema["$ref"] for schema in details["anyOf"]}
    for types in by_type.values():
        for kind, ref in types.items():
            assert ref.split("/")[-1] in details["description"]
            assert schema_at(document, ref)["additionalProperties"] is False, kind


def test_the_golden_logs_history_details_are_as_documented(
    tmp_path: Path, clock: Clock
) -> None:
    url = f"sqlite:///{tmp_path / 'golden.db'}"
    app = open_application(parse_database_url(url), clock=clock)
    copy_entries(read_log(log_file(RELEASES[-1])), importing(app.recorder))
    subjects = {
        kind: [
            f"/v1/{collection}/{subject}/history" for subject in originators(app, topic)
        ]
        for kind, (collection, topic) in SUBJECTS.items()
    }
    position = app.position()
    app.close()

    seen: dict[str, set[str]] = {kind: set() for kind in SUBJECTS}
    with running_api(url, clock) as api:
        document = api.client.get("/openapi.json").json()
        details = document["components"]["schemas"]["HistoryItem"]["properties"]
        by_type = details["details"]["x-details-by-type"]
        for kind, urls in subjects.items():
            for url in urls:
                for item in history_of(api.client, url, position):
                    ref = by_type[kind][item["type"]]
                    schema = schema_at(document, ref)
                    keys = item["details"].keys()
                    assert set(schema.get("required", ())) <= keys, item
                    assert keys <= schema["properties"].keys(), item
                    model = getattr(documented, ref.split("/")[-1])
                    model.model_validate(item["details"])
                    seen[kind].add(item["type"])

    assert seen == {kind: set(types) for kind, types in by_type.items()}

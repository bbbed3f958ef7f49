"""GET /metrics (shared/API.md, audit and operations): requests counted and timed
by operation, the event log and projection positions, write conflicts retried,
in Prometheus text format, for admins."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.system import System
from domain.application import VolunteerPoints
from tests.api.support import (
    ADMIN_TOKEN,
    YEAR,
    Scene,
    bearer,
    documented_operations,
    problem,
    running_api,
)
from tests.conftest import STORES, Clock

pytestmark = pytest.mark.parametrize("database_url", STORES, indirect=True)

ADMIN = bearer(ADMIN_TOKEN)
REQUESTS = "vpoints_http_requests_total"
LATENCY = "vpoints_http_request_duration_seconds"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient) -> Samples:
    """Every sample of the admin's scrape, by name and labels."""
    response = client.get("/metrics", headers=ADMIN)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def requests(samples: Samples, operation: str, method: str, status: int) -> float:
    labels = {"operation": operation, "method": method, "status": str(status)}
    return value(samples, REQUESTS, **labels)


def test_requests_are_counted_and_timed_by_operation_method_and_status(
    scene: Scene,
) -> None:
    before = scrape(scene.client)
    for _ in range(2):
        assert scene.read(f"/v1/members/{scene.member}/points", **YEAR).is_success
    unknown = scene.read(f"/v1/members/{uuid4()}/points", **YEAR)
    problem(unknown, 404, "not_found")
    invalid = scene.client.post("/v1/members", json={}, headers=ADMIN)
    problem(invalid, 422, "validation_error")
    problem(scene.client.get("/v1/nowhere", headers=ADMIN), 404, "not_found")
    after = scrape(scene.client)

    expected = {
        ("get_member_points", "GET", 200): 2,
        ("get_member_points", "GET", 404): 1,
        ("create_member", "POST", 422): 1,
        ("unmatched", "GET", 404): 1,
        ("get_metrics", "GET", 200): 1,
    }
    for (operation, method, status), count in expected.items():
        labels = {"operation": operation, "method": method, "status": str(status)}
        counted = value(after, REQUESTS, **labels)
        assert counted - value(before, REQUESTS, **labels) == count
        assert value(after, LATENCY + "_count", **labels) == counted
        assert value(after, LATENCY + "_bucket", le="+Inf", **labels) == counted
        assert value(after, LATENCY + "_sum", **labels) > 0


def test_a_method_the_path_does_not_take_is_counted_as_unmatched(
    scene: Scene,
) -> None:
    problem(scene.client.delete("/v1/stats", headers=ADMIN), 405, "method_not_allowed")
    samples = scrape(scene.client)
    assert requests(samples, "unmatched", "DELETE", 405) == 1
    assert requests(samples, "get_stats", "DELETE", 405) == 0


def test_the_log_position_is_the_applications_and_the_lag_is_zero_once_caught_up(
    scene: Scene, system: System
) -> None:
    system.catch_up_to_now()
    samples = scrape(scene.client)
    position = system.app.position()
    assert position > 0
    assert value(samples, "vpoints_event_log_position") == position
    assert value(samples, "vpoints_projection_position") == position
    assert value(samples, "vpoints_projection_lag_events") == 0


def test_the_lag_counts_the_events_a_projection_worker_has_not_projected_yet(
    database_url: str, clock: Clock
) -> None:
    with running_api(database_url, clock, run_projector=False) as api:
        api.system.app.register_community("幸福里社区", None, "admin:test")
        api.system.app.register_community("光明社区", None, "admin:test")
        samples = scrape(api.client)
        assert value(samples, "vpoints_event_log_position") == 2
        assert value(samples, "vpoints_projection_position") == 0
        assert value(samples, "vpoints_projection_lag_events") == 2


def test_a_command_run_again_after_a_write_conflict_is_counted(
    scene: Scene, system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = system.app
    member = UUID(scene.member)
    save = app.save
    raced: list[bool] = []

    def save_after_another_writer(*aggregates: Any, **kwargs: Any) -> Any:
        """Lets another writer change the member first, once."""
        if not raced:
            raced.append(True)
            app.change_member(member, "admin:other", phone="13700137000")
        return save(*aggregates, **kwargs)

    monkeypatch.setattr(app, "save", save_after_another_writer)
    before = value(scrape(scene.client), "vpoints_write_conflicts_retried_total")
    response = scene.client.patch(
        f"/v1/members/{scene.member}", json={"name": "王芳芳"}, headers=ADMIN
    )

    assert response.status_code == 200, response.text
    assert response.json()["name"] == "王芳芳"
    assert response.json()["phone"] == "13700137000"
    after = value(scrape(scene.client), "vpoints_write_conflicts_retried_total")
    assert after - before == 1
    assert after == app.write_conflicts_retried


def test_a_command_that_saves_at_once_counts_no_retry(app: VolunteerPoints) -> None:
    app.register_community("幸福里社区", None, "admin:test")
    assert app.write_conflicts_retried == 0


def test_metrics_need_a_token(client: TestClient) -> None:
    problem(client.get("/metrics"), 401, "unauthorized")
    problem(client.get("/metrics", headers=bearer("vp_wrong")), 401, "unauthorized")


@pytest.mark.parametrize("role", ["organizer_in", "member_self"])
def test_only_admins_read_metrics(scene: Scene, role: str) -> None:
    response = scene.client.get("/metrics", headers=scene.headers(role))
    problem(response, 403, "forbidden")


def test_metrics_stay_out_of_the_openapi_document(client: TestClient) -> None:
    assert "GET /metrics" not in documented_operations(client)


def test_two_apis_in_one_process_count_their_own_requests(
    database_url: str, clock: Clock
) -> None:
    with running_api(database_url, clock) as first:
        first.client.get("/v1/nowhere")
        with running_api("memory://", clock) as second:
            assert requests(scrape(second.client), "unmatched", "GET", 404) == 0
        assert requests(scrape(first.client), "unmatched", "GET", 404) == 1

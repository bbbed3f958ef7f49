"""Double reports on a date and ended on a date, a member's and a unit's,
over HTTP."""

from __future__ import annotations

from uuid import uuid4

import pytest

from api.system import System
from tests.api.lifecycle_support import figures, member_record, refused
from tests.api.support import Scene, error_fields
from tests.conftest import Clock

pytestmark = pytest.mark.parametrize(
    "database_url", ["memory", "sqlite"], indirect=True
)

NOWHERE = str(uuid4())


# Double reports ended.


def test_a_double_report_without_a_date_is_reported_today(scene: Scene) -> None:
    url = f"/v1/members/{scene.member}/double-report"
    answer = scene.write("POST", url, {"community_id": scene.community})
    assert answer["reported_on"] == "2026-03-01"
    unit = scene.write(
        "POST",
        f"/v1/units/{scene.unit}/double-report",
        {"community_id": scene.community},
    )
    assert unit["reported_on"] == "2026-03-01"


def test_ending_a_members_double_report_answers_the_community_and_date(
    scene: Scene, summer: Clock
) -> None:
    report = {"community_id": scene.community, "reported_on": "2026-03-10"}
    scene.write("POST", f"/v1/members/{scene.member}/double-report", report)
    url = f"/v1/members/{scene.member}/double-report/end"
    answer = scene.write("POST", url, {"ended_on": "2026-05-20"}, role="organizer_in")
    assert answer | {"position": None} == {
        "position": None,
        "id": scene.member,
        "community_id": scene.community,
        "ended_on": "2026-05-20",
    }
    assert member_record(scene, scene.member)["double_report"] is None
    assert figures(scene, scene.community, "2026-05-19")["members_reported"] == 1
    assert figures(scene, scene.community, "2026-05-20")["members_reported"] == 0


def test_ending_a_double_report_without_a_body_ends_it_today(scene: Scene) -> None:
    report = {"community_id": scene.community}
    scene.write("POST", f"/v1/members/{scene.member}/double-report", report)
    answer = scene.write("POST", f"/v1/members/{scene.member}/double-report/end")
    assert answer["ended_on"] == "2026-03-01"


def test_ending_a_double_report_needs_one_in_effect_and_a_later_date(
    scene: Scene, system: System, summer: Clock
) -> None:
    url = f"/v1/members/{scene.member}/double-report/end"
    refused(scene, system, "POST", url, {}, 409, "not_reported")
    report = {"community_id": scene.community, "reported_on": "2026-03-10"}
    scene.write("POST", f"/v1/members/{scene.member}/double-report", report)
    for ended_on, code in [
        ("2026-03-09", "date_out_of_order"),
        ("2026-06-02", "future_date"),
        ("2026-3-9", "validation_error"),
    ]:
        answer = refused(scene, system, "POST", url, {"ended_on": ended_on}, 422, code)
        assert error_fields(answer) == {"ended_on"}
    for role in ("organizer_out", "member_self"):
        refused(scene, system, "POST", url, {}, 403, "forbidden", role)


def test_ending_a_units_double_report_counts_it_until_the_day_before(
    scene: Scene, summer: Clock
) -> None:
    report = {"community_id": scene.community, "reported_on": "2026-02-01"}
    scene.write("POST", f"/v1/units/{scene.unit}/double-report", report)
    url = f"/v1/units/{scene.unit}/double-report/{scene.community}/end"
    answer = scene.write("POST", url, {"ended_on": "2026-04-01"})
    assert answer | {"position": None} == {
        "position": None,
        "id": scene.unit,
        "community_id": scene.community,
        "ended_on": "2026-04-01",
    }
    assert figures(scene, scene.community, "2026-03-31")["units_reported"] == 1
    assert figures(scene, scene.community, "2026-04-01")["units_reported"] == 0


def test_ending_a_units_double_report_is_refused_when_it_cannot_be(
    scene: Scene, system: System
) -> None:
    report = {"community_id": scene.community, "reported_on": "2026-02-01"}
    scene.write("POST", f"/v1/units/{scene.unit}/double-report", report)
    url = f"/v1/units/{scene.unit}/double-report/{scene.community}/end"
    early = {"ended_on": "2026-01-31"}
    answer = refused(scene, system, "POST", url, early, 422, "date_out_of_order")
    assert error_fields(answer) == {"ended_on"}
    refused(scene, system, "POST", url, {"ended_on": "2026-03-02"}, 422, "future_date")
    for role in ("organizer_in", "member_self"):
        refused(scene, system, "POST", url, {}, 403, "forbidden", role)
    elsewhere = f"/v1/units/{scene.unit}/double-report/{scene.other_community}/end"
    refused(scene, system, "POST", elsewhere, {}, 404, "not_found")
    unknown = f"/v1/units/{NOWHERE}/double-report/{scene.community}/end"
    refused(scene, system, "POST", unknown, {}, 404, "not_found")

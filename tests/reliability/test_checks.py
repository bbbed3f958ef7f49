"""The costly checks cannot be used to stop the service (DESIGN part three,
reliability round three): log and report verification are for admins (and
the report's scope's organisers), one at a time per process with callers
sharing an answer, and each walk resumes after the last link verified."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from infrastructure.storage import Storage, parse_database_url
from tests.api.support import problem
from tests.audit.tampering import Tamperer
from tests.reliability.conftest import District, Server, build_district, ok


def token(client: httpx.Client, body: dict[str, Any]) -> dict[str, str]:
    issued = ok(client.post("/v1/tokens", json=body))
    return {"Authorization": f"Bearer {issued['token']}"}


def attend(client: httpx.Client, district: District, hours: str) -> int:
    records = [{"member_id": m, "hours": hours} for m in district.members]
    written = ok(
        client.post(
            f"/v1/activities/{district.activity}/attendance",
            json={"records": records},
        )
    )
    return int(str(written["position"]))


def verify(client: httpx.Client, **params: Any) -> dict[str, Any]:
    return ok(client.get("/v1/audit/verify", params=params))


class LogTamperer(Tamperer):
    """Tampering with the server's database, with no application of its own."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        postgres = storage.kind == "postgresql"
        self.table = "volunteerpoints_events" if postgres else "stored_events"


def test_verification_is_guarded_shared_resumed_and_still_finds_tampering(
    server: Server,
) -> None:
    with server.client() as client:
        district = build_district(client, members=8)
        attend(client, district, "2")
        scope = {"scope": "community", "scope_id": district.community}
        report = ok(client.post("/v1/reports", json=scope | {"year": 2026}))
        only_admins_and_the_reports_organisers_verify(server, client, district, report)
        concurrent_verifications_answer_alike(server, district, report)
        later_walks_resume(client, district, report)
        a_resumed_walk_finds_changes_after_it_and_a_full_walk_the_rest(
            server, client, district
        )


def only_admins_and_the_reports_organisers_verify(
    server: Server, client: httpx.Client, district: District, report: dict[str, Any]
) -> None:
    other = ok(client.post("/v1/communities", json={"name": "别的社区"}))["id"]
    callers = {
        "organiser_in": token(
            client, {"role": "organizer", "community_ids": [district.community]}
        ),
        "organiser_out": token(client, {"role": "organizer", "community_ids": [other]}),
        "member": token(client, {"role": "member", "member_id": district.members[0]}),
    }
    report_url = f"/v1/reports/{report['id']}/verify"
    with httpx.Client(base_url=server.base, timeout=60) as anyone:
        for name, headers in callers.items():
            answer = anyone.get(report_url, headers=headers)
            if name == "organiser_in":
                assert ok(answer)["matches"] is True
            else:
                problem(answer, 403, "forbidden")
            problem(anyone.get("/v1/audit/verify", headers=headers), 403, "forbidden")
        problem(anyone.get(report_url), 401, "unauthorized")


def concurrent_verifications_answer_alike(
    server: Server, district: District, report: dict[str, Any]
) -> None:
    """Ten callers of each check at once, while attendance is recorded."""

    def writer() -> None:
        with server.client() as c:
            for hours in ("3", "4", "2", "3"):
                attend(c, district, hours)

    def audit(_: int) -> dict[str, Any]:
        with server.client() as c:
            return verify(c)

    def report_check(_: int) -> dict[str, Any]:
        with server.client() as c:
            return ok(c.get(f"/v1/reports/{report['id']}/verify"))

    thread = threading.Thread(target=writer)
    thread.start()
    with ThreadPoolExecutor(20) as pool:
        audits = pool.map(audit, range(10))
        reports = pool.map(report_check, range(10))
        audits, reports = list(audits), list(reports)
    thread.join()
    walked = [(a["ok"], a["checked"]) for a in audits]
    assert walked == [(True, a["head"]["position"]) for a in audits]
    assert all(r["matches"] for r in reports)
    assert len({r["head_digest"] for r in reports}) == 1


def later_walks_resume(
    client: httpx.Client, district: District, report: dict[str, Any]
) -> None:
    settled = verify(client)
    head = settled["head"]["position"]
    assert (settled["ok"], settled["checked"]) == (True, head)
    # Nothing new: a walk resumes at the head and checks nothing again.
    again = verify(client)
    assert (again["resumed_from"], again["checked"]) == (head, head)
    # A few events later, a walk resumes after the last link verified.
    later = attend(client, district, "1")
    resumed = verify(client)
    assert resumed["resumed_from"] == head
    assert (resumed["ok"], resumed["checked"]) == (True, later)
    whole = verify(client, full="true")
    assert (whole["resumed_from"], whole["checked"], whole["ok"]) == (0, later, True)
    assert ok(client.get(f"/v1/reports/{report['id']}/verify"))["matches"] is True


def a_resumed_walk_finds_changes_after_it_and_a_full_walk_the_rest(
    server: Server, client: httpx.Client, district: District
) -> None:
    tamperer = LogTamperer(parse_database_url(server.url))
    verified = verify(client)["head"]["position"]
    later = attend(client, district, "3")
    tamperer.change(later)
    found = verify(client)
    assert (found["ok"], found["first_broken_position"]) == (False, later)
    assert found["resumed_from"] == verified
    # Found again by the next walk, which resumes just before it.
    assert verify(client)["first_broken_position"] == later
    # A row below the position verified, changed without its link: a resumed
    # walk trusts what it verified before; a full walk finds it.
    tamperer.change(2)
    assert verify(client)["first_broken_position"] == later
    whole = verify(client, full="true")
    assert (whole["resumed_from"], whole["first_broken_position"]) == (0, 2)

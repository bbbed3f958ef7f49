"""A report published before the double-reported members' own figures
existed: its figures stay as published (those figures null), it is not
revised for lacking them, and its verification matches on what it published."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.api.support import ADMIN, running_api
from tests.golden.replay import RELEASES, replayed

LATER_FIGURES = (
    "members_reported_participations",
    "members_reported_avg_annual_points",
)


def test_a_report_published_before_the_reported_members_figures_shows_them_null(
    tmp_path: Path,
) -> None:
    release = RELEASES[0]
    app, _ = replayed(release, tmp_path)
    today = app.today()
    published = app.recorder.select_notifications(
        1, 1_000_000, topics=["domain.report:Report.Published"]
    )
    report_id = str(published[0].originator_id)
    app.close()
    url = f"sqlite:///{tmp_path / f'golden-{release}.db'}"
    now = datetime(today.year, today.month, today.day, 4, tzinfo=UTC)
    with running_api(url, lambda: now) as api:
        report = api.client.get(f"/v1/reports/{report_id}", headers=ADMIN)
        verified = api.client.get(f"/v1/reports/{report_id}/verify", headers=ADMIN)
    assert report.status_code == 200, report.text
    body = report.json()
    assert [body["figures"][name] for name in LATER_FIGURES] == [None, None]
    assert [body["current"][name] for name in LATER_FIGURES] == [0, "0.0"]
    assert body["revised"] is False
    assert verified.status_code == 200, verified.text
    assert verified.json()["matches"] is True
    assert [verified.json()["figures"][name] for name in LATER_FIGURES] == [0, "0.0"]

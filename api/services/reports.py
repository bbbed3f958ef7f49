"""Published reports (发布的数字): a scope's figures frozen with the log
position they reflect, read again beside today's, and verified by replaying
the log without the read models."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from api.services.read_models import caught_up
from api.system import System
from domain.dates import figure_date
from domain.idempotency import RequestKey
from domain.report import Report
from domain.results import ReportPublished
from infrastructure.digest import head_digest, log_digest
from projections.replay import replayed_stats

# Figures added after reports were first published: a report published before
# them shows them as null, and is compared on what it published.
LATER_FIGURES = (
    "members_reported_participations",
    "members_reported_avg_annual_points",
)
# The reports whose replayed figures a process keeps for later verifications.
VERIFIED_REPORTS_KEPT = 256


def publish_report(
    system: System,
    scope: str,
    scope_id: UUID | None,
    year: int,
    as_of: date | None,
    actor: str,
    *,
    request: RequestKey | None = None,
) -> ReportPublished:
    """Publishes a scope's figures for a year as of a date (by default 31
    December, never after today) as the read models hold them once they
    reflect the whole log, with that position and the log's digest up to it."""
    app = system.app
    app.check_report_scope(scope, scope_id)
    on = figure_date(year, as_of, app.today())
    position, figures = caught_up(system).stats_with_position(
        scope, _place(scope_id), year, on
    )
    digest = head_digest(app, position)
    return app.publish_report(
        scope, scope_id, year, on, position, figures, digest, actor, request=request
    )


def with_current_figures(system: System, report: Report) -> dict[str, Any]:
    """A published report as it was, with today's figures for the same scope,
    year and date, and whether they were revised since."""
    current = system.queries.stats(
        report.scope, _place(report.scope_id), report.year, report.as_of
    )
    return {
        "id": report.id,
        "scope": report.scope,
        "scope_id": report.scope_id,
        "scope_name": scope_name(system, report.scope, report.scope_id),
        "year": report.year,
        "as_of": report.as_of,
        "position": report.position,
        "published_at": report.published_at,
        "figures": as_published(report.figures),
        "head_digest": report.head_digest,
        "current": current,
        "revised": not same_figures(current, report.figures),
    }


def as_published(figures: dict[str, Any]) -> dict[str, Any]:
    """A report's figures as published, those added since it as null."""
    return dict.fromkeys(LATER_FIGURES) | figures


def same_figures(figures: dict[str, Any], published: dict[str, Any]) -> bool:
    """Whether figures agree with a report on every figure it published."""
    return {k: v for k, v in figures.items() if k in published} == published


def verify_report(system: System, report: Report, full: bool = False) -> dict[str, Any]:
    """A published report's figures and log digest recomputed by replaying the
    event log up to its position, and whether both match.

    Run one at a time (``System.checked``). The first verification of a
    report in a process replays the log and hashes its rows; a later one
    answers from what that replay found once a walk of the chain, resuming
    after the last link verified (``infrastructure.chain.ChainVerifier``),
    finds no break up to the report's position and the chain's digest there
    is still the one the rows gave: a row at or below the position changed
    since, with its link rewritten or not at all, is found as a resumed walk
    finds it, and the log is then replayed again. ``full`` replays and walks
    everything again whatever was verified before."""
    kept = None if full else system.verified_reports.get(report.id)
    if kept is not None and not _still_chains(system, report.position, kept[1]):
        kept = None
    if kept is None:
        app = system.app
        figures = replayed_stats(
            app,
            report.position,
            report.scope,
            _place(report.scope_id),
            report.year,
            report.as_of,
        )
        kept = (figures, _rows_digest(system, report.position, full))
        _keep(system.verified_reports, report.id, kept)
    figures, digest = kept
    matches = same_figures(figures, report.figures) and digest == report.head_digest
    return {
        "position": report.position,
        "matches": matches,
        "figures": figures,
        "head_digest": digest,
    }


def _still_chains(system: System, position: int, digest: str) -> bool:
    """Whether a walk of the chain (resumed) finds no break up to a position,
    and the chain's digest there is still ``digest``."""
    verdict = system.chain.verify()
    broken = verdict.first_broken_position
    unbroken = broken is None or broken > position
    return unbroken and head_digest(system.app, position) == digest


def _rows_digest(system: System, position: int, full: bool) -> str:
    """The digest of the log's rows up to a position, recomputed from them: by
    a walk of the whole chain when none was verified before in this process
    (it hashes every row, and verifies the rest of the chain too), else
    by hashing the rows up to the position."""
    verdict = system.chain.verify(full)
    broken = verdict.first_broken_position
    if verdict.resumed_from == 0 and (broken is None or broken > position):
        return head_digest(system.app, position)
    return log_digest(system.app, position)


def _keep(
    verified: dict[UUID, tuple[dict[str, Any], str]],
    report_id: UUID,
    found: tuple[dict[str, Any], str],
) -> None:
    """Keeps what a report's replay found, forgetting the oldest beyond
    ``VERIFIED_REPORTS_KEPT``."""
    verified.pop(report_id, None)
    verified[report_id] = found
    while len(verified) > VERIFIED_REPORTS_KEPT:
        del verified[next(iter(verified))]


def _place(scope_id: UUID | None) -> str | None:
    return None if scope_id is None else str(scope_id)


def scope_name(system: System, scope: str, scope_id: object) -> str | None:
    """The name of the place a report's scope names (None for ``all``)."""
    if scope == "all" or scope_id is None:
        return None
    return system.queries.place_name(scope, str(scope_id))

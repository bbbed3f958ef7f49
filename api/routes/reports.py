"""Published reports (发布的数字): a scope's figures frozen for a year, read
beside today's figures, and verified by replaying the log."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api import deps, permissions
from api.schemas.figures import (
    Report,
    ReportPage,
    ReportPublished,
    ReportVerified,
    Scope,
)
from api.schemas.requests import ReportCreate
from api.services import reports

router = APIRouter(prefix="/v1/reports", tags=["reports"])


@router.get(
    "",
    response_model=ReportPage,
    operation_id="list_reports",
    dependencies=deps.READ,
)
def list_reports(
    principal: deps.PrincipalDep,
    system: deps.SystemDep,
    scope: Annotated[Scope | None, Query(description="只列这一范围的报表")] = None,
    scope_id: Annotated[UUID | None, Query(description="只列这个地方的报表")] = None,
    year: deps.Year = None,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The published reports, newest first: every one to admins; to organizers,
    those of the places their token names and of the places below them."""
    places = permissions.can_list_reports(principal)
    place = None if scope_id is None else str(scope_id)
    found = system.queries.reports(scope, place, year, places, limit, cursor)
    named = reports.scope_name
    found["items"] = [
        r | {"scope_name": named(system, r["scope"], r["scope_id"])}
        for r in found["items"]
    ]
    return found


@router.get(
    "/{report_id}",
    response_model=Report,
    response_model_exclude_unset=True,
    operation_id="get_report",
    dependencies=deps.READ,
)
def get_report(report: deps.PublishedReport, system: deps.SystemDep) -> dict[str, Any]:
    """A published report as it was, with today's figures for the same scope,
    year and date, and whether they were revised since."""
    return reports.with_current_figures(system, report)


@router.get(
    "/{report_id}/verify",
    response_model=ReportVerified,
    response_model_exclude_unset=True,
    operation_id="verify_report",
    dependencies=deps.READ,
)
async def verify_report(
    report: deps.PublishedReport,
    principal: deps.PrincipalDep,
    system: deps.SystemDep,
    full: deps.FullCheck = False,
) -> dict[str, Any]:
    """Recompute a published report's figures by replaying the event log up to its
    position, without the read models: admins, and organizers whose token names
    the report's place or one above it; one verification at a time per process."""
    await system.read(permissions.can_verify_report, system.app, principal, report)
    key = ("report", report.id, full)
    return await system.checked(key, reports.verify_report, system, report, full)


@router.post(
    "",
    status_code=201,
    response_model=ReportPublished,
    response_model_exclude_unset=True,
    operation_id="publish_report",
)
def publish_report(
    body: ReportCreate,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    system: deps.SystemDep,
) -> dict[str, Any]:
    """Publish a scope's figures for a year, frozen with the log position they
    reflect; admins, or organizers whose scope covers it."""
    permissions.can_publish_report(write.app, principal, body.scope, body.scope_id)
    published = write(
        body,
        reports.publish_report,
        system,
        body.scope,
        body.scope_id,
        body.year,
        body.as_of,
        principal.id,
    )
    # A report's position is that of the figures it froze, not of its event.
    return asdict(published) | {
        "position": published.figures_position,
        "scope_name": reports.scope_name(system, body.scope, body.scope_id),
    }

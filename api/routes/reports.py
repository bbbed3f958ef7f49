from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends

from api import deps
from api.auth import require
from api.schemas.figures import Report, ReportCreated, ReportVerified
from api.schemas.requests import ReportCreate
from domain import results
from domain.application import VolunteerPoints
from domain.community import Community
from domain.dates import figure_date
from domain.errors import NotFound
from domain.idempotency import RequestKey
from domain.report import Report as Published
from domain.tree import Grid
from infrastructure.digest import head_digest, log_digest
from projections.replay import replayed_stats

router = APIRouter(prefix="/v1/reports", tags=["reports"])
reads = deps.read_router("/v1/reports", "reports")


def places_of(
    app: VolunteerPoints, scope: str, scope_id: UUID | None
) -> tuple[UUID | None, ...]:
    """The places of the tree a report's scope stands in, itself and those above
    it: none for the whole deployment or for an unknown place."""
    if scope_id is None:
        return ()
    try:
        if scope == "district":
            return (app.district(scope_id).id,)
        if scope == "street":
            return (app.street(scope_id).district_id, scope_id)
        if scope == "community":
            return app.scope_of(scope_id, Community).places()
        if scope == "grid":
            return app.scope_of(scope_id, Grid).places()
    except NotFound:
        return ()
    return ()


def place(scope_id: UUID | None) -> str | None:
    return None if scope_id is None else str(scope_id)


async def published_report(report_id: UUID, system: deps.SystemDep) -> Published:
    """A published report, read from its aggregate (not a read model); else 404."""
    return await system.read(system.app.report, report_id)


PublishedReport = Annotated[Published, Depends(published_report)]


@router.post(
    "",
    status_code=201,
    response_model=ReportCreated,
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
    app = write.app
    require(principal.covers_places(places_of(app, body.scope, body.scope_id)))

    def publish(*, request: RequestKey | None = None) -> results.ReportPublished:
        app.check_report_scope(body.scope, body.scope_id)
        on = figure_date(body.year, body.as_of, app.today())
        system.catch_up_to_now()
        position, figures = system.queries.stats_with_position(
            body.scope, place(body.scope_id), body.year, on
        )
        digest = head_digest(app, position)
        return app.publish_report(
            body.scope,
            body.scope_id,
            body.year,
            on,
            position,
            figures,
            digest,
            principal.id,
            request=request,
        )

    published = write(body, publish)
    return asdict(published) | {"position": published.figures_position}


@reads.get(
    "/{report_id}",
    response_model=Report,
    response_model_exclude_unset=True,
    operation_id="get_report",
)
def get_report(report: PublishedReport, system: deps.SystemDep) -> dict[str, Any]:
    """A published report as it was, with today's figures for the same scope,
    year and date, and whether they were revised since."""
    current = system.queries.stats(
        report.scope, place(report.scope_id), report.year, report.as_of
    )
    return {
        "id": report.id,
        "scope": report.scope,
        "scope_id": report.scope_id,
        "year": report.year,
        "as_of": report.as_of,
        "position": report.position,
        "published_at": report.published_at,
        "figures": report.figures,
        "head_digest": report.head_digest,
        "current": current,
        "revised": current != report.figures,
    }


@reads.get(
    "/{report_id}/verify",
    response_model=ReportVerified,
    response_model_exclude_unset=True,
    operation_id="verify_report",
)
def verify_report(report: PublishedReport, system: deps.SystemDep) -> dict[str, Any]:
    """Recompute a published report's figures by replaying the event log up to its
    position, without the read models."""
    app = system.app
    scope_id = place(report.scope_id)
    figures = replayed_stats(
        app, report.position, report.scope, scope_id, report.year, report.as_of
    )
    digest = log_digest(app, report.position)
    matches = figures == report.figures and digest == report.head_digest
    return {
        "position": report.position,
        "matches": matches,
        "figures": figures,
        "head_digest": digest,
    }

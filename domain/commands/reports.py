"""Published reports (年度报告): a scope's figures for a year, frozen with the
event log position they were computed at."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.commands.saving import ApplicationBase, retried
from domain.community import Community
from domain.errors import InvalidCommand, NotFound, UnknownReference
from domain.idempotency import RequestKey
from domain.report import SCOPES, Report
from domain.results import ReportPublished
from domain.tree import District, Grid, Street

SCOPE_KINDS: dict[str, type[Aggregate]] = {
    "district": District,
    "street": Street,
    "community": Community,
    "grid": Grid,
}


def published(report: Report) -> ReportPublished:
    return ReportPublished(
        report.id,
        report.scope,
        report.scope_id,
        report.year,
        report.as_of,
        report.published_at,
        report.figures,
        report.head_digest,
        report.position,
    )


class ReportCommands(ApplicationBase):
    def check_report_scope(self, scope: str, scope_id: UUID | None) -> None:
        """Refuses an unknown scope, or a scope id that names nothing of its kind."""
        if scope not in SCOPES:
            raise InvalidCommand(f"scope 必须是 {', '.join(SCOPES)} 之一", "scope")
        if scope == "all":
            if scope_id is not None:
                raise InvalidCommand("scope 为 all 时不能给出 scope_id", "scope_id")
            return
        if scope_id is None:
            raise InvalidCommand(f"scope 为 {scope} 时必须给出 scope_id", "scope_id")
        kind = SCOPE_KINDS[scope]
        try:
            self._load(kind, scope_id, scope)
        except NotFound as error:
            raise UnknownReference(error.message, "scope_id") from None

    @retried
    def publish_report(
        self,
        scope: str,
        scope_id: UUID | None,
        year: int,
        as_of: date,
        position: int,
        figures: dict[str, Any],
        head_digest: str,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> ReportPublished:
        """Records figures computed at ``position`` as the published report."""
        self.check_report_scope(scope, scope_id)
        report = Report(
            scope=scope,
            scope_id=scope_id,
            year=year,
            as_of=as_of,
            position=position,
            figures=figures,
            head_digest=head_digest,
            published_at=self.clock(),
            actor=actor,
        )
        return self._saved(published(report), report, request=request)

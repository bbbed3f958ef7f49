"""Points rules (积分规则): publishing a rule set and saying how many
attendances it rated again, and what a draft would change (what-if)."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime
from typing import Any
from uuid import UUID

from api.services.read_models import caught_up
from api.system import System
from domain.dates import figure_date
from domain.errors import InvalidCommand
from domain.results import RuleSetDrafted, RuleSetPublished
from domain.rules import owner_of, rule_version
from projections.rules import dumps
from projections.what_if import SCOPES, what_if

# A what-if replays the whole log: one at a time in a process.
WHAT_IF_TURN = threading.Lock()


def drafted_answer(drafted: RuleSetDrafted, actor: str, at: datetime) -> dict[str, Any]:
    """A draft as the rule set listing shows it."""
    return {
        "id": drafted.id,
        "name": drafted.name,
        "district_id": drafted.district_id,
        "status": "draft",
        "version": None,
        "effective_from": None,
        "categories": json.loads(dumps(drafted.categories)),
        "caps": json.loads(dumps(drafted.caps)),
        "drafted_by": actor,
        "drafted_at": at.isoformat(),
        "published_at": None,
        "rerated": None,
        "position": drafted.position,
    }


def published_answer(system: System, published: RuleSetPublished) -> dict[str, Any]:
    """The publication once the read models have rated again what it changed."""
    system.wait_for(published.position)
    found = system.command_queries.rule_set(str(published.id))
    assert found is not None, published.id
    return {
        "id": published.id,
        "status": "published",
        "version": published.version,
        "effective_from": published.effective_from,
        "rerated": found["rerated"] or 0,
        "position": published.position,
    }


def what_if_of(
    system: System,
    rule_set_id: UUID,
    scope: str,
    scope_id: UUID | None,
    year: int | None,
) -> dict[str, Any]:
    """The figures of a scope's year now and under a rule set in effect from
    1 January of that year, and whom it changes; nothing is recorded."""
    app = system.app
    rule_set = app.rule_set(rule_set_id)
    if scope not in SCOPES:
        raise InvalidCommand(f"scope 必须是 {', '.join(SCOPES)} 之一", "scope")
    app.check_report_scope(scope, scope_id)
    today = app.today()
    asked = today.year if year is None else year
    on = figure_date(asked, None, today)
    draft = rule_version(
        owner_of(rule_set.district_id),
        0,
        date(asked, 1, 1),
        rule_set.categories,
        rule_set.caps,
    )
    place = None if scope_id is None else str(scope_id)
    with WHAT_IF_TURN:
        caught_up(system)
        return what_if(
            app,
            system.projector.view,
            system.projector.sealer,
            draft,
            scope,
            place,
            asked,
            on,
        )

"""Points rules (积分管理办法): rule sets drafted and published by a district
(or for the whole deployment), and what a draft would change before it is."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from api import deps, permissions
from api.schemas.rules import (
    RuleSetCreate,
    RuleSetDrafted,
    RuleSetPublish,
    RuleSetPublished,
    RuleSets,
    WhatIf,
)
from api.services import rules
from domain import results
from domain.rules import owner_of

router = APIRouter(prefix="/v1/rule-sets", tags=["rule-sets"])

Scope = Annotated[
    Literal["all", "district", "street", "community"] | None,
    Query(description="测算的范围；默认规则所属的区县（部署的规则：全部）"),
]
ScopeId = Annotated[UUID | None, Query(description="区县、街道或社区的 id")]


@router.post(
    "",
    status_code=201,
    response_model=RuleSetDrafted,
    operation_id="create_rule_set",
)
def create_rule_set(
    body: RuleSetCreate,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    system: deps.SystemDep,
) -> dict[str, Any]:
    """Draft a rule set: categories with points per hour, and caps (admins, or
    organizers of its district)."""
    permissions.can_write_rules(principal, body.district_id)
    caps = None if body.caps is None else body.caps.model_dump(exclude_none=True)
    drafted: results.RuleSetDrafted = write(
        body,
        write.app.draft_rule_set,
        body.name,
        body.district_id,
        [category.model_dump() for category in body.categories],
        caps,
        principal.id,
    )
    return rules.drafted_answer(drafted, principal.id, system.app.clock())


@router.post(
    "/{rule_set_id}/publish",
    response_model=RuleSetPublished,
    operation_id="publish_rule_set",
)
def publish_rule_set(
    rule_set_id: UUID,
    body: RuleSetPublish,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    system: deps.SystemDep,
) -> dict[str, Any]:
    """Publish a draft with the next version of its district (or of the
    deployment), in effect from ``effective_from``; the attendances from that
    date on are rated again, and ``rerated`` says how many changed."""
    rule_set = write.app.rule_set(rule_set_id)
    permissions.can_write_rules(principal, rule_set.district_id)
    published: results.RuleSetPublished = write(
        body,
        write.app.publish_rule_set,
        rule_set_id,
        body.effective_from,
        principal.id,
    )
    return rules.published_answer(system, published)


@router.get(
    "",
    response_model=RuleSets,
    operation_id="list_rule_sets",
    dependencies=deps.READ,
)
def list_rule_sets(
    principal: deps.PrincipalDep,
    system: deps.SystemDep,
    district_id: Annotated[UUID | None, Query(description="只列这个区县的规则")] = None,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The rule sets, drafts and published, oldest first (admins and
    organizers)."""
    permissions.can_read_rules(principal)
    owner = None if district_id is None else owner_of(district_id)
    return system.queries.rule_sets(owner, limit, cursor)


@router.get(
    "/{rule_set_id}/what-if",
    response_model=WhatIf,
    operation_id="rule_set_what_if",
    dependencies=deps.READ,
)
def rule_set_what_if(
    rule_set_id: UUID,
    principal: deps.PrincipalDep,
    system: deps.SystemDep,
    scope: Scope = None,
    scope_id: ScopeId = None,
    year: deps.Year = None,
) -> dict[str, Any]:
    """A scope's figures for a year now and with this rule set in effect from
    1 January, the members whose points change, the largest changes and each
    community's points; nothing is recorded (admins, or organizers of the
    rule set's district who cover the scope)."""
    rule_set = system.app.rule_set(rule_set_id)
    permissions.can_write_rules(principal, rule_set.district_id)
    if scope is None:
        scope, scope_id = ("all", None)
        if rule_set.district_id is not None:
            scope, scope_id = ("district", rule_set.district_id)
    permissions.can_publish_report(system.app, principal, scope, scope_id)
    return rules.what_if_of(system, rule_set_id, scope, scope_id, year)

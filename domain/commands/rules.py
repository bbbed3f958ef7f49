"""Points rules (积分管理办法): drafting a rule set, publishing it, and the
rules in effect where and when an activity is held."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.commands.saving import ApplicationBase, in_turn, retried
from domain.errors import InvalidEffectiveFrom, NotFound, UnknownReference
from domain.idempotency import RequestKey
from domain.inputs import check_text
from domain.results import RuleSetDrafted, RuleSetPublished
from domain.rules import (
    DEPLOYMENT,
    RuleBook,
    RuleSet,
    RuleVersion,
    check_caps,
    check_categories,
    owner_of,
)
from domain.tree import District


def _book_of_rule_set(app: RuleCommands, arguments: dict[str, Any]) -> UUID:
    rule_set = app._found(RuleSet, arguments["rule_set_id"])
    district_id = None if rule_set is None else rule_set.district_id
    return RuleBook.create_id(owner_of(district_id))


class RuleCommands(ApplicationBase):
    @retried
    def draft_rule_set(
        self,
        name: str,
        district_id: UUID | None,
        categories: object,
        caps: object,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> RuleSetDrafted:
        if district_id is not None:
            self._check_reference(District, district_id, "district_id", "区县")
        checked = check_categories(categories)
        rule_set = RuleSet(
            name=check_text(name, "name"),
            district_id=district_id,
            categories=checked,
            caps=check_caps(caps, {c["code"] for c in checked}),
            actor=actor,
        )
        drafted = RuleSetDrafted(
            rule_set.id, rule_set.name, district_id, rule_set.categories, rule_set.caps
        )
        return self._saved(drafted, rule_set, request=request)

    @in_turn(_book_of_rule_set)
    def publish_rule_set(
        self,
        rule_set_id: UUID,
        effective_from: date | None,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> RuleSetPublished:
        rule_set = self.rule_set(rule_set_id)
        today = self.today()
        effective = today if effective_from is None else effective_from
        if effective < date(today.year, 1, 1):
            raise InvalidEffectiveFrom(
                f"effective_from 不能早于今年 1 月 1 日：{effective}", "effective_from"
            )
        owner = owner_of(rule_set.district_id)
        book = self._found(RuleBook, RuleBook.create_id(owner)) or RuleBook(owner=owner)
        version = book.next_version
        rule_set.publish(version, effective, actor)
        book.add(rule_set.id, version, effective, rule_set.categories, rule_set.caps)
        published = RuleSetPublished(rule_set.id, version, effective)
        return self._saved(published, rule_set, book, request=request)

    def rule_set(self, rule_set_id: UUID) -> RuleSet:
        rule_set = self._found(RuleSet, rule_set_id)
        if rule_set is None:
            raise NotFound(f"积分规则 {rule_set_id} 不存在")
        return rule_set

    def rules_on(self, community_id: UUID, day: date) -> RuleVersion | None:
        """The rules in effect at a community on a day: its district's, where
        they are in effect, else the deployment's; None before any."""
        try:
            district_id = self.scopes.of_community(community_id).district_id
        except NotFound:
            raise UnknownReference(
                f"社区 {community_id} 不存在", "community_id"
            ) from None
        for owner in dict.fromkeys((owner_of(district_id), DEPLOYMENT)):
            book = self._found(RuleBook, RuleBook.create_id(owner))
            found = None if book is None else book.in_effect(day)
            if found is not None:
                return found
        return None

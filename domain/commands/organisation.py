"""Communities, units and units' double reports (组织报到)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.checks import check_date, optional_text
from domain.commands.base import ApplicationBase, retried
from domain.community import Community, Unit
from domain.results import CommunityRegistered, DoubleReported, UnitRegistered
from domain.rules import check_text


class OrganisationCommands(ApplicationBase):
    @retried
    def register_community(
        self, name: str, street: str | None, actor: str
    ) -> CommunityRegistered:
        community = Community(
            name=check_text(name, "name"),
            street=optional_text(street, "street"),
            actor=actor,
        )
        return self._saved(
            CommunityRegistered(community.id, community.name, community.street),
            community,
        )

    @retried
    def register_unit(self, name: str, actor: str) -> UnitRegistered:
        unit = Unit(name=check_text(name, "name"), actor=actor)
        return self._saved(UnitRegistered(unit.id, unit.name), unit)

    @retried
    def double_report_unit(
        self, unit_id: UUID, community_id: UUID, reported_on: date, actor: str
    ) -> DoubleReported:
        unit = self._load(Unit, unit_id, "单位党组织")
        self._check_reference(Community, community_id, "community_id", "社区")
        on = check_date(reported_on)
        changed = unit.report_to(community_id, on, actor)
        return self._saved(DoubleReported(unit.id, community_id, on, changed), unit)

"""The organisation tree (districts, streets, communities, grids), units and
units' double reports (组织报到)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.commands.saving import ApplicationBase, in_turn, retried
from domain.community import Community, Unit
from domain.dates import business_date
from domain.errors import InvalidCommand, NotFound, UnknownReference
from domain.idempotency import RequestKey
from domain.inputs import check_text, optional_text
from domain.results import (
    CommunityRegistered,
    DistrictRegistered,
    DoubleReported,
    DoubleReportEnded,
    GridRegistered,
    StreetRegistered,
    UnitRegistered,
)
from domain.tree import District, Grid, Street

PARTY_ORGANISATIONS = ("党委", "党总支", "党支部")


class OrganisationCommands(ApplicationBase):
    @retried
    def register_district(
        self, name: str, actor: str, *, request: RequestKey | None = None
    ) -> DistrictRegistered:
        district = District(name=check_text(name, "name"), actor=actor)
        return self._saved(
            DistrictRegistered(district.id, district.name), district, request=request
        )

    @retried
    def register_street(
        self,
        name: str,
        district_id: UUID,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> StreetRegistered:
        self._check_reference(District, district_id, "district_id", "区县")
        street = Street(
            name=check_text(name, "name"), district_id=district_id, actor=actor
        )
        registered = StreetRegistered(street.id, street.name, street.district_id)
        return self._saved(registered, street, request=request)

    @retried
    def register_community(
        self,
        name: str,
        street: str | None,
        actor: str,
        street_id: UUID | None = None,
        party_organisation: str | None = None,
        *,
        request: RequestKey | None = None,
    ) -> CommunityRegistered:
        """Registers a community in a street (``street_id``), or, the v1 way,
        naming its street as text only."""
        district_id = None
        street_name = optional_text(street, "street")
        if street_id is not None:
            try:
                placed = self._load(Street, street_id, "街道")
            except NotFound as error:
                raise UnknownReference(error.message, "street_id") from None
            district_id = placed.district_id
            street_name = street_name or placed.name
        organisation = optional_text(party_organisation, "party_organisation")
        if organisation is not None and organisation not in PARTY_ORGANISATIONS:
            raise InvalidCommand(
                f"party_organisation 必须是 {'、'.join(PARTY_ORGANISATIONS)} 之一",
                "party_organisation",
            )
        community = Community(
            name=check_text(name, "name"),
            street=street_name,
            street_id=street_id,
            party_organisation=organisation,
            actor=actor,
        )
        registered = CommunityRegistered(
            community.id,
            community.name,
            community.street,
            street_id,
            district_id,
            organisation,
        )
        return self._saved(registered, community, request=request)

    @retried
    def register_grid(
        self,
        name: str,
        community_id: UUID,
        party_organisation: bool,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> GridRegistered:
        self._check_reference(Community, community_id, "community_id", "社区")
        if not isinstance(party_organisation, bool):
            raise InvalidCommand(
                "party_organisation 必须是 true 或 false", "party_organisation"
            )
        grid = Grid(
            name=check_text(name, "name"),
            community_id=community_id,
            party_organisation=party_organisation,
            actor=actor,
        )
        registered = GridRegistered(
            grid.id, grid.name, grid.community_id, grid.party_organisation
        )
        return self._saved(registered, grid, request=request)

    @retried
    def register_unit(
        self, name: str, actor: str, *, request: RequestKey | None = None
    ) -> UnitRegistered:
        unit = Unit(name=check_text(name, "name"), actor=actor)
        return self._saved(UnitRegistered(unit.id, unit.name), unit, request=request)

    @in_turn("unit_id")
    def double_report_unit(
        self,
        unit_id: UUID,
        community_id: UUID,
        reported_on: date | None,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> DoubleReported:
        unit = self._load(Unit, unit_id, "单位党组织")
        self._check_reference(Community, community_id, "community_id", "社区")
        on = business_date(reported_on, self.today(), "reported_on")
        changed = unit.report_to(community_id, on, actor)
        return self._saved(
            DoubleReported(unit.id, community_id, on, changed), unit, request=request
        )

    @in_turn("unit_id")
    def end_unit_double_report(
        self,
        unit_id: UUID,
        community_id: UUID,
        actor: str,
        ended_on: date | None = None,
        *,
        request: RequestKey | None = None,
    ) -> DoubleReportEnded:
        unit = self._load(Unit, unit_id, "单位党组织")
        on = business_date(ended_on, self.today(), "ended_on")
        unit.end_report(community_id, on, actor)
        return self._saved(
            DoubleReportEnded(unit.id, community_id, on), unit, request=request
        )

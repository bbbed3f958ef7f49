"""What the demo reports it loaded: a district at a time, and in all."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class DistrictLoaded:
    """What the demo recorded of one district: every street, community, grid,
    unit, member, team and activity it registered (deregistered members,
    dissolved teams, last year's and later activities included), and the
    attendances in effect."""

    id: UUID
    name: str
    streets: int
    communities: int
    grids: int
    units: int
    members: int
    teams: int
    activities: int
    attendances: int


@dataclass(frozen=True)
class DemoSummary:
    """What the demo loaded, district by district, and the event log position
    after it; the totals add the districts up."""

    districts: tuple[DistrictLoaded, ...]
    position: int

    @property
    def communities(self) -> int:
        return sum(d.communities for d in self.districts)

    @property
    def teams(self) -> int:
        return sum(d.teams for d in self.districts)

    @property
    def members(self) -> int:
        return sum(d.members for d in self.districts)

    @property
    def activities(self) -> int:
        return sum(d.activities for d in self.districts)

    @property
    def participations(self) -> int:
        return sum(d.attendances for d in self.districts)

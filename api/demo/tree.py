"""A district's tree: its streets, their communities, and their grids."""

from __future__ import annotations

from api.demo.sampling import spread
from api.demo.state import DistrictState
from domain.commands.organisation import PARTY_ORGANISATIONS
from domain.community import Community
from domain.inputs import check_text
from domain.tree import District, Grid, Street


class TreeLoading(DistrictState):
    """The district, its streets, communities and grids."""

    def load_tree(self) -> tuple[District, list[Street]]:
        plan, rng = self.plan, self.rng
        district = District(name=check_text(plan.name, "name"), actor=self.actor)
        streets = []
        for street_name, places in plan.streets:
            street = Street(
                name=check_text(street_name, "name"),
                district_id=district.id,
                actor=self.actor,
            )
            streets.append(street)
            for place in places.split():
                community_name, _, organisation = place.partition(":")
                organisation = organisation or "党支部"
                assert organisation in PARTY_ORGANISATIONS, organisation
                community = Community(
                    name=check_text(community_name, "name"),
                    street=street.name,
                    street_id=street.id,
                    party_organisation=organisation,
                    actor=self.actor,
                )
                self.communities.append(community)
                self.community_names[community.id] = community.name
                self.street_of[community.id] = street.id
        counts = spread(rng, plan.grids, [plan.grids] * len(self.communities), 1)
        with_party = set(rng.sample(range(plan.grids), plan.grid_party_organisations))
        number = 0
        for community, count in zip(self.communities, counts, strict=True):
            self.grids[community.id] = []
            for k in range(count):
                self.grids[community.id].append(
                    Grid(
                        name=f"第{k + 1}网格",
                        community_id=community.id,
                        party_organisation=number in with_party,
                        actor=self.actor,
                    )
                )
                number += 1
        self.batch.add(district, *streets, *self.communities)
        self.batch.add(*(g for grids in self.grids.values() for g in grids))
        return district, streets

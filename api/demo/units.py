"""A district's units (单位党组织) and their double reports (组织报到)."""

from __future__ import annotations

from datetime import date

from api.demo.sampling import between
from api.demo.state import DistrictState
from api.demo.vocabulary import AGENCIES, FIRMS, TRADES
from domain.community import Unit
from domain.inputs import check_text

FIRST_UNIT_REPORT = date(2019, 5, 1)


class UnitLoading(DistrictState):
    """Units, with their double reports, in effect or ended."""

    def unit_name(self) -> str:
        rng = self.rng
        while True:
            if rng.random() < 0.45:
                name = f"{self.plan.unit_prefix}{rng.choice(AGENCIES.split())}"
            else:
                firm, trade = rng.choice(FIRMS.split()), rng.choice(TRADES.split())
                name = f"秦皇岛{firm}{trade}有限公司"
            name += rng.choice(("党支部", "党支部", "党支部", "党总支", "党委"))
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def load_units(self) -> None:
        rng = self.rng
        for number in range(self.plan.units + self.plan.ended_units):
            ended = number >= self.plan.units
            unit = Unit(name=check_text(self.unit_name(), "name"), actor=self.actor)
            places = rng.sample(self.communities, rng.choice((1, 1, 1, 2)))
            latest = date(2022, 12, 31) if ended else self.today
            for community in places:
                reported_on = self.on(
                    between(rng, FIRST_UNIT_REPORT, latest), "reported_on"
                )
                unit.report_to(community.id, reported_on, self.actor)
                if ended:
                    ended_on = between(rng, reported_on, self.last_year_end)
                    unit.end_report(
                        community.id, self.on(ended_on, "ended_on"), self.actor
                    )
            if not ended:
                self.units.append(unit)
            self.batch.add(unit)

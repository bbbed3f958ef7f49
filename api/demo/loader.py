"""The one loader: it builds any district from its plan, stage by stage,
and loads the three districts into an empty event log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from api.demo.activities import ActivityLoading
from api.demo.batch import Batch
from api.demo.districts import PLANS
from api.demo.members import MemberLoading
from api.demo.sampling import Phones
from api.demo.summary import DemoSummary, DistrictLoaded
from api.demo.teams import TeamLoading
from api.demo.tree import TreeLoading
from api.demo.units import UnitLoading
from domain.application import VolunteerPoints
from domain.dates import SHANGHAI


def load_demo(
    app: VolunteerPoints,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> DemoSummary:
    """Loads the three districts into an empty event log, as of ``now`` (by
    default the application's clock)."""
    moment = (now or app.clock()).astimezone(SHANGHAI)
    batch = Batch(app)
    phones = Phones(sum(p.members + p.deregistered + p.phone_changes for p in PLANS))
    used_names: set[str] = set()
    loaded = tuple(
        DistrictLoader(app, plan, moment, batch, phones, used_names).load(progress)
        for plan in PLANS
    )
    batch.flush()
    return DemoSummary(loaded, app.position())


class DistrictLoader(
    TreeLoading, UnitLoading, MemberLoading, TeamLoading, ActivityLoading
):
    """Builds one district's aggregates from its plan."""

    def load(self, progress: Callable[[str], None]) -> DistrictLoaded:
        name = self.plan.name
        progress(f"{name}：街道、社区与网格")
        district, streets = self.load_tree()
        progress(f"{name}：单位党组织")
        self.load_units()
        progress(f"{name}：志愿者与双报到")
        self.load_members()
        progress(f"{name}：志愿服务队")
        self.load_teams()
        progress(f"{name}：活动与参加记录")
        self.load_activities()
        return DistrictLoaded(
            district.id,
            district.name,
            len(streets),
            len(self.communities),
            sum(len(g) for g in self.grids.values()),
            len(self.units),
            len(self.members),
            len(self.teams),
            self.activities,
            self.attendances,
        )

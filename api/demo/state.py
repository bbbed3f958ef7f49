"""What a district's loader holds while it builds the district: its plan,
its dates, its seeded draws, and the aggregates built so far. Each stage of
the loading (``tree``, ``units``, ``members``, ``teams``, ``activities``) is
a class on top of it; ``api.demo.loader`` puts them together."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from uuid import UUID

from api.demo.batch import Batch
from api.demo.districts import Plan
from api.demo.sampling import SEED, Phones
from domain.application import VolunteerPoints
from domain.community import Community, Unit
from domain.dates import business_date, local_date
from domain.member import Member
from domain.team import Team
from domain.tree import Grid


class DistrictState:
    """One district being built from its plan."""

    def __init__(
        self,
        app: VolunteerPoints,
        plan: Plan,
        now: datetime,
        batch: Batch,
        phones: Phones,
        used_names: set[str],
    ) -> None:
        self.app = app
        self.plan = plan
        self.now = now
        self.today = local_date(now)
        self.year_start = date(self.today.year, 1, 1)
        self.last_year_end = self.year_start - timedelta(days=1)
        self.old_registration_end = date(self.today.year - 1, 6, 30)
        self.batch = batch
        self.phones = phones
        self.used_names = used_names
        self.rng = random.Random(f"{SEED}:{plan.name}")
        self.actor = plan.actor
        self.grids: dict[UUID, list[Grid]] = {}
        self.communities: list[Community] = []
        self.street_of: dict[UUID, UUID] = {}
        self.units: list[Unit] = []
        self.members: list[Member] = []
        self.teams: list[Team] = []
        self.rosters: dict[UUID, dict[UUID, tuple[Member, date]]] = {}
        self.dissolving: list[tuple[Team, list[Member]]] = []
        self.community_names: dict[UUID, str] = {}
        self.activities = 0
        self.attendances = 0

    def on(self, day: date, field: str) -> date:
        return business_date(day, self.app.today(), field)

"""What changed, per scope (grid, community, street, district, the whole
deployment) and day, in every figure, added up by day, by month and by year
too: kept in the page's transaction, so that a figure as of D is a sum of
the years before D's, the months of its year before D's, and the days of its
month up to D (figures.py): a few dozen rows, whatever the scope holds.

Teams, activities, the tree's own units and what activities held are
changed where they happen. A member's or unit's part in the distinct counts
depends on all its dated periods, so each one touched by a page has its part
taken as it stood before the page's first change to it, and again when the
page ends; the difference is what the page changed. Earnings of members the
page touched no other way are added as they come."""

from __future__ import annotations

from eventsourcing.domain import DomainEvent

from domain.activity import Activity
from domain.community import Community, Unit
from domain.dates import local_date
from domain.member import Member
from domain.team import Team
from domain.tree import Grid
from projections.activities import KnownActivities
from projections.batch import Batch, Handler, on
from projections.contributions import COLUMNS, EPOCH, Changes, add
from projections.member_facts import CommunityPaths
from projections.scope_fold import ScopeDayFold
from projections.sql import Sql, Table

TABLES = (
    Table(
        "vp_scope_change",
        "scope TEXT NOT NULL, scope_id TEXT NOT NULL, grain TEXT NOT NULL, "
        "period TEXT NOT NULL, "
        + ", ".join(f"{column} BIGINT NOT NULL" for column in COLUMNS)
        + ", PRIMARY KEY (scope, scope_id, grain, period)",
    ),
)
TEAM = Sql("SELECT community_id FROM {t}vp_team WHERE team_id = ?")
TEAM_MEMBERS = Sql("SELECT DISTINCT member_id FROM {t}vp_team_member WHERE team_id = ?")
STREET = Sql("SELECT district_id FROM {t}vp_street WHERE street_id = ?")


class ScopeDays:
    """Keeps vp_figure_day. Its handlers run before any other read model's,
    so that what a member or unit was before an event can still be read."""

    def __init__(self, known: KnownActivities) -> None:
        self.known = known
        self.paths = CommunityPaths()

    def handlers(self) -> list[tuple[type[DomainEvent], Handler]]:
        return [
            on(Community.Registered, self.community_registered),
            on(Grid.Registered, self.grid_registered),
            on(Unit.DoubleReported, self.unit_changed),
            on(Unit.DoubleReportEnded, self.unit_changed),
            on(Team.Founded, self.team_founded),
            on(Team.Dissolved, self.team_dissolved),
            on(Team.MemberJoined, self.team_member_changed),
            on(Team.MemberLeft, self.team_member_changed),
            on(Team.MemberMerged, self.team_member_merged),
            on(Member.Registered, self.member_registered),
            on(Member.Moved, self.member_changed),
            on(Member.Deregistered, self.member_changed),
            on(Member.DoubleReported, self.member_changed),
            on(Member.DoubleReportEnded, self.member_changed),
            on(Member.Merged, self.member_merged),
            on(Member.DetailsChanged, self.details_changed),
            on(Activity.Scheduled, self.activity_scheduled),
            on(Activity.Cancelled, self.activity_cancelled),
        ]

    def fold(self, batch: Batch) -> ScopeDayFold:
        """The page's fold, its tree known and its parts taken before each write."""
        fold = batch.fold(ScopeDayFold)
        if fold.paths is None:
            fold.paths = self.paths
            batch.before_send(fold.take_before)
        return fold

    def _changes(self, batch: Batch) -> Changes:
        return self.fold(batch).changes

    def community_registered(self, e: Community.Registered, batch: Batch) -> None:
        street_id = district_id = None
        if e.street_id is not None:
            street_id = str(e.street_id)
            row = batch.query(STREET, (street_id,))
            district_id = None if row is None else row["district_id"]
        path = self.paths.learn(str(e.originator_id), street_id, district_id)
        changes = self._changes(batch)
        for scope in path[1:]:
            add(changes, scope, EPOCH, "communities", 1)

    def grid_registered(self, e: Grid.Registered, batch: Batch) -> None:
        changes = self._changes(batch)
        for scope in self.paths.of(batch.c, str(e.community_id))[1:]:
            add(changes, scope, EPOCH, "grids", 1)
            add(
                changes,
                scope,
                EPOCH,
                "grid_party_organisations",
                int(e.party_organisation),
            )

    def unit_changed(
        self, e: Unit.DoubleReported | Unit.DoubleReportEnded, batch: Batch
    ) -> None:
        self.fold(batch).touch_unit(str(e.originator_id))

    def team_founded(self, e: Team.Founded, batch: Batch) -> None:
        changes = self._changes(batch)
        for scope in self.paths.of(batch.c, str(e.community_id)):
            add(changes, scope, e.founded_on.isoformat(), "teams", 1)

    def team_dissolved(self, e: Team.Dissolved, batch: Batch) -> None:
        team_id = str(e.originator_id)
        fold = self.fold(batch)
        team = batch.query(TEAM, (team_id,))
        if team is None:
            raise LookupError(f"team {team_id} was never founded")
        for scope in self.paths.of(batch.c, team["community_id"]):
            add(fold.changes, scope, e.dissolved_on.isoformat(), "teams", -1)
        for row in batch.c.execute(TEAM_MEMBERS, (team_id,)).all():
            fold.touch_member(row["member_id"])

    def team_member_changed(
        self, e: Team.MemberJoined | Team.MemberLeft, batch: Batch
    ) -> None:
        self.fold(batch).touch_member(batch.id_text(e.member_id))

    def team_member_merged(self, e: Team.MemberMerged, batch: Batch) -> None:
        fold = self.fold(batch)
        fold.touch_member(batch.id_text(e.survivor_id))
        fold.touch_member(batch.id_text(e.duplicate_id))

    def member_registered(self, e: Member.Registered, batch: Batch) -> None:
        self.fold(batch).new_member(str(e.originator_id))

    def member_changed(
        self,
        e: Member.Moved
        | Member.Deregistered
        | Member.DoubleReported
        | Member.DoubleReportEnded,
        batch: Batch,
    ) -> None:
        self.fold(batch).touch_member(str(e.originator_id))

    def member_merged(self, e: Member.Merged, batch: Batch) -> None:
        fold = self.fold(batch)
        fold.touch_member(str(e.originator_id))
        fold.touch_member(str(e.survivor_id))

    def details_changed(self, e: Member.DetailsChanged, batch: Batch) -> None:
        if "grid_id" in e.changes:
            self.fold(batch).touch_member(str(e.originator_id))

    def activity_scheduled(self, e: Activity.Scheduled, batch: Batch) -> None:
        day = local_date(e.starts_at).isoformat()
        self._activity_held(batch, str(e.community_id), day, 1)

    def activity_cancelled(self, e: Activity.Cancelled, batch: Batch) -> None:
        facts = self.known.of(batch, batch.id_text(e.originator_id))
        self._activity_held(batch, facts.community_id, facts.local_date, -1)

    def _activity_held(
        self, batch: Batch, community_id: str, day: str, activities: int
    ) -> None:
        changes = self._changes(batch)
        for scope in self.paths.of(batch.c, community_id):
            add(changes, scope, day, "activities", activities)

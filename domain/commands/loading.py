"""Loading aggregates for commands and readers: by kind, with the references a
command makes checked, and where each stands in the tree remembered."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar, runtime_checkable
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain.activity import Activity
from domain.commands.scopes import Scope, Scopes
from domain.community import Community, Unit
from domain.errors import MemberDeregistered, NotFound, UnknownReference
from domain.member import Member
from domain.redemption import PointsAccount, Redemption, Reward
from domain.report import Report
from domain.team import Team
from domain.tree import District, Grid, Street

A = TypeVar("A", bound=Aggregate)

LABELS: dict[type[Aggregate], str] = {
    Member: "志愿者",
    Team: "志愿服务队",
    Activity: "活动",
    Community: "社区",
    Unit: "单位党组织",
    District: "区县",
    Street: "街道",
    Grid: "网格",
    Report: "报告",
    Reward: "奖品",
    Redemption: "兑换",
}
DEREGISTERED_TOPICS = (get_topic(Member.Deregistered), get_topic(Member.Merged))


@runtime_checkable
class PositionedRecorder(Protocol):
    def position_of(self, originator_id: UUID) -> int:
        """The event log position of an aggregate's first event."""

    def originators_with(
        self, originator_ids: Sequence[UUID], topics: Sequence[str]
    ) -> set[UUID]:
        """Those of the aggregates that have recorded an event of these topics."""


class Loading(Application[UUID]):
    """The application's repository, read by kind."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.scopes = Scopes(self._load)
        super().__init__(env=env)

    def _load(self, cls: type[A], aggregate_id: UUID, what: str | None = None) -> A:
        """The aggregate, of this kind; NotFound, naming it as ``what`` (by
        default what its kind is called), if there is none."""
        aggregate = self._found(cls, aggregate_id)
        if aggregate is None:
            raise NotFound(f"{what or LABELS[cls]} {aggregate_id} 不存在")
        self.scopes.remember(aggregate)
        return aggregate

    def _found(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate, of this kind, or None if there is none: for the
        things a command makes on first use (a phone's codes, a door list)."""
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    def _positioned_recorder(self) -> PositionedRecorder:
        recorder = self.recorder
        assert isinstance(recorder, PositionedRecorder), type(recorder)
        return recorder

    def ensure_exists(self, kind: type[Aggregate], aggregate_id: UUID) -> None:
        """Raises NotFound unless the aggregate exists and is of this kind; what
        exists once exists for good, so an aggregate seen once is not loaded
        again."""
        if self.scopes.kind_of(aggregate_id) is not kind:
            self._load(kind, aggregate_id)

    def _check_reference(
        self, cls: type[Aggregate], aggregate_id: UUID, field: str, what: str
    ) -> None:
        try:
            self.ensure_exists(cls, aggregate_id)
        except NotFound:
            raise UnknownReference(f"{what} {aggregate_id} 不存在", field) from None

    def _check_registered(self, member_ids: Sequence[UUID], field: str) -> None:
        """Refuses members that do not exist (422) or have deregistered (409)."""
        for member_id in member_ids:
            self._check_reference(Member, member_id, field, LABELS[Member])
        recorder = self._positioned_recorder()
        gone = recorder.originators_with(member_ids, DEREGISTERED_TOPICS)
        if gone:
            member = self._load(Member, min(gone, key=str))
            member.check_is_registered()
            raise MemberDeregistered(f"志愿者 {member.id} 已注销")

    def community_scope(self, community_id: UUID) -> Scope | None:
        """Where a community stands in the tree, or None if there is no such
        community."""
        try:
            return self.scopes.of_community(community_id)
        except NotFound:
            return None

    def scope_of(self, aggregate_id: UUID, kind: type[Aggregate]) -> Scope:
        """Where a member, community, grid, team or activity stands: remembered
        for all but members, whose community changes when they move."""
        if kind is Member:
            member = self._load(Member, aggregate_id)
            return self.scopes.of_community(member.community_id)
        scope = self.scopes.of(aggregate_id, kind)
        if scope is None:
            raise NotFound(f"{LABELS[kind]} {aggregate_id} 不存在")
        return scope

    def _existing_account(self, member_id: UUID) -> PointsAccount | None:
        try:
            found: Aggregate = self.repository.get(PointsAccount.create_id(member_id))
        except AggregateNotFoundError:
            return None
        assert isinstance(found, PointsAccount)
        return found

    def _account(self, member_id: UUID) -> PointsAccount:
        """A member's points account, opened (not yet saved) if it has none."""
        found = self._existing_account(member_id)
        return PointsAccount(member_id=member_id) if found is None else found

    # The current state of one thing, for readers that need it.

    def member(self, member_id: UUID) -> Member:
        return self._load(Member, member_id)

    def team(self, team_id: UUID) -> Team:
        return self._load(Team, team_id)

    def activity(self, activity_id: UUID) -> Activity:
        return self._load(Activity, activity_id)

    def community(self, community_id: UUID) -> Community:
        return self._load(Community, community_id)

    def unit(self, unit_id: UUID) -> Unit:
        return self._load(Unit, unit_id)

    def district(self, district_id: UUID) -> District:
        return self._load(District, district_id)

    def street(self, street_id: UUID) -> Street:
        return self._load(Street, street_id)

    def grid(self, grid_id: UUID) -> Grid:
        return self._load(Grid, grid_id)

    def report(self, report_id: UUID) -> Report:
        return self._load(Report, report_id)

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate
from domain.dates import not_before
from domain.errors import (
    InvalidCommand,
    MemberDeregistered,
    MemberMerged,
    NotReported,
)

DETAILS = ("name", "phone", "grid_id", "grid", "party_member", "unit_id")


class Member(CachedAggregate):
    """A volunteer (志愿者 / 党员), registered with one residential community at a
    time; moves and deregistration are dated."""

    class Registered(Aggregate.Created):
        name: str
        community_id: UUID
        party_member: bool
        unit_id: UUID | None
        grid_id: UUID | None
        grid: str | None
        phone: str | None
        registered_on: date
        actor: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 named the grid as text only."""
            state["grid_id"] = None

    class DetailsChanged(Aggregate.Event):
        changes: dict[str, Any]
        previous: dict[str, Any]
        actor: str

    class Moved(Aggregate.Event):
        community_id: UUID
        previous_community_id: UUID
        moved_on: date
        actor: str

    class Deregistered(Aggregate.Event):
        reason: str
        left_on: date
        actor: str

    class DoubleReported(Aggregate.Event):
        community_id: UUID
        reported_on: date
        previous_community_id: UUID | None
        actor: str

    class DoubleReportEnded(Aggregate.Event):
        community_id: UUID
        ended_on: date
        actor: str

    class Merged(Aggregate.Event):
        """The member was found to be a duplicate of the survivor, and merged
        into it: its record is closed, and its past counts as the survivor's."""

        survivor_id: UUID
        reason: str
        actor: str

    class Absorbed(Aggregate.Event):
        """The member took in the record of a duplicate of the same person,
        and with it the duplicate's double report if it had none of its own."""

        duplicate_id: UUID
        reported_to: UUID | None
        reported_on: date | None
        reason: str
        actor: str

    @event(Registered)
    def __init__(
        self,
        name: str,
        community_id: UUID,
        party_member: bool,
        unit_id: UUID | None,
        grid_id: UUID | None,
        grid: str | None,
        phone: str | None,
        registered_on: date,
        actor: str,
    ) -> None:
        self.name = name
        self.community_id = community_id
        self.party_member = party_member
        self.unit_id = unit_id
        self.grid_id = grid_id
        self.grid = grid
        self.phone = phone
        self.registered_on = registered_on
        self.registered_since = registered_on
        self.left_on: date | None = None
        self.reported_to: UUID | None = None
        self.reported_on: date | None = None
        self.report_ended_on: date | None = None
        self.merged_into: UUID | None = None

    def check_is_registered(self) -> None:
        if self.merged_into is not None:
            raise MemberMerged(
                f"志愿者“{self.name}”已合并到志愿者 {self.merged_into}",
                self.merged_into,
            )
        if self.left_on is not None:
            raise MemberDeregistered(f"志愿者“{self.name}”已于 {self.left_on} 注销")

    def details(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in DETAILS}

    def change(self, changes: dict[str, Any], actor: str) -> bool:
        """Changes some of the member's details; the same values change nothing."""
        self.check_is_registered()
        current = self.details()
        changed = {k: v for k, v in changes.items() if current[k] != v}
        if not changed:
            return False
        self._change(changed, {k: current[k] for k in changed}, actor)
        return True

    @event(DetailsChanged)
    def _change(
        self, changes: dict[str, Any], previous: dict[str, Any], actor: str
    ) -> None:
        for name, value in changes.items():
            setattr(self, name, value)

    def move(self, community_id: UUID, moved_on: date, actor: str) -> bool:
        """Registers the member with another community from ``moved_on``."""
        self.check_is_registered()
        if community_id == self.community_id:
            return False
        not_before(moved_on, self.registered_since, "moved_on", "当前登记日期")
        self._move(community_id, self.community_id, moved_on, actor)
        return True

    @event(Moved)
    def _move(
        self,
        community_id: UUID,
        previous_community_id: UUID,
        moved_on: date,
        actor: str,
    ) -> None:
        self.community_id = community_id
        self.registered_since = moved_on
        self.grid_id = None
        self.grid = None

    def deregister(self, reason: str, left_on: date, actor: str) -> None:
        """Ends the registration (and any double report) from ``left_on``."""
        self.check_is_registered()
        not_before(left_on, self.registered_since, "left_on", "当前登记日期")
        if self.reported_on is not None:
            not_before(left_on, self.reported_on, "left_on", "报到日期")
        self._deregister(reason, left_on, actor)

    @event(Deregistered)
    def _deregister(self, reason: str, left_on: date, actor: str) -> None:
        self.left_on = left_on
        self.reported_to = None
        self.reported_on = None

    def report_to(self, community_id: UUID, reported_on: date, actor: str) -> bool:
        """Reports to one residential community, ending any earlier report."""
        self.check_is_registered()
        if self.reported_to == community_id:
            return False
        if self.reported_on is not None:
            not_before(reported_on, self.reported_on, "reported_on", "上一次报到日期")
        if self.report_ended_on is not None:
            not_before(
                reported_on, self.report_ended_on, "reported_on", "上一次报到结束日期"
            )
        self._report(community_id, reported_on, self.reported_to, actor)
        return True

    @event(DoubleReported)
    def _report(
        self,
        community_id: UUID,
        reported_on: date,
        previous_community_id: UUID | None,
        actor: str,
    ) -> None:
        self.reported_to = community_id
        self.reported_on = reported_on

    def end_report(self, ended_on: date, actor: str) -> None:
        self.check_is_registered()
        if self.reported_to is None or self.reported_on is None:
            raise NotReported(f"志愿者“{self.name}”当前没有报到")
        not_before(ended_on, self.reported_on, "ended_on", "报到日期")
        self._end_report(self.reported_to, ended_on, actor)

    @event(DoubleReportEnded)
    def _end_report(self, community_id: UUID, ended_on: date, actor: str) -> None:
        self.reported_to = None
        self.reported_on = None
        self.report_ended_on = ended_on

    def merge_into(
        self, survivor: Member, reason: str, today: date, actor: str
    ) -> None:
        """Merges this member, a duplicate, into the survivor: a double report
        in effect moves to the survivor unless it has its own, which then
        stands and this one ends today."""
        if survivor.id == self.id:
            raise InvalidCommand("不能把志愿者合并到自己", "duplicate_id")
        self.check_is_registered()
        survivor.check_is_registered()
        reported_to, reported_on = None, None
        if self.reported_to is not None and self.reported_on is not None:
            if survivor.reported_to is None:
                reported_to, reported_on = self.reported_to, self.reported_on
            else:
                self._end_report(self.reported_to, today, actor)
        self._merge_into(survivor.id, reason, actor)
        survivor._absorb(self.id, reported_to, reported_on, reason, actor)

    @event(Merged)
    def _merge_into(self, survivor_id: UUID, reason: str, actor: str) -> None:
        self.merged_into = survivor_id
        self.reported_to = None
        self.reported_on = None

    @event(Absorbed)
    def _absorb(
        self,
        duplicate_id: UUID,
        reported_to: UUID | None,
        reported_on: date | None,
        reason: str,
        actor: str,
    ) -> None:
        if reported_to is not None:
            self.reported_to = reported_to
            self.reported_on = reported_on

    class WeChatBound(Aggregate.Event):
        """A WeChat mini-program's openid bound to the member, by its keyed
        digest; it signs the member in from then on."""

        openid_key: str
        actor: str

    wechat_key: str | None = None

    def bind_wechat(self, openid_key: str, actor: str) -> str | None:
        """Binds an openid; returns the one bound before, if another."""
        self.check_is_registered()
        previous = self.wechat_key
        if previous != openid_key:
            self._bind_wechat(openid_key, actor)
        return previous if previous != openid_key else None

    @event(WeChatBound)
    def _bind_wechat(self, openid_key: str, actor: str) -> None:
        self.wechat_key = openid_key

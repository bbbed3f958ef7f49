from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate
from domain.dates import local_date, not_before
from domain.errors import NotFound, TeamDissolved


def _recorded_on(state: dict[str, Any], field: str) -> None:
    """Upcasts an event of a release that recorded no business date: the fact
    took effect on the day it was recorded (Asia/Shanghai)."""
    state[field] = local_date(state["timestamp"])


class Team(CachedAggregate):
    """A volunteer service team (志愿服务队) of one community, founded, joined,
    left and dissolved on business dates."""

    class Founded(Aggregate.Created):
        name: str
        community_id: UUID
        founded_on: date
        actor: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            _recorded_on(state, "founded_on")

    class MemberJoined(Aggregate.Event):
        member_id: UUID
        joined_on: date
        actor: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            _recorded_on(state, "joined_on")

    class MemberLeft(Aggregate.Event):
        member_id: UUID
        left_on: date
        actor: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            _recorded_on(state, "left_on")

    class Dissolved(Aggregate.Event):
        reason: str
        dissolved_on: date
        actor: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            _recorded_on(state, "dissolved_on")

    class MemberMerged(Aggregate.Event):
        """A duplicate member's memberships, current and past, became the
        survivor's; where both are members, the survivor's stands."""

        duplicate_id: UUID
        survivor_id: UUID
        actor: str

    @event(Founded)
    def __init__(
        self, name: str, community_id: UUID, founded_on: date, actor: str
    ) -> None:
        self.name = name
        self.community_id = community_id
        self.founded_on = founded_on
        self.members: dict[UUID, date] = {}
        self.last_left: dict[UUID, date] = {}
        self.dissolved = False

    def check_is_not_dissolved(self) -> None:
        if self.dissolved:
            raise TeamDissolved(f"志愿服务队“{self.name}”已解散")

    def join(self, member_id: UUID, joined_on: date, actor: str) -> bool:
        """Adds a member from ``joined_on``; joining twice changes nothing."""
        self.check_is_not_dissolved()
        if member_id in self.members:
            return False
        not_before(joined_on, self.founded_on, "joined_on", "服务队成立日期")
        left = self.last_left.get(member_id)
        if left is not None:
            not_before(joined_on, left, "joined_on", "上次退出日期")
        self._join(member_id, joined_on, actor)
        return True

    @event(MemberJoined)
    def _join(self, member_id: UUID, joined_on: date, actor: str) -> None:
        self.members[member_id] = joined_on

    def leave(self, member_id: UUID, left_on: date, actor: str) -> None:
        self.check_is_not_dissolved()
        joined_on = self.members.get(member_id)
        if joined_on is None:
            raise NotFound(f"志愿者 {member_id} 不在志愿服务队“{self.name}”中")
        not_before(left_on, joined_on, "left_on", "加入日期")
        self._leave(member_id, left_on, actor)

    @event(MemberLeft)
    def _leave(self, member_id: UUID, left_on: date, actor: str) -> None:
        del self.members[member_id]
        self.last_left[member_id] = left_on

    def dissolve(self, reason: str, dissolved_on: date, actor: str) -> None:
        self.check_is_not_dissolved()
        not_before(dissolved_on, self.founded_on, "dissolved_on", "成立日期")
        self._dissolve(reason, dissolved_on, actor)

    @event(Dissolved)
    def _dissolve(self, reason: str, dissolved_on: date, actor: str) -> None:
        self.dissolved = True
        self.dissolved_on = dissolved_on

    def merge_member(self, duplicate_id: UUID, survivor_id: UUID, actor: str) -> bool:
        """Gives the survivor a duplicate member's memberships of this team."""
        if duplicate_id not in self.members and duplicate_id not in self.last_left:
            return False
        self._merge_member(duplicate_id, survivor_id, actor)
        return True

    @event(MemberMerged)
    def _merge_member(self, duplicate_id: UUID, survivor_id: UUID, actor: str) -> None:
        joined_on = self.members.pop(duplicate_id, None)
        if joined_on is not None and survivor_id not in self.members:
            self.members[survivor_id] = joined_on
        left_on = self.last_left.pop(duplicate_id, None)
        if left_on is not None:
            self.last_left[survivor_id] = max(
                left_on, self.last_left.get(survivor_id, left_on)
            )

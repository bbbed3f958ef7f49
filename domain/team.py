from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate
from domain.errors import NotFound, TeamDissolved


class Team(CachedAggregate):
    """A volunteer service team (志愿服务队) of one community."""

    class Founded(Aggregate.Created):
        name: str
        community_id: UUID
        actor: str

    class MemberJoined(Aggregate.Event):
        member_id: UUID
        actor: str

    class MemberLeft(Aggregate.Event):
        member_id: UUID
        actor: str

    class Dissolved(Aggregate.Event):
        reason: str
        actor: str

    @event(Founded)
    def __init__(self, name: str, community_id: UUID, actor: str) -> None:
        self.name = name
        self.community_id = community_id
        self.members: set[UUID] = set()
        self.dissolved = False

    def check_is_not_dissolved(self) -> None:
        if self.dissolved:
            raise TeamDissolved(f"志愿服务队“{self.name}”已解散")

    def join(self, member_id: UUID, actor: str) -> bool:
        """Adds a member; joining twice changes nothing and is not an error."""
        self.check_is_not_dissolved()
        if member_id in self.members:
            return False
        self._join(member_id, actor)
        return True

    @event(MemberJoined)
    def _join(self, member_id: UUID, actor: str) -> None:
        self.members.add(member_id)

    def leave(self, member_id: UUID, actor: str) -> None:
        self.check_is_not_dissolved()
        if member_id not in self.members:
            raise NotFound(f"志愿者 {member_id} 不在志愿服务队“{self.name}”中")
        self._leave(member_id, actor)

    @event(MemberLeft)
    def _leave(self, member_id: UUID, actor: str) -> None:
        self.members.discard(member_id)

    def dissolve(self, reason: str, actor: str) -> None:
        self.check_is_not_dissolved()
        self._dissolve(reason, actor)

    @event(Dissolved)
    def _dissolve(self, reason: str, actor: str) -> None:
        self.dissolved = True

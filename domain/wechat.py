"""Which member a WeChat mini-program's openid signs in (微信小程序登录): kept
by the openid's keyed digest, never the openid itself."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.base import CachedAggregate


class WeChatBinding(CachedAggregate):
    """The member an openid is bound to, or None once the member bound
    another."""

    @staticmethod
    def create_id(openid_key: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"vpoints:wechat:{openid_key}")

    class Bound(Aggregate.Created):
        openid_key: str
        member_id: UUID

    class Rebound(Aggregate.Event):
        member_id: UUID

    class Unbound(Aggregate.Event):
        pass

    @event(Bound)
    def __init__(self, openid_key: str, member_id: UUID) -> None:
        self.openid_key = openid_key
        self.member_id: UUID | None = member_id

    @event(Rebound)
    def rebind(self, member_id: UUID) -> None:
        self.member_id = member_id

    @event(Unbound)
    def unbind(self) -> None:
        self.member_id = None

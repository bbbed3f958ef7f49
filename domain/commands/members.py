"""Members: registration, changes of details, moves and deregistration, and
their own double report (个人报到)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.commands.saving import ApplicationBase, in_turn, retried
from domain.community import Community, Unit
from domain.dates import business_date
from domain.errors import InvalidCommand, NotFound, UnknownReference
from domain.idempotency import RequestKey
from domain.inputs import check_phone, check_reason, check_text, optional_text
from domain.member import Member
from domain.results import (
    DoubleReported,
    DoubleReportEnded,
    MemberLeft,
    MemberMoved,
    MemberRegistered,
)
from domain.tree import Grid

UNSET: Any = object()


def registered(member: Member, changed: bool = True) -> MemberRegistered:
    return MemberRegistered(
        member.id,
        member.name,
        member.community_id,
        member.party_member,
        member.unit_id,
        member.grid,
        member.phone,
        member.grid_id,
        member.registered_on,
        changed,
    )


class MemberCommands(ApplicationBase):
    @retried
    def register_member(
        self,
        name: str,
        community_id: UUID,
        party_member: bool,
        actor: str,
        unit_id: UUID | None = None,
        grid: str | None = None,
        phone: str | None = None,
        registered_on: date | None = None,
        grid_id: UUID | None = None,
        *,
        request: RequestKey | None = None,
    ) -> MemberRegistered:
        self._check_reference(Community, community_id, "community_id", "社区")
        member = self._new_member(
            name,
            community_id,
            party_member,
            actor,
            unit_id,
            grid,
            phone,
            registered_on,
            grid_id,
        )
        return self._saved(registered(member), member, request=request)

    def _new_member(
        self,
        name: str,
        community_id: UUID,
        party_member: bool,
        actor: str,
        unit_id: UUID | None = None,
        grid: str | None = None,
        phone: str | None = None,
        registered_on: date | None = None,
        grid_id: UUID | None = None,
    ) -> Member:
        """A new member of a known community, once its details pass the checks
        of a registration."""
        if unit_id is not None:
            self._check_reference(Unit, unit_id, "unit_id", "单位党组织")
        if not isinstance(party_member, bool):
            raise InvalidCommand("party_member 必须是 true 或 false", "party_member")
        grid_name = optional_text(grid, "grid")
        if grid_id is not None:
            grid_name = self._grid_of(grid_id, community_id).name
        return Member(
            name=check_text(name, "name", max_length=100),
            community_id=community_id,
            party_member=party_member,
            unit_id=unit_id,
            grid_id=grid_id,
            grid=grid_name,
            phone=check_phone(phone),
            registered_on=business_date(registered_on, self.today(), "registered_on"),
            actor=actor,
        )

    def _grid_of(self, grid_id: UUID, community_id: UUID) -> Grid:
        try:
            grid = self._load(Grid, grid_id, "网格")
        except NotFound as error:
            raise UnknownReference(error.message, "grid_id") from None
        if grid.community_id != community_id:
            raise UnknownReference(
                f"网格“{grid.name}”不属于社区 {community_id}", "grid_id"
            )
        return grid

    @in_turn("member_id")
    def change_member(
        self,
        member_id: UUID,
        actor: str,
        name: str = UNSET,
        phone: str | None = UNSET,
        grid_id: UUID | None = UNSET,
        party_member: bool = UNSET,
        unit_id: UUID | None = UNSET,
        *,
        request: RequestKey | None = None,
    ) -> MemberRegistered:
        """Changes the details given; those not given stay as they are."""
        member = self._load(Member, member_id, "志愿者")
        member.check_is_registered()
        changes: dict[str, Any] = {}
        if name is not UNSET:
            changes["name"] = check_text(name, "name", max_length=100)
        if phone is not UNSET:
            changes["phone"] = check_phone(phone)
        if party_member is not UNSET:
            if not isinstance(party_member, bool):
                raise InvalidCommand(
                    "party_member 必须是 true 或 false", "party_member"
                )
            changes["party_member"] = party_member
        if unit_id is not UNSET:
            if unit_id is not None:
                self._check_reference(Unit, unit_id, "unit_id", "单位党组织")
            changes["unit_id"] = unit_id
        if grid_id is not UNSET:
            changes["grid_id"] = grid_id
            changes["grid"] = (
                None
                if grid_id is None
                else self._grid_of(grid_id, member.community_id).name
            )
        changed = member.change(changes, actor)
        return self._saved(registered(member, changed), member, request=request)

    @in_turn("member_id")
    def move_member(
        self,
        member_id: UUID,
        community_id: UUID,
        actor: str,
        moved_on: date | None = None,
        *,
        request: RequestKey | None = None,
    ) -> MemberMoved:
        member = self._load(Member, member_id, "志愿者")
        self._check_reference(Community, community_id, "community_id", "社区")
        on = business_date(moved_on, self.today(), "moved_on")
        changed = member.move(community_id, on, actor)
        if not changed:
            on = member.registered_since
        return self._saved(
            MemberMoved(member.id, community_id, on, changed), member, request=request
        )

    @in_turn("member_id")
    def deregister_member(
        self,
        member_id: UUID,
        reason: str,
        actor: str,
        left_on: date | None = None,
        *,
        request: RequestKey | None = None,
    ) -> MemberLeft:
        member = self._load(Member, member_id, "志愿者")
        checked = check_reason(reason)
        on = business_date(left_on, self.today(), "left_on")
        member.deregister(checked, on, actor)
        return self._saved(MemberLeft(member.id, on, checked), member, request=request)

    @in_turn("member_id")
    def double_report_member(
        self,
        member_id: UUID,
        community_id: UUID,
        reported_on: date | None,
        actor: str,
        *,
        request: RequestKey | None = None,
    ) -> DoubleReported:
        member = self._load(Member, member_id, "志愿者")
        self._check_reference(Community, community_id, "community_id", "社区")
        on = business_date(reported_on, self.today(), "reported_on")
        changed = member.report_to(community_id, on, actor)
        return self._saved(
            DoubleReported(member.id, community_id, on, changed),
            member,
            request=request,
        )

    @in_turn("member_id")
    def end_member_double_report(
        self,
        member_id: UUID,
        actor: str,
        ended_on: date | None = None,
        *,
        request: RequestKey | None = None,
    ) -> DoubleReportEnded:
        member = self._load(Member, member_id, "志愿者")
        on = business_date(ended_on, self.today(), "ended_on")
        community_id = member.reported_to
        member.end_report(on, actor)
        assert community_id is not None
        return self._saved(
            DoubleReportEnded(member.id, community_id, on), member, request=request
        )

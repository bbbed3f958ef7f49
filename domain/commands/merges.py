"""Merging duplicates: two member records of one person become one."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.activity import Activity
from domain.commands.saving import ApplicationBase, in_turn
from domain.idempotency import RequestKey
from domain.inputs import check_reason
from domain.member import Member
from domain.results import MembersMerged
from domain.team import Team


class MergeCommands(ApplicationBase):
    @in_turn("survivor_id", "duplicate_id")
    def merge_members(
        self,
        survivor_id: UUID,
        duplicate_id: UUID,
        reason: str,
        actor: str,
        activity_ids: Sequence[UUID] = (),
        team_ids: Sequence[UUID] = (),
        *,
        request: RequestKey | None = None,
    ) -> MembersMerged:
        """Merges the duplicate into the survivor, in one transaction: its
        attendances at the activities given move to the survivor (or, where
        the survivor attended too, are revoked as "merged"), its memberships of
        the teams given become the survivor's, and its double report moves
        unless the survivor has one. The activities and teams are those where
        the read side has seen the duplicate; each is checked here against its
        own record, and those where the duplicate is not found are left."""
        survivor = self._load(Member, survivor_id, "志愿者")
        duplicate = self._load(Member, duplicate_id, "志愿者")
        checked = check_reason(reason)
        duplicate.merge_into(survivor, checked, self.today(), actor)
        changed: list[Aggregate] = [duplicate, survivor]
        moved = revoked = 0
        for activity_id in dict.fromkeys(activity_ids):
            activity = self._load(Activity, activity_id, "活动")
            had_own = survivor_id in activity.attendances and not (
                activity.attendances[survivor_id].revoked
            )
            if activity.merge_attendance(duplicate_id, survivor_id, actor):
                changed.append(activity)
                revoked += had_own
                moved += not had_own
        changed += self._accounts_merged(duplicate_id, survivor_id)
        teams = 0
        for team_id in dict.fromkeys(team_ids):
            team = self._load(Team, team_id, "志愿服务队")
            if team.merge_member(duplicate_id, survivor_id, actor):
                changed.append(team)
                teams += 1
        merged = MembersMerged(
            survivor.id,
            survivor.name,
            survivor.community_id,
            duplicate.id,
            checked,
            moved,
            revoked,
            teams,
        )
        return self._saved(merged, *changed, request=request)

    def _accounts_merged(
        self, duplicate_id: UUID, survivor_id: UUID
    ) -> list[Aggregate]:
        """The duplicate's points account, if it spent anything, handed over
        to the survivor's: a merge moves the account too."""
        duplicate = self._existing_account(duplicate_id)
        if duplicate is None or not any(duplicate.spent.values()):
            return []
        survivor = self._account(survivor_id)
        duplicate.hand_over_to(survivor)
        return [duplicate, survivor]

"""What a token may do: one check per permission, named for it. Each raises
a 403 problem outside the token's scope (and NotFound, 404, for an unknown
thing named in the path); none returns a verdict for a route to act on.

A permission over a thing named in the path is a dependency that reads that
path parameter by its name and returns the id: a route declares it as the
parameter's type (``activity_id: CanOrganiseActivity``), so it is checked
before the body is read. A permission over what the body names is called on
the route's first line."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from eventsourcing.domain import Aggregate
from fastapi import Depends, Request

from api import busy
from api.auth import Principal
from api.deps import PrincipalDep, system_of
from api.problems import Problem
from domain.activity import Activity
from domain.application import Scope, VolunteerPoints
from domain.community import Community
from domain.errors import NotFound, UnknownReference
from domain.member import Member
from domain.redemption import Redemption, Reward
from domain.report import Report
from domain.team import Team
from domain.tree import Grid

OUT_OF_SCOPE = "令牌的权限范围不包括此操作"


def require(allowed: bool, detail: str = OUT_OF_SCOPE) -> None:
    """Raises a 403 problem unless ``allowed``."""
    if not allowed:
        raise Problem(403, "forbidden", detail)


# Over a thing named in the path.


async def _covered(
    request: Request, principal: Principal, kind: type[Aggregate], aggregate_id: UUID
) -> UUID:
    system = system_of(request)
    scope = await system.read(system.app.scope_of, aggregate_id, kind)
    require(principal.covers(scope))
    return aggregate_id


async def can_organise_community(
    community_id: UUID, request: Request, principal: PrincipalDep
) -> UUID:
    """Admins, and organizers whose scope covers the community: they import
    its roster, read its members, ranking, claims and 台账, and stock its
    rewards."""
    return await _covered(request, principal, Community, community_id)


async def can_organise_team(
    team_id: UUID, request: Request, principal: PrincipalDep
) -> UUID:
    """Admins, and organizers whose scope covers the team or its community."""
    return await _covered(request, principal, Team, team_id)


async def can_organise_activity(
    activity_id: UUID, request: Request, principal: PrincipalDep
) -> UUID:
    """Admins, and organizers whose scope covers the activity's team or
    community: they record and revoke its attendance, cancel and close it."""
    return await _covered(request, principal, Activity, activity_id)


async def organises_activity(request: Request) -> None:
    """A guard (api/busy.py) for the busiest write: the token's principal,
    then ``can_organise_activity`` over the activity the path names."""
    principal = await busy.authenticated(request)
    activity_id = busy.path_id(request, "activity_id")
    if activity_id is not None:
        await _covered(request, principal, Activity, activity_id)


async def can_change_member(
    member_id: UUID, request: Request, principal: PrincipalDep
) -> UUID:
    """Admins, and organizers whose scope covers the member's community."""
    return await _covered(request, principal, Member, member_id)


async def can_restock_reward(
    reward_id: UUID, request: Request, principal: PrincipalDep
) -> UUID:
    """Admins, and organizers whose scope covers the reward's community."""
    return await _covered(request, principal, Reward, reward_id)


async def can_cancel_redemption(
    redemption_id: UUID, request: Request, principal: PrincipalDep
) -> UUID:
    """Admins, and organizers whose scope covers the redemption's community."""
    return await _covered(request, principal, Redemption, redemption_id)


def _claim_scope(app: VolunteerPoints, claim_id: UUID) -> Scope:
    return app.scope_of(app.claim(claim_id).activity_id, Activity)


async def can_decide_claim(
    claim_id: UUID, request: Request, principal: PrincipalDep
) -> UUID:
    """Admins, and organizers whose scope covers the claimed activity."""
    system = system_of(request)
    require(principal.covers(await system.read(_claim_scope, system.app, claim_id)))
    return claim_id


async def can_organise_street(
    street_id: UUID, request: Request, principal: PrincipalDep
) -> UUID:
    """Admins, and organizers whose token names the street or its district."""
    system = system_of(request)
    street = await system.read(system.app.street, street_id)
    require(principal.covers_places((street.district_id, street_id)))
    return street_id


async def can_organise_district(
    district_id: UUID, request: Request, principal: PrincipalDep
) -> UUID:
    """Admins, and organizers whose token names the district."""
    system = system_of(request)
    await system.read(system.app.district, district_id)
    require(principal.covers_places((district_id,)))
    return district_id


def _may_read_member(
    app: VolunteerPoints, principal: Principal, member_id: UUID
) -> bool:
    if principal.is_member(member_id):
        return True
    if principal.is_admin:
        app.ensure_exists(Member, member_id)
        return True
    if principal.covers(app.scope_of(member_id, Member)):
        return True
    if principal.role != "organizer":
        return False
    for team_id in principal.team_ids:
        try:
            if member_id in app.team(team_id).members:
                return True
        except NotFound:
            continue
    return False


async def can_read_member(
    member_id: UUID, request: Request, principal: PrincipalDep
) -> UUID:
    """The member itself, admins, and organizers whose scope covers the
    member's community (where it is registered now) or one of its teams.
    NotFound for an unknown member, except to the member itself."""
    system = system_of(request)
    app = system.app
    # The member itself, or an admin reading a member seen before, needs no
    # read of the event log (nor, on PostgreSQL, a worker thread).
    if principal.is_member(member_id):
        return member_id
    if principal.is_admin and app.scopes.kind_of(member_id) is Member:
        return member_id
    allowed = await system.read(_may_read_member, app, principal, member_id)
    require(allowed, "无权查看此志愿者")
    return member_id


CanOrganiseCommunity = Annotated[UUID, Depends(can_organise_community)]
CanOrganiseTeam = Annotated[UUID, Depends(can_organise_team)]
CanOrganiseActivity = Annotated[UUID, Depends(can_organise_activity)]
CanChangeMember = Annotated[UUID, Depends(can_change_member)]
CanRestockReward = Annotated[UUID, Depends(can_restock_reward)]
CanCancelRedemption = Annotated[UUID, Depends(can_cancel_redemption)]
CanDecideClaim = Annotated[UUID, Depends(can_decide_claim)]
CanOrganiseStreet = Annotated[UUID, Depends(can_organise_street)]
CanOrganiseDistrict = Annotated[UUID, Depends(can_organise_district)]
CanReadMember = Annotated[UUID, Depends(can_read_member)]


# Over what the body names, or the token alone.


def can_administer(principal: Principal, refusal: str) -> None:
    """Admins only; ``refusal`` says what others may not do."""
    require(principal.is_admin, refusal)


def can_end_session(principal: Principal, session_id: UUID) -> None:
    """The session's own holder, and admins."""
    require(
        principal.is_admin or principal.session_id == session_id,
        "只能退出自己的登录",
    )


def can_add_to_community(
    app: VolunteerPoints, principal: Principal, community_id: UUID
) -> None:
    """Admins, and organizers whose scope covers the community a member, grid
    or team is added to; only admins cover an unknown one, which the command
    then refuses as an unknown reference."""
    require(principal.covers(app.community_scope(community_id)))


def can_send_member(
    app: VolunteerPoints, principal: Principal, member_id: UUID, community_id: UUID
) -> None:
    """Admins, and organizers whose scope covers the member's community
    (NotFound for an unknown member) or the community it moves or is
    double-reported to."""
    require(
        principal.covers(app.scope_of(member_id, Member))
        or principal.covers(app.community_scope(community_id))
    )


def can_merge_duplicate(
    app: VolunteerPoints, principal: Principal, duplicate_id: UUID
) -> None:
    """Admins, and organizers whose scope covers the duplicate's community
    too; an unknown duplicate is an unknown reference (422)."""
    try:
        scope = app.scope_of(duplicate_id, Member)
    except NotFound:
        raise UnknownReference(
            f"志愿者 {duplicate_id} 不存在", "duplicate_id"
        ) from None
    require(principal.covers(scope))


def can_schedule_activity(
    app: VolunteerPoints, principal: Principal, team_id: UUID
) -> None:
    """Admins, and organizers whose scope covers the team; any organizer for
    an unknown team, which the command then refuses as an unknown reference."""
    try:
        scope = app.scope_of(team_id, Team)
    except NotFound:
        require(principal.role in ("admin", "organizer"))
        return
    require(principal.covers(scope))


def can_sign_up(
    app: VolunteerPoints, principal: Principal, activity_id: UUID, member_id: UUID
) -> None:
    """Admins and organizers covering the activity (NotFound for an unknown
    one), and a member token for itself: signing up or withdrawing."""
    scope = app.scope_of(activity_id, Activity)
    require(principal.covers(scope) or principal.is_member(member_id))


def can_act_for_member(
    app: VolunteerPoints, principal: Principal, member_id: UUID
) -> None:
    """The member itself, admins, and organizers whose scope covers the
    member's community (NotFound for an unknown member): they claim its hours,
    redeem its points, and are issued its certificates."""
    require(
        principal.is_member(member_id)
        or principal.covers(app.scope_of(member_id, Member))
    )


def can_publish_report(
    app: VolunteerPoints, principal: Principal, scope: str, scope_id: UUID | None
) -> None:
    """Admins, and organizers whose token names the report's place or one
    above it; only admins for the whole deployment or an unknown place."""
    require(principal.covers_places(_places_of(app, scope, scope_id)))


def can_verify_report(
    app: VolunteerPoints, principal: Principal, report: Report
) -> None:
    """Admins, and organizers whose token names the report's place or one above
    it: a verification replays the log, which costs others' reads."""
    require(
        principal.covers_places(_places_of(app, report.scope, report.scope_id)),
        "只有管理员和报表所在范围的组织者可以核验报表",
    )


def can_list_reports(principal: Principal) -> frozenset[str] | None:
    """Admins, every published report (None); organizers, those of the places
    their token names (districts, streets, communities) and below them."""
    require(
        principal.is_admin or principal.role == "organizer",
        "只有管理员和组织者可以查看报表列表",
    )
    if principal.is_admin:
        return None
    named = principal.district_ids | principal.street_ids | principal.community_ids
    return frozenset(str(place) for place in named)


def _places_of(
    app: VolunteerPoints, scope: str, scope_id: UUID | None
) -> tuple[UUID | None, ...]:
    """The places of the tree a report's scope stands in, itself and those above
    it: none for the whole deployment or for an unknown place."""
    if scope_id is None:
        return ()
    try:
        if scope == "district":
            return (app.district(scope_id).id,)
        if scope == "street":
            return (app.street(scope_id).district_id, scope_id)
        if scope == "community":
            return app.scope_of(scope_id, Community).places()
        if scope == "grid":
            return app.scope_of(scope_id, Grid).places()
    except NotFound:
        return ()
    return ()


def can_read_own_record(principal: Principal) -> str:
    """A member token, reading its own points and statement: its member id."""
    require(
        principal.role == "member" and principal.member_id is not None,
        "只有志愿者令牌可以查询“我的”积分",
    )
    return str(principal.member_id)


def can_check_in(principal: Principal) -> UUID:
    """A member's own session or token, scanning at the door: its member id."""
    require(
        principal.role == "member" and principal.member_id is not None,
        "只有志愿者本人可以扫码签到",
    )
    assert principal.member_id is not None
    return principal.member_id


def can_write_rules(principal: Principal, district_id: UUID | None) -> None:
    """Admins, and organizers whose token names the rule set's district; only
    admins for the deployment's own rules."""
    if district_id is None:
        require(principal.is_admin, "只有管理员可以制定整个部署的积分规则")
    else:
        require(principal.covers_places((district_id,)))


def can_read_rules(principal: Principal) -> None:
    """Admins and organizers: the rules they schedule activities under."""
    require(
        principal.is_admin or principal.role == "organizer",
        "只有管理员和组织者可以查看积分规则",
    )

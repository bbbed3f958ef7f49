"""A token's own view: its role and scope, and a member token's own points
and statement."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from api import busy, deps, permissions
from api.routes.members import points_answer
from api.schemas.figures import Points, Statement
from api.schemas.responses import TokenScope
from api.services import tokens

router = APIRouter(prefix="/v1/me", tags=["me"], route_class=busy.GuardedRoute)


@router.get(
    "/token",
    response_model=TokenScope,
    operation_id="get_my_token",
    dependencies=deps.READ,
)
def get_my_token(
    principal: deps.PrincipalDep, system: deps.SystemDep
) -> dict[str, Any]:
    """The token's own role and the places its scope names (districts,
    streets, communities, teams), with their names: what a client may show."""
    places = tokens.named_places(
        system,
        principal.district_ids,
        principal.street_ids,
        principal.community_ids,
        principal.team_ids,
    )
    return {"role": principal.role, "member_id": principal.member_id, "places": places}


@router.get("/points", response_model=Points, operation_id="get_my_points")
@busy.guarded_by(busy.authenticated)
@busy.read_plainly(busy.year_only)
async def get_my_points(
    request: Request,
    min_position: deps.MinPosition = None,
    year: deps.Year = None,
    as_of: deps.AsOf = None,
) -> Response:
    """The member token's own points."""
    await deps.wait_for_position(request, min_position)
    member_id = permissions.can_read_own_record(busy.principal(request))
    return await points_answer(request, member_id, year, as_of)


@router.get(
    "/statement",
    response_model=Statement,
    operation_id="get_my_statement",
    dependencies=deps.READ,
)
def get_my_statement(
    period: deps.PeriodDep,
    principal: deps.PrincipalDep,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The member token's own statement, a page at a time (``next_cursor``)."""
    member_id = permissions.can_read_own_record(principal)
    statement = system.queries.statement_page
    return statement(member_id, period.year, period.on, limit, cursor)

"""Organiser accounts (组织者账号): registered by an administrator with a phone
and a scope, signing in with that phone and a code; removing one ends its
sessions."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from api import deps, permissions
from api.schemas.sessions import (
    OrganiserAnswer,
    OrganiserCreate,
    Organisers,
)
from api.services import tokens
from domain import results
from domain.organiser import masked_phone
from projections.phones import normalised_phone

router = APIRouter(prefix="/v1/organisers", tags=["organisers"])


@router.post(
    "",
    status_code=201,
    response_model=OrganiserAnswer,
    operation_id="create_organiser",
)
def create_organiser(
    body: OrganiserCreate,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    system: deps.SystemDep,
) -> dict[str, Any]:
    """Register an organiser account; its phone then signs in with a code
    ``as: "organizer"``, covering the places named (admins only)."""
    permissions.can_administer(principal, "只有管理员可以登记组织者")
    phone_key = system.sessions.phone_key(body.phone)
    registered: results.OrganiserRegistered = write(
        body,
        write.app.register_organiser,
        body.name,
        phone_key,
        masked_phone(normalised_phone(body.phone)),
        principal.id,
        district_ids=body.district_ids,
        street_ids=body.street_ids,
        community_ids=body.community_ids,
        team_ids=body.team_ids,
    )
    answer = asdict(registered)
    return answer | {"places": tokens.scope_places(system, answer)}


@router.get(
    "",
    response_model=Organisers,
    operation_id="list_organisers",
    dependencies=deps.READ,
)
def list_organisers(
    principal: deps.PrincipalDep, system: deps.SystemDep
) -> dict[str, Any]:
    """Every organiser account, removed ones marked (admins only)."""
    permissions.can_administer(principal, "只有管理员可以查看组织者")
    items = system.queries.organisers()
    return {"items": [i | {"places": tokens.scope_places(system, i)} for i in items]}


@router.delete(
    "/{organiser_id}",
    status_code=204,
    response_class=Response,
    operation_id="remove_organiser",
)
def remove_organiser(
    organiser_id: UUID, principal: deps.PrincipalDep, write: deps.WriteDep
) -> None:
    """Remove an organiser account: its sessions are refused from the next
    request, and its phone no longer signs in as an organiser (admins only).
    ``X-Event-Position`` gives the removal's position."""
    permissions.can_administer(principal, "只有管理员可以移除组织者")
    write(None, write.app.remove_organiser, organiser_id, principal.id)

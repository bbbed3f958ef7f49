from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from api import deps, permissions
from api.schemas.requests import DoubleReportCreate, DoubleReportEnd, UnitCreate
from api.schemas.responses import (
    DoubleReported,
    DoubleReportEnded,
    UnitPage,
    UnitRegistered,
)
from domain import results

router = APIRouter(prefix="/v1/units", tags=["units"])


@router.post(
    "", status_code=201, response_model=UnitRegistered, operation_id="create_unit"
)
def create_unit(
    body: UnitCreate, principal: deps.PrincipalDep, write: deps.WriteDep
) -> results.UnitRegistered:
    """Register a work unit's party organisation (单位党组织); admins only."""
    permissions.can_administer(principal, "只有管理员可以创建单位党组织")
    return write(body, write.app.register_unit, actor=principal.id, **dict(body))


@router.get(
    "", response_model=UnitPage, operation_id="list_units", dependencies=deps.READ
)
def list_units(
    principal: deps.PrincipalDep,
    system: deps.SystemDep,
    limit: deps.Limit = 50,
    cursor: deps.PageCursor = None,
) -> dict[str, Any]:
    """The work units' party organisations (单位党组织); admins only."""
    permissions.can_administer(principal, "只有管理员可以查看单位党组织")
    return system.queries.units(limit, cursor)


@router.post(
    "/{unit_id}/double-report",
    status_code=201,
    response_model=DoubleReported,
    operation_id="double_report_unit",
)
def double_report_unit(
    unit_id: UUID,
    body: DoubleReportCreate,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
) -> results.DoubleReported:
    """Report a unit to a community (组织报到); a unit may report to several."""
    permissions.can_administer(principal, "只有管理员可以登记单位双报到")
    report = write.app.double_report_unit
    return write(body, report, unit_id, actor=principal.id, **dict(body))


@router.post(
    "/{unit_id}/double-report/{community_id}/end",
    response_model=DoubleReportEnded,
    operation_id="end_unit_double_report",
)
def end_unit_double_report(
    unit_id: UUID,
    community_id: UUID,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    body: DoubleReportEnd | None = None,
) -> results.DoubleReportEnded:
    """End a unit's double report to a community from a date; admins only."""
    permissions.can_administer(principal, "只有管理员可以结束单位双报到")
    ended = body or DoubleReportEnd()
    end = write.app.end_unit_double_report
    return write(ended, end, unit_id, community_id, principal.id, **dict(ended))


@router.get(
    "/{unit_id}/double-reports",
    operation_id="get_unit_double_reports",
    dependencies=deps.READ,
)
def get_unit_double_reports(
    unit_id: UUID, principal: deps.PrincipalDep, system: deps.SystemDep
) -> dict[str, Any]:
    """The communities a unit reported to, and its members' reports; admins only."""
    permissions.can_administer(principal, "只有管理员可以查看单位双报到")
    system.app.unit(unit_id)
    return system.queries.unit_double_reports(str(unit_id))

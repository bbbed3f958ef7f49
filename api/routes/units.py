from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.auth import require
from api.deps import Consistent, IdempotencyDep, PrincipalDep, SystemDep
from api.schemas import DoubleReportCreate, DoubleReported, UnitCreate, UnitPublic

router = APIRouter(prefix="/v1/units", tags=["units"])


@router.post("", status_code=201, response_model=UnitPublic, operation_id="create_unit")
def create_unit(
    body: UnitCreate, principal: PrincipalDep, idem: IdempotencyDep, system: SystemDep
) -> JSONResponse:
    """Register a work unit's party organisation (单位党组织); admins only."""
    require(principal.is_admin, "只有管理员可以创建单位党组织")
    return idem.answer(
        201,
        body,
        lambda extra: system.app.register_unit(body.name, principal.id, extra=extra),
        lambda d: {"id": d.id, "name": body.name.strip()},
    )


@router.post(
    "/{unit_id}/double-report",
    status_code=201,
    response_model=DoubleReported,
    operation_id="double_report_unit",
)
def double_report_unit(
    unit_id: UUID,
    body: DoubleReportCreate,
    principal: PrincipalDep,
    idem: IdempotencyDep,
    system: SystemDep,
) -> JSONResponse:
    """Report a unit to a community (组织报到); a unit may report to several."""
    require(principal.is_admin, "只有管理员可以登记单位双报到")
    system.app.unit(unit_id)
    return idem.answer(
        201,
        body,
        lambda extra: system.app.double_report_unit(
            unit_id, body.community_id, body.reported_on, principal.id, extra=extra
        ),
        lambda d: {"id": d.id} | body.model_dump(),
    )


@router.get(
    "/{unit_id}/double-reports",
    operation_id="get_unit_double_reports",
    dependencies=[Consistent],
)
def get_unit_double_reports(
    unit_id: UUID, principal: PrincipalDep, system: SystemDep
) -> dict[str, Any]:
    """The communities a unit reported to, and its members' reports; admins only."""
    require(principal.is_admin, "只有管理员可以查看单位双报到")
    system.app.unit(unit_id)
    return system.queries.unit_double_reports(str(unit_id))

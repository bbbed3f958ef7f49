from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from api import deps
from api.ledger import CSV, XLSX, Ledger, csv_chunks, file_chunks, xlsx_file
from api.permissions import (
    CanOrganiseCommunity,
    CanOrganiseDistrict,
    CanOrganiseStreet,
)
from api.system import System

router = APIRouter(prefix="/v1", tags=["ledger"])

LedgerFormat = Annotated[
    Literal["xlsx", "csv"],
    Query(
        alias="format",
        description="xlsx：参加记录、志愿者、活动、数字四张表；csv：参加记录",
    ),
]
FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "台账文件（Content-Disposition: attachment）",
        "content": {
            XLSX: {"schema": {"type": "string", "format": "binary"}},
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def ledger_file(
    system: System,
    scope: str,
    scope_id: UUID,
    name: str,
    period: deps.Period,
    file_format: str,
) -> StreamingResponse:
    """The 台账 of a scope for a period, streamed as an attachment."""
    place = str(scope_id)
    ledger = Ledger(
        scope=scope,
        scope_id=place,
        name=name,
        year=period.year,
        on=period.on,
        figures=deps.figures(system, scope, scope_id, period),
        queries=system.queries.ledger,
    )
    headers = {"Content-Disposition": ledger.disposition(file_format)}
    if file_format == "csv":
        return StreamingResponse(csv_chunks(ledger), media_type=CSV, headers=headers)
    source = xlsx_file(ledger)
    return StreamingResponse(file_chunks(source), media_type=XLSX, headers=headers)


@router.get(
    "/communities/{community_id}/ledger",
    response_class=StreamingResponse,
    responses=FILES,
    operation_id="get_community_ledger",
    dependencies=deps.READ,
)
def get_community_ledger(
    community_id: CanOrganiseCommunity,
    period: deps.PeriodDep,
    system: deps.SystemDep,
    file_format: LedgerFormat = "xlsx",
) -> StreamingResponse:
    """A community's 台账 for a year as of a date, as XLSX or CSV; admins and
    organizers in scope."""
    name = system.app.community(community_id).name
    return ledger_file(system, "community", community_id, name, period, file_format)


@router.get(
    "/streets/{street_id}/ledger",
    response_class=StreamingResponse,
    responses=FILES,
    operation_id="get_street_ledger",
    dependencies=deps.READ,
)
def get_street_ledger(
    street_id: CanOrganiseStreet,
    period: deps.PeriodDep,
    system: deps.SystemDep,
    file_format: LedgerFormat = "xlsx",
) -> StreamingResponse:
    """A street's 台账 for a year as of a date, its communities' together;
    admins and organizers of the street or its district."""
    name = system.app.street(street_id).name
    return ledger_file(system, "street", street_id, name, period, file_format)


@router.get(
    "/districts/{district_id}/ledger",
    response_class=StreamingResponse,
    responses=FILES,
    operation_id="get_district_ledger",
    dependencies=deps.READ,
)
def get_district_ledger(
    district_id: CanOrganiseDistrict,
    period: deps.PeriodDep,
    system: deps.SystemDep,
    file_format: LedgerFormat = "xlsx",
) -> StreamingResponse:
    """A district's 台账 for a year as of a date, its communities' together;
    admins and organizers of the district."""
    name = system.app.district(district_id).name
    return ledger_file(system, "district", district_id, name, period, file_format)

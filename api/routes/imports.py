"""Imports of the organiser's files: a community's roster (花名册) and an
activity's sign-in sheet (签到表), multipart ``file``, all rows or none."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile

from api import deps
from api.permissions import CanOrganiseActivity, CanOrganiseCommunity
from api.schemas.imports import AttendanceImported, MembersImported
from api.services import rosters, sign_in_sheets
from api.sheets import read_sheet

router = APIRouter(tags=["imports"])

Upload = Annotated[
    UploadFile, File(description="CSV（UTF-8 或 GB18030）、XLSX 或 XLS 文件")
]
DryRun = Annotated[bool, Query(description="只检查，不登记")]
ROW_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "invalid_rows（errors 列出每一个有误的行：row, column, code, "
        "message）、invalid_headers（缺少必需的表头，或同一表头写了两次）、"
        "empty_file、unsupported_file、too_many_rows"
    }
}


@router.post(
    "/v1/communities/{community_id}/members/import",
    response_model=MembersImported,
    operation_id="import_members",
    responses=ROW_ERRORS,
)
def import_members(
    community_id: CanOrganiseCommunity,
    file: Upload,
    system: deps.SystemDep,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    dry_run: DryRun = False,
) -> dict[str, Any]:
    """Register a roster's members (姓名, 手机号, 网格?, 政治面貌?, 单位?, 登记日期?);
    a member is matched by phone, and a row of a known phone records nothing."""
    sheet = read_sheet(file.file.read(), rosters.ROSTER)
    payload = {"file": sheet.digest, "dry_run": dry_run}
    command = rosters.import_members
    imported = write(
        payload, command, system, community_id, sheet, principal.id, dry_run
    )
    return sheet.answer(imported)


@router.post(
    "/v1/activities/{activity_id}/attendance/import",
    response_model=AttendanceImported,
    operation_id="import_attendance",
    responses=ROW_ERRORS,
)
def import_attendance(
    activity_id: CanOrganiseActivity,
    file: Upload,
    system: deps.SystemDep,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    dry_run: DryRun = False,
) -> dict[str, Any]:
    """Record a sign-in sheet's attendances (手机号 or 志愿者编号, 姓名?, 时长) in one
    transaction, by the rules of recording attendance."""
    sheet = read_sheet(file.file.read(), sign_in_sheets.SIGN_IN_SHEET)
    payload = {"file": sheet.digest, "dry_run": dry_run}
    command = sign_in_sheets.import_attendance
    recorded = write(
        payload, command, system, activity_id, sheet, principal.id, dry_run
    )
    return sheet.answer(recorded)

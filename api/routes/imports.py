"""Imports of the organiser's files: a community's roster (花名册) and an
activity's sign-in sheet (签到表), multipart ``file``, all rows or none."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, File, Query, UploadFile

from api import deps
from api.imports import (
    check_roster,
    check_sign_in_sheet,
    import_roster,
    import_sign_in_sheet,
    read_sheet,
)
from api.schemas.imports import MembersImportResult
from api.schemas.responses import AttendanceResult
from domain import results
from domain.commands.imports import RosterEntry

router = APIRouter(tags=["imports"])

Upload = Annotated[UploadFile, File(description="CSV（UTF-8 或 GB18030）或 XLSX 文件")]
DryRun = Annotated[bool, Query(description="只检查，不登记")]
ROW_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "invalid_rows（errors 列出每一个有误的行：row, column, code, "
        "message）、invalid_headers、empty_file、unsupported_file"
    }
}


def _payload(content: bytes, dry_run: bool) -> dict[str, object]:
    return {"file": hashlib.sha256(content).hexdigest(), "dry_run": dry_run}


@router.post(
    "/v1/communities/{community_id}/members/import",
    response_model=MembersImportResult,
    operation_id="import_members",
    responses=ROW_ERRORS,
)
def import_members(
    community_id: deps.CommunityInScope,
    file: Upload,
    system: deps.SystemDep,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    dry_run: DryRun = False,
) -> results.MembersImported:
    """Register a roster's members (姓名, 手机号, 网格?, 政治面貌?, 单位?, 登记日期?);
    a member is matched by phone, and a row of a known phone records nothing."""
    content = file.file.read()
    system.catch_up_to_now()
    roster = check_roster(system.queries, community_id, read_sheet(content))

    def run(
        entries: list[RosterEntry], unchanged: int, check_only: bool
    ) -> results.MembersImported:
        command = write.app.import_members
        return write(
            _payload(content, check_only),
            command,
            community_id,
            entries,
            principal.id,
            unchanged,
            check_only,
        )

    return import_roster(roster, run, dry_run)


@router.post(
    "/v1/activities/{activity_id}/attendance/import",
    response_model=AttendanceResult,
    operation_id="import_attendance",
    responses=ROW_ERRORS,
)
def import_attendance(
    activity_id: deps.ActivityInScope,
    file: Upload,
    system: deps.SystemDep,
    principal: deps.PrincipalDep,
    write: deps.WriteDep,
    dry_run: DryRun = False,
) -> results.AttendanceWritten:
    """Record a sign-in sheet's attendances (手机号 or 志愿者编号, 姓名?, 时长) in one
    transaction, by the rules of recording attendance."""
    content = file.file.read()
    longest = system.app.activity(activity_id).longest_attendance
    system.catch_up_to_now()
    sheet = check_sign_in_sheet(system.queries, longest, read_sheet(content))

    def run(records: list[tuple[UUID, Decimal]]) -> results.AttendanceWritten:
        command = write.app.import_attendance
        payload = _payload(content, dry_run)
        return write(payload, command, activity_id, records, principal.id, dry_run)

    return import_sign_in_sheet(sheet, run)

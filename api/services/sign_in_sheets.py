"""Sign-in sheet imports (签到表): an activity's attendances recorded from the
organiser's file, by the rules of recording attendance, every row checked
first, all rows or none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from api.services.read_models import caught_up
from api.sheets import Checked, Layout, Sheet
from api.system import System
from domain.errors import InvalidHours
from domain.idempotency import RequestKey
from domain.points import check_hours
from domain.results import AttendanceWritten
from projections.queries import Queries

PHONE, MEMBER_ID, NAME, HOURS = "手机号", "志愿者编号", "姓名", "时长"
COLUMNS = (PHONE, MEMBER_ID, NAME, HOURS)
SIGN_IN_SHEET = Layout(COLUMNS, (HOURS,), (PHONE, MEMBER_ID))


def import_attendance(
    system: System,
    activity_id: UUID,
    sheet: Sheet,
    actor: str,
    dry_run: bool = False,
    *,
    request: RequestKey | None = None,
) -> AttendanceWritten:
    """Records a sign-in sheet's attendances in one transaction once every row
    is right; else raises InvalidCells (or InvalidHeaders) naming each wrong
    cell."""
    longest = system.app.activity(activity_id).longest_attendance
    checked = check_sign_in_sheet(caught_up(system), longest, sheet)
    checked.checked.refuse()
    record = system.app.import_attendance
    return record(activity_id, checked.records, actor, dry_run, request=request)


@dataclass
class SignInSheet:
    checked: Checked
    records: list[tuple[UUID, Decimal]]


def check_sign_in_sheet(
    queries: Queries,
    longest: Decimal,
    sheet: Sheet,
) -> SignInSheet:
    """Checks a sign-in sheet (read as ``SIGN_IN_SHEET`` lays it out): each
    row's member, by phone or volunteer number (and name, when given), and
    hours."""
    checked = Checked(sheet)
    by_phone = queries.members_by_phone(
        row[PHONE] for _, row in sheet.rows if row.get(PHONE)
    )
    ids: list[str] = []
    for _, row in sheet.rows:
        try:
            ids.append(str(UUID(row.get(MEMBER_ID, ""))))
        except ValueError:
            continue
    members = queries.members_by_id([*ids, *by_phone.values()])
    first_row: dict[str, int] = {}
    records: list[tuple[UUID, Decimal]] = []
    for number, row in sheet.rows:
        wrong = len(checked.cells)
        member_id = _sheet_member(checked, number, row, by_phone, members)
        hours: Decimal | None = None
        try:
            hours = check_hours(row.get(HOURS, "") or None, longest)
        except InvalidHours as error:
            message = "时长不能为空" if not row.get(HOURS) else error.message
            checked.wrong(number, HOURS, error.code, message)
        if member_id is not None:
            if member_id in first_row:
                checked.wrong(
                    number,
                    MEMBER_ID if MEMBER_ID in row else PHONE,
                    "duplicate_member",
                    f"与第 {first_row[member_id]} 行是同一名志愿者",
                )
            else:
                first_row[member_id] = number
        if len(checked.cells) == wrong and member_id and hours is not None:
            records.append((UUID(member_id), hours))
    return SignInSheet(checked, records)


def _sheet_member(
    checked: Checked,
    number: int,
    row: dict[str, str],
    by_phone: dict[str, str],
    members: dict[str, dict[str, Any]],
) -> str | None:
    given_id, phone = row.get(MEMBER_ID, ""), row.get(PHONE, "")
    member_id: str | None = None
    if given_id:
        try:
            member_id = str(UUID(given_id))
        except ValueError:
            checked.wrong(
                number, MEMBER_ID, "validation_error", f"志愿者编号“{given_id}”无效"
            )
            return None
        if member_id not in members:
            checked.wrong(
                number, MEMBER_ID, "unknown_member", f"志愿者 {member_id} 不存在"
            )
            return None
    if phone:
        found = by_phone.get(phone)
        if found is None:
            checked.wrong(
                number, PHONE, "unknown_phone", f"没有手机号为 {phone} 的志愿者"
            )
            return None
        if member_id is not None and found != member_id:
            checked.wrong(
                number, PHONE, "member_mismatch", "手机号与志愿者编号不是同一名志愿者"
            )
            return None
        member_id = found
    if member_id is None:
        header = PHONE if PHONE in checked.sheet.headers else MEMBER_ID
        checked.wrong(
            number, header, "validation_error", "手机号或志愿者编号至少填写一项"
        )
        return None
    member = members[member_id]
    name = row.get(NAME, "")
    if name and name != member["name"]:
        checked.wrong(
            number, NAME, "name_mismatch", f"姓名“{name}”与志愿者登记的姓名不符"
        )
        return None
    if member["merged_into"]:
        checked.wrong(
            number,
            MEMBER_ID,
            "member_merged",
            f"志愿者已合并到志愿者 {member['merged_into']}，请使用该编号",
        )
        return None
    if member["left_on"]:
        checked.wrong(
            number,
            MEMBER_ID if given_id else PHONE,
            "member_deregistered",
            f"志愿者已于 {member['left_on']} 注销",
        )
        return None
    return member_id

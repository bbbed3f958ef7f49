"""The organiser's files: CSV (UTF-8, UTF-8 with BOM, GB18030) and XLSX read
into rows of ``{header: text}``, numbered as the spreadsheet shows them (the
header being row 1); a roster (花名册) and a sign-in sheet (签到表) checked row
by row, every wrong row named, before one command records them all."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from api.problems import Problem
from domain.commands.imports import RosterEntry
from domain.errors import InvalidHours, InvalidRows, RowError
from domain.points import check_hours
from domain.results import AttendanceWritten, MembersImported
from projections.phones import normalised_phone
from projections.queries import Queries

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 1_000
MAX_ROWS = 100_000
MAX_COLUMNS = 64
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

NAME, PHONE, GRID, POLITICS, UNIT, REGISTERED = (
    "姓名",
    "手机号",
    "网格",
    "政治面貌",
    "单位",
    "登记日期",
)
MEMBER_ID, HOURS = "志愿者编号", "时长"
ROSTER_COLUMNS = (NAME, PHONE, GRID, POLITICS, UNIT, REGISTERED)
ROSTER_REQUIRED = (NAME, PHONE)
SHEET_COLUMNS = (PHONE, MEMBER_ID, NAME, HOURS)
PARTY_MEMBERS = frozenset({"中共党员", "中共预备党员"})
ROSTER_FIELDS = {
    "name": NAME,
    "phone": PHONE,
    "grid_id": GRID,
    "grid": GRID,
    "unit_id": UNIT,
    "party_member": POLITICS,
    "registered_on": REGISTERED,
}

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Sheet:
    """A file's rows: ``headers`` maps each header (spaces stripped) to the
    header as written; each row is its number and ``{header: text}``."""

    headers: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]

    def column(self, header: str) -> str:
        return self.headers.get(header, header)


@dataclass
class Checked:
    """The rows found wrong so far, as the answer lists them."""

    sheet: Sheet
    errors: list[dict[str, Any]] = field(default_factory=list)

    def wrong(self, row: int, header: str, code: str, message: str) -> None:
        self.errors.append(
            {
                "row": row,
                "column": self.sheet.column(header),
                "code": code,
                "message": message,
            }
        )

    def refuse(
        self, more: Sequence[RowError] = (), fields: Mapping[str, str] | None = None
    ) -> None:
        for error in more:
            header = (fields or {}).get(error.field or "", "")
            self.wrong(error.row, header, error.code, error.message)
        if self.errors:
            order = list(self.sheet.headers.values())
            errors = sorted(
                self.errors,
                key=lambda e: (
                    e["row"],
                    order.index(e["column"]) if e["column"] in order else len(order),
                ),
            )
            rows = len({e["row"] for e in errors})
            raise Problem(
                422,
                "invalid_rows",
                f"文件中有 {rows} 行有误，未作任何登记",
                errors=errors,
            )


# Reading files.


def read_sheet(content: bytes) -> Sheet:
    """The rows of a CSV or XLSX file; 422 for an empty file or one that is
    neither."""
    if not content.strip() or content.strip() == codecs.BOM_UTF8:
        raise Problem(422, "empty_file", "文件为空")
    if content.startswith(ZIP_MAGIC):
        table = _xlsx_rows(content)
    elif content.startswith(OLE_MAGIC) or b"\x00" in content:
        raise _unsupported("文件不是 CSV 或 XLSX（旧版 .xls 请另存为 .xlsx）")
    else:
        table = _csv_rows(content)
    return _sheet(table)


def _unsupported(detail: str) -> Problem:
    return Problem(422, "unsupported_file", detail)


def _decoded(content: bytes) -> str:
    encodings: tuple[str, ...]
    if content.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unsupported("CSV 文件的编码应为 UTF-8 或 GB18030")


def _csv_rows(content: bytes) -> list[list[str]]:
    text = _decoded(content)
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), strict=True):
            if len(rows) > MAX_ROWS:
                raise Problem(422, "too_many_rows", f"文件不能超过 {MAX_ROWS} 个数据行")
            rows.append(row[:MAX_COLUMNS])
    except csv.Error as error:
        raise _unsupported(f"无法读取 CSV 文件: {error}") from None
    return rows


def _check_zip(archive: zipfile.ZipFile, packed: int) -> None:
    """Refuses an archive that would unpack to far more than it weighs, by the
    sizes its entries declare, before anything is unpacked."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise _unsupported(f"XLSX 文件包含的条目过多（{len(entries)} 个）")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(packed, 1):
        raise _unsupported("XLSX 文件解压后过大，拒绝处理")


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError):
        raise _unsupported("文件不是有效的 XLSX") from None
    with archive:
        _check_zip(archive, len(content))
        if "xl/workbook.xml" not in archive.namelist():
            raise _unsupported("文件不是有效的 XLSX")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise _unsupported(f"无法读取 XLSX 文件: {type(error).__name__}") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return []
        columns = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
        rows: list[list[str]] = []
        for row in sheet.iter_rows(max_col=columns, values_only=True):
            if len(rows) > MAX_ROWS:
                raise Problem(422, "too_many_rows", f"文件不能超过 {MAX_ROWS} 个数据行")
            rows.append([_cell_text(value) for value in row])
        return rows
    except Problem:
        raise
    except Exception as error:  # a sheet broken part-way through
        raise _unsupported(f"无法读取 XLSX 文件: {type(error).__name__}") from None
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A cell as the text it shows: whole numbers without ``.0`` (phones
    typed as numbers), dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


def _sheet(table: list[list[str]]) -> Sheet:
    if not table or not any(cell.strip() for cell in table[0]):
        raise Problem(422, "empty_file", "文件为空，或第 1 行不是表头")
    written = [cell.strip() for cell in table[0]]
    headers: dict[str, str] = {}
    for header in written:
        if not header:
            continue
        if header in headers:
            raise Problem(
                422,
                "invalid_headers",
                f"表头“{header}”出现了两次",
                errors=[_header_error(header, "duplicate_header", "表头重复")],
            )
        headers[header] = header
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(table[1:], start=2):
        values = {
            written[i]: cell.strip()
            for i, cell in enumerate(cells)
            if i < len(written) and written[i]
        }
        if any(values.values()):
            rows.append((number, values))
    if not rows:
        raise Problem(422, "empty_file", "文件中没有数据行")
    return Sheet(headers, rows)


def _header_error(header: str, code: str, message: str) -> dict[str, Any]:
    return {"row": 1, "column": header, "code": code, "message": message}


def check_headers(
    sheet: Sheet,
    allowed: Sequence[str],
    required: Sequence[str],
    one_of: Sequence[str] = (),
) -> None:
    """Refuses unknown headers and missing required ones (422 invalid_headers)."""
    errors = [
        _header_error(
            h, "unknown_header", f"未知的表头“{h}”，可用：{'、'.join(allowed)}"
        )
        for h in sheet.headers
        if h not in allowed
    ]
    errors += [
        _header_error(h, "missing_header", f"缺少表头“{h}”")
        for h in required
        if h not in sheet.headers
    ]
    if one_of and not any(h in sheet.headers for h in one_of):
        errors.append(
            _header_error(
                one_of[0], "missing_header", f"缺少表头“{'”或“'.join(one_of)}”"
            )
        )
    if errors:
        raise Problem(
            422,
            "invalid_headers",
            "; ".join(e["message"] for e in errors),
            errors=errors,
        )


# Rosters.


@dataclass
class Roster:
    """A roster's new members, the rows of members already known, and the
    rows found wrong."""

    checked: Checked
    entries: list[RosterEntry]
    unchanged: int


RunRoster = Callable[[list[RosterEntry], int, bool], MembersImported]


def check_roster(
    queries: Queries,
    community_id: UUID,
    sheet: Sheet,
    progress: Progress | None = None,
) -> Roster:
    """Checks a roster against the read models (which must have reached the
    end of the log): phones known, grids and units by name."""
    check_headers(sheet, ROSTER_COLUMNS, ROSTER_REQUIRED)
    checked = Checked(sheet)
    grids = queries.grid_names(str(community_id)) if GRID in sheet.headers else {}
    units = queries.unit_names() if UNIT in sheet.headers else {}
    known = queries.members_by_phone(
        row.get(PHONE, "") for _, row in sheet.rows if row.get(PHONE)
    )
    first_row: dict[str, int] = {}
    entries: list[RosterEntry] = []
    unchanged = 0
    for number, row in sheet.rows:
        entry = _roster_entry(checked, number, row, grids, units, first_row)
        if entry is not None:
            if entry.phone in known:
                unchanged += 1
            else:
                entries.append(entry)
        if progress is not None:
            progress(1)
    return Roster(checked, entries, unchanged)


def _roster_entry(
    checked: Checked,
    number: int,
    row: dict[str, str],
    grids: dict[str, list[str]],
    units: dict[str, list[str]],
    first_row: dict[str, int],
) -> RosterEntry | None:
    wrong = len(checked.errors)
    phone = row.get(PHONE, "")
    if not phone:
        checked.wrong(number, PHONE, "validation_error", "手机号不能为空")
    else:
        digits = normalised_phone(phone)
        if digits in first_row:
            checked.wrong(
                number,
                PHONE,
                "duplicate_phone",
                f"手机号 {phone} 与第 {first_row[digits]} 行重复",
            )
        elif digits:
            first_row[digits] = number
    grid_id = _named(checked, number, GRID, row.get(GRID, ""), grids, "网格")
    unit_id = _named(checked, number, UNIT, row.get(UNIT, ""), units, "单位")
    registered_on = None
    registered = row.get(REGISTERED, "")
    if registered:
        try:
            if not ISO_DATE.fullmatch(registered):
                raise ValueError(registered)
            registered_on = date.fromisoformat(registered)
        except ValueError:
            checked.wrong(
                number,
                REGISTERED,
                "validation_error",
                f"登记日期“{registered}”的格式应为 YYYY-MM-DD",
            )
    if len(checked.errors) > wrong:
        return None
    return RosterEntry(
        number,
        row.get(NAME, ""),
        phone,
        row.get(POLITICS, "") in PARTY_MEMBERS,
        grid_id,
        unit_id,
        registered_on,
    )


def _named(
    checked: Checked,
    number: int,
    header: str,
    name: str,
    known: dict[str, list[str]],
    what: str,
) -> UUID | None:
    if not name:
        return None
    found = known.get(name, [])
    if len(found) == 1:
        return UUID(found[0])
    code = "unknown_grid" if header == GRID else "unknown_unit"
    if not found:
        checked.wrong(number, header, code, f"没有名为“{name}”的{what}")
    else:
        checked.wrong(
            number,
            header,
            code.replace("unknown", "ambiguous"),
            f"名为“{name}”的{what}不止一个",
        )
    return None


def import_roster(roster: Roster, run: RunRoster, dry_run: bool) -> MembersImported:
    """Runs the import command (checking only when asked to, or when some rows
    are already wrong, so every wrong row is named); any wrong row: 422."""
    checked = roster.checked
    try:
        result = run(roster.entries, roster.unchanged, dry_run or bool(checked.errors))
    except InvalidRows as error:
        checked.refuse(error.rows, ROSTER_FIELDS)
        raise
    checked.refuse()
    return result


# Sign-in sheets.


@dataclass
class SignInSheet:
    checked: Checked
    records: list[tuple[UUID, Decimal]]


def check_sign_in_sheet(
    queries: Queries,
    longest: Decimal,
    sheet: Sheet,
    progress: Progress | None = None,
) -> SignInSheet:
    """Checks a sign-in sheet: each row's member, by phone or volunteer
    number (and name, when given), and hours."""
    check_headers(sheet, SHEET_COLUMNS, (HOURS,), (PHONE, MEMBER_ID))
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
        wrong = len(checked.errors)
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
        if len(checked.errors) == wrong and member_id and hours is not None:
            records.append((UUID(member_id), hours))
        if progress is not None:
            progress(1)
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


def import_sign_in_sheet(
    sheet: SignInSheet,
    run: Callable[[list[tuple[UUID, Decimal]]], AttendanceWritten],
) -> AttendanceWritten:
    """Runs the attendance command once every row is right; else 422."""
    sheet.checked.refuse()
    return run(sheet.records)

"""Roster imports (花名册): a community's members registered from the
organiser's file, every row checked against the read models first, all rows
or none."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from api.services.read_models import caught_up
from api.sheets import Checked, Layout, Progress, Sheet
from api.system import System
from domain.commands.imports import RosterEntry
from domain.errors import InvalidRows
from domain.idempotency import RequestKey
from domain.results import MembersImported
from projections.phones import normalised_phone
from projections.queries import Queries

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NAME, PHONE, GRID, POLITICS, UNIT, REGISTERED = (
    "姓名",
    "手机号",
    "网格",
    "政治面貌",
    "单位",
    "登记日期",
)
COLUMNS = (NAME, PHONE, GRID, POLITICS, UNIT, REGISTERED)
REQUIRED = (NAME, PHONE)
ROSTER = Layout(COLUMNS, REQUIRED)
PARTY_MEMBERS = frozenset({"中共党员", "中共预备党员"})
# The column of each field a registration names in its row errors.
FIELDS = {
    "name": NAME,
    "phone": PHONE,
    "grid_id": GRID,
    "grid": GRID,
    "unit_id": UNIT,
    "party_member": POLITICS,
    "registered_on": REGISTERED,
}


def import_members(
    system: System,
    community_id: UUID,
    sheet: Sheet,
    actor: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    *,
    request: RequestKey | None = None,
) -> MembersImported:
    """Registers a roster's new members in one transaction; a row whose phone
    is known records nothing. Any wrong row refuses them all (InvalidCells,
    InvalidHeaders): the command then only checks, so that every wrong row is
    named, those it finds too."""
    roster = check_roster(caught_up(system), community_id, sheet, progress)
    checked = roster.checked
    try:
        imported = system.app.import_members(
            community_id,
            roster.entries,
            actor,
            roster.unchanged,
            dry_run or bool(checked.cells),
            request=request,
        )
    except InvalidRows as error:
        checked.refuse(error.rows, FIELDS)
        raise
    checked.refuse()
    return imported


@dataclass
class Roster:
    """A roster's new members, the rows of members already known, and the
    cells found wrong."""

    checked: Checked
    entries: list[RosterEntry]
    unchanged: int


def check_roster(
    queries: Queries,
    community_id: UUID,
    sheet: Sheet,
    progress: Progress | None = None,
) -> Roster:
    """Checks a roster (read as ``ROSTER`` lays it out) against the read
    models (which must have reached the end of the log): phones known, grids
    and units by name."""
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
    wrong = len(checked.cells)
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
    if len(checked.cells) > wrong:
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

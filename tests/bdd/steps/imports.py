"""Rosters (花名册) as an organiser's template lays them out: a merged title
and a date above the header, a footer below the data, saved by LibreOffice
as an Excel 97–2003 file and imported through the API."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from openpyxl.utils import get_column_letter
from pytest_bdd import given, then

from tests.bdd.drivers import Journey
from tests.bdd.vocabulary import given_or_when, names, step
from tests.organiser_files import Cell, Office, Template

WHOLE_NUMBER = re.compile(r"\d+")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def typed(text: str) -> Cell:
    """A table cell as an organiser types it: numbers as numbers (phones
    too), dates as dates, nothing for an empty cell."""
    if not text:
        return None
    if WHOLE_NUMBER.fullmatch(text):
        return int(text)
    if ISO_DATE.fullmatch(text):
        return date.fromisoformat(text)
    return text


@dataclass
class RosterFile:
    """The roster a scenario makes: its community, title, date line, footer,
    and its header and data as the feature's table gives them."""

    community: str = ""
    title: str = ""
    dated: str = ""
    footer: tuple[str, ...] = ()
    table: list[list[str]] = field(default_factory=list)

    def template(self) -> Template:
        header, *data = self.table
        width = len(header)
        signed = (None,) * (width // 2 - 1)
        rows: tuple[tuple[Cell, ...], ...] = (
            (self.title,),
            (None,) * (width - 1) + (self.dated,),
            tuple(header),
            *(tuple(typed(cell) for cell in row) for row in data),
            (),
            (self.footer[0], *signed, *self.footer[1:]),
        )
        name = "roster-" + hashlib.sha256(repr(rows).encode()).hexdigest()[:12]
        return Template(name, rows, (f"A1:{get_column_letter(width)}1",))


@pytest.fixture
def roster_file() -> RosterFile:
    return RosterFile()


@given(step('"{community}"的花名册第 1 行是合并的标题"{title}"，第 2 行写着"{dated}"'))
def roster_titled(
    roster_file: RosterFile, community: str, title: str, dated: str
) -> None:
    roster_file.community = community
    roster_file.title, roster_file.dated = title, dated


@given(step('花名册的数据下面空一行，写着"{signed}"和"{checked}"'))
def roster_signed(roster_file: RosterFile, signed: str, checked: str) -> None:
    roster_file.footer = (signed, checked)


@given(step("花名册的表头和数据是："))
def roster_rows(roster_file: RosterFile, datatable: list[list[str]]) -> None:
    roster_file.table = datatable


@given_or_when("{who:Role}{done:Done}导入这份 .xls 花名册")
def roster_imported(
    journey: Journey, office: Office, roster_file: RosterFile, who: str, done: bool
) -> None:
    content = office.file(roster_file.template(), "xls")
    url = f"/v1/communities/{journey.id(roster_file.community)}/members/import"
    response = journey.upload(who, url, "花名册.xls", content)
    assert response.is_success or not done, response.text


ANSWERED = (
    "回答说表头在第 {row:d} 行，共 {rows:d} 行，"
    "新登记 {created:d} 人，已有 {unchanged:d} 人"
)


@then(step(ANSWERED))
def import_answered(
    journey: Journey, row: int, rows: int, created: int, unchanged: int
) -> None:
    answer = journey.answer()
    found = (
        answer["header_row"],
        answer["rows"],
        answer["created"],
        answer["unchanged"],
    )
    assert found == (row, rows, created, unchanged)


@then(step('回答中已忽略的列是"{columns}"'))
def columns_ignored(journey: Journey, columns: str) -> None:
    assert journey.answer()["ignored_columns"] == names(columns)


@then(step('"{community}"登记了"{name}"，手机号"{phone}"，登记日期 {day:Date}'))
def member_imported(
    journey: Journey, community: str, name: str, phone: str, day: date
) -> None:
    url = f"/v1/communities/{journey.id(community)}/members"
    [member] = journey.read("管理员", url, q=name).json()["items"]
    assert (member["name"], member["phone"]) == (name, phone)
    assert member["registered_on"] == day.isoformat()


@then(step('错误指出第 {row:d} 行的"{column}"'))
def error_names_cell(journey: Journey, row: int, column: str) -> None:
    errors = journey.refusal().json()["errors"]
    assert (row, column) in [(error["row"], error["column"]) for error in errors]

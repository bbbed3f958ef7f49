"""The organiser's files read into rows: CSV (UTF-8, UTF-8 with a BOM,
GB18030), XLSX and XLS (``formats``), as their templates lay them out, with
titles above the header, columns the import does not use and a footer
(``layout``), each row numbered as the spreadsheet shows it. A file is
refused as a whole, naming every wrong cell (``errors``); the rules its rows
must keep are the use cases' (api/services/rosters.py,
api/services/sign_in_sheets.py)."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from api.sheets.errors import (
    EmptyFile,
    FileRefused,
    InvalidCells,
    InvalidHeaders,
    TooManyRows,
    UnsupportedFile,
    WrongCell,
)
from api.sheets.formats import MAX_COLUMNS, MAX_ROWS, read_table
from api.sheets.layout import Layout, laid_out
from domain.errors import RowError
from domain.results import Result

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "Checked",
    "EmptyFile",
    "FileRefused",
    "InvalidCells",
    "InvalidHeaders",
    "Layout",
    "Progress",
    "Sheet",
    "TooManyRows",
    "UnsupportedFile",
    "WrongCell",
    "read_sheet",
]

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Sheet:
    """A file's data rows: ``headers`` maps each header the import knows
    (spaces taken out) to the header as written; each row is its number and
    ``{header: text}``; ``header_row`` is the header's row number,
    ``ignored_columns`` the headers of the columns not read, as written;
    ``digest`` is the SHA-256 of the file's bytes."""

    headers: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]
    digest: str = ""
    header_row: int = 1
    ignored_columns: list[str] = field(default_factory=list)

    def column(self, header: str) -> str:
        return self.headers.get(header, header)

    def answer(self, result: Result) -> dict[str, Any]:
        """An import's result with the file's layout beside it: ``rows``
        (unless the result counts them itself), ``header_row`` and
        ``ignored_columns``."""
        return (
            {"rows": len(self.rows)}
            | asdict(result)
            | {
                "header_row": self.header_row,
                "ignored_columns": list(self.ignored_columns),
            }
        )


def read_sheet(content: bytes, layout: Layout) -> Sheet:
    """The data rows of a CSV, XLSX or XLS file laid out for ``layout``.
    Raises EmptyFile, UnsupportedFile, TooManyRows, or InvalidHeaders for a
    required header missing or a known one written twice."""
    if not content.strip() or content.strip() == codecs.BOM_UTF8:
        raise EmptyFile("文件为空")
    found = laid_out(read_table(content), layout)
    digest = hashlib.sha256(content).hexdigest()
    return Sheet(
        found.headers, found.rows, digest, found.header_row, found.ignored_columns
    )


@dataclass
class Checked:
    """The cells of a sheet found wrong so far."""

    sheet: Sheet
    cells: list[WrongCell] = field(default_factory=list)

    def wrong(self, row: int, header: str, code: str, message: str) -> None:
        self.cells.append(WrongCell(row, self.sheet.column(header), code, message))

    def refuse(
        self, more: Sequence[RowError] = (), fields: Mapping[str, str] | None = None
    ) -> None:
        """Raises InvalidCells if any cell is wrong, with ``more`` (a
        command's row errors, their fields named as ``fields`` maps them to
        headers), in the order of the rows and then of the columns."""
        for error in more:
            header = (fields or {}).get(error.field or "", "")
            self.wrong(error.row, header, error.code, error.message)
        if not self.cells:
            return
        order = list(self.sheet.headers.values())

        def place(cell: WrongCell) -> tuple[int, int]:
            column = order.index(cell.column) if cell.column in order else len(order)
            return cell.row, column

        cells = sorted(self.cells, key=place)
        rows = len({cell.row for cell in cells})
        raise InvalidCells(f"文件中有 {rows} 行有误，未作任何登记", cells)

"""Rows of a large XLSX sheet, written quickly: XlsxWriter's worksheet in
constant-memory mode, with a whole row of plain cells written at once, as
XlsxWriter itself would write it.

XlsxWriter stores each cell of the current row, then writes it through its
general cell writer; that costs about 10 µs a cell, and a 台账 of 100,000
attendances is a million cells. A row whose text needs no escaping (nearly
all of them) is written here as one XML fragment; any other row goes through
XlsxWriter's own writers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

Cell = str | int | float | date | None

# Text XlsxWriter would escape, mark as _xHHHH_, or keep the whitespace of, in
# the texts of one row joined by "|" (so a "|" in a text can only make a row
# look less plain than it is, never more).
NOT_PLAIN = re.compile(
    r'["&<>\x00-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_|(?:^|\|)\s|\s(?:\||$)'
)
# Excel's day 0, as Excel counts days after 28 February 1900.
EPOCH = date(1899, 12, 30)


def plain(cells: Sequence[Cell]) -> bool:
    texts = [v for v in cells if type(v) is str]
    return NOT_PLAIN.search("|".join(texts)) is None


class InlineRows(Worksheet):  # type: ignore[misc]  # XlsxWriter ships no types
    """A constant-memory worksheet that also writes whole rows of cells, each
    column in the style set for it."""

    styles: Sequence[Format | None] = ()
    styled: Sequence[str] = ()
    references: Sequence[str] = ()

    def set_line_styles(self, styles: Sequence[Format | None]) -> None:
        """The style of each column of the rows :meth:`write_line` writes."""
        self.styles = styles
        self.styled = [
            "" if style is None else f' s="{style._get_xf_index()}"' for style in styles
        ]
        self.references = [xl_col_to_name(col) for col in range(len(styles))]

    def write_line(self, row: int, cells: Sequence[Cell]) -> None:
        """Writes the cells of ``row``, after every row written so far: text,
        numbers and dates; None and "" leave a cell empty."""
        if not plain(cells):
            self.write_cells(row, cells)
            return
        if row > self.previous_row:
            self._write_single_row(row)
        self._check_dimensions(row, 0)
        self._check_dimensions(row, len(cells) - 1)
        number = row + 1
        parts = [f'<row r="{number}">']
        for value, styled, column in zip(
            cells, self.styled, self.references, strict=True
        ):
            if value is None or value == "":
                continue
            if type(value) is str:
                parts.append(
                    f'<c r="{column}{number}"{styled} t="inlineStr">'
                    f"<is><t>{value}</t></is></c>"
                )
                continue
            if isinstance(value, date):
                value = (value - EPOCH).days
            parts.append(
                f'<c r="{column}{number}"{styled}><v>{float(value):.16G}</v></c>'
            )
        parts.append("</row>")
        self.fh.write("".join(parts))

    def write_cells(self, row: int, cells: Sequence[Cell]) -> None:
        """Writes the cells of ``row`` through XlsxWriter's own writers."""
        for col, (value, style) in enumerate(zip(cells, self.styles, strict=True)):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                self.write_string(row, col, value, style)
            elif isinstance(value, date):
                self.write_datetime(row, col, value, style)
            else:
                self.write_number(row, col, value, style)

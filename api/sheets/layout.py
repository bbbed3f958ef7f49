"""Where the data sits in a sheet made from an organiser's template: the
header row is the first of the first ten rows that holds the headers an
import requires (a title and a date above it are skipped); columns the
import does not know are ignored and named; blank rows are skipped anywhere;
and the footer is skipped: from the first row starting with 填表人, 审核人,
制表 or 合计 on, and the rows at the end of the data whose only text sits
in their first cell. Rows keep the numbers the spreadsheet shows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from api.sheets.errors import EmptyFile, InvalidHeaders, WrongCell
from api.sheets.formats import MAX_ROWS, Table, too_many_rows

HEADER_ROWS = 10
FOOTER_WORDS = ("填表人", "审核人", "制表", "合计")


def plain(text: str) -> str:
    """A header as it is matched: without any space, full-width or not."""
    return "".join(text.split())


@dataclass(frozen=True)
class Layout:
    """The headers an import reads: those it ``knows``, those it requires,
    and those of which it requires at least one (``one_of``)."""

    knows: tuple[str, ...]
    required: tuple[str, ...]
    one_of: tuple[str, ...] = ()

    def lacking(self, headers: Iterable[str], row: int) -> list[WrongCell]:
        """A ``missing_header`` cell for each required header that a header
        row (``headers``, the spreadsheet's row ``row``) lacks."""
        held = set(headers)
        lacked = [(h, h) for h in self.required if h not in held]
        if self.one_of and not held.intersection(self.one_of):
            lacked.append((self.one_of[0], "”或“".join(self.one_of)))
        return [
            WrongCell(row, column, "missing_header", f"缺少表头“{shown}”")
            for column, shown in lacked
        ]


@dataclass(frozen=True)
class Found:
    """A sheet's header row and data rows, as ``Layout`` finds them."""

    header_row: int
    headers: dict[str, str]
    ignored_columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def laid_out(table: Table, layout: Layout) -> Found:
    """The header row and the data rows of ``table`` (row numbers as the
    spreadsheet shows them). Raises EmptyFile, InvalidHeaders or
    TooManyRows."""
    if not any(_texts(cells) for cells in table):
        raise EmptyFile("文件为空")
    at = header_index(table, layout)
    header_row = at + 1
    written = [cell.strip() for cell in table[at]]
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    twice: list[WrongCell] = []
    for index, header in enumerate(written):
        key = plain(header)
        if key in layout.knows and key in headers:
            message = f"表头“{header}”出现了两次"
            twice.append(WrongCell(header_row, header, "duplicate_header", message))
        elif key in layout.knows:
            headers[key] = header
            columns[index] = key
        elif key:
            ignored.append(header)
    if twice:
        raise InvalidHeaders("；".join(cell.message for cell in twice), twice)
    rows = data_rows(table, at, columns)
    if not rows:
        raise EmptyFile(f"第 {header_row} 行的表头之下没有数据行")
    if len(rows) > MAX_ROWS:
        raise too_many_rows()
    return Found(header_row, headers, ignored, rows)


def header_index(table: Table, layout: Layout) -> int:
    """The index of the first row, among the first ten, that holds the
    headers ``layout`` requires; else raises InvalidHeaders naming what the
    likeliest header row lacks."""
    first = table[:HEADER_ROWS]
    known = [
        [plain(cell) for cell in cells if plain(cell) in layout.knows]
        for cells in first
    ]
    for index, headers in enumerate(known):
        if headers and not layout.lacking(headers, index + 1):
            return index
    most = max(range(len(first)), key=lambda index: len(set(known[index])))
    if known[most]:
        where = f"第 {most + 1} 行的表头不全"
    else:
        most = next((i for i, cells in enumerate(first) if _texts(cells)), 0)
        where = f"前 {HEADER_ROWS} 行中没有找到表头"
    errors = layout.lacking(known[most], most + 1)
    raise InvalidHeaders(where + "：" + "；".join(e.message for e in errors), errors)


def data_rows(
    table: Table, header_at: int, columns: dict[int, str]
) -> list[tuple[int, dict[str, str]]]:
    """The rows below the header that hold text in a column the import knows,
    without the footer."""
    rows: list[tuple[int, dict[str, str]]] = []
    first_cell_only: list[bool] = []
    for index in range(header_at + 1, len(table)):
        texts = _texts(table[index])
        if not texts:
            continue
        if is_footer_start(texts):
            break
        values = {key: texts.get(i, "") for i, key in columns.items()}
        if any(values.values()):
            rows.append((index + 1, values))
            first_cell_only.append(list(texts) == [0])
        if len(rows) > MAX_ROWS:
            raise too_many_rows()
    while first_cell_only and first_cell_only[-1]:
        first_cell_only.pop()
        rows.pop()
    return rows


def is_footer_start(texts: dict[int, str]) -> bool:
    """Whether a row's first text starts with 填表人, 审核人, 制表 or 合计
    (with a colon or not)."""
    first = plain(texts[min(texts)]) if texts else ""
    return first.startswith(FOOTER_WORDS)


def _texts(cells: Sequence[str]) -> dict[int, str]:
    """A row's cells that hold text, by their column's index."""
    return {i: cell.strip() for i, cell in enumerate(cells) if cell.strip()}

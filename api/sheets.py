"""The organiser's files read into rows: CSV (UTF-8, UTF-8 with a BOM,
GB18030) and XLSX, each row numbered as the spreadsheet shows it (the header
being row 1). A file is refused as a whole, naming every wrong cell; the rules
its rows must keep are the use cases' (api/services/rosters.py,
api/services/sign_in_sheets.py)."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from domain.errors import InvalidCommand, RowError

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 1_000
MAX_ROWS = 100_000
MAX_COLUMNS = 64
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"

Progress = Callable[[int], None]


@dataclass(frozen=True)
class WrongCell:
    """One wrong cell, by its row and column as the file shows them."""

    row: int
    column: str
    code: str
    message: str


class FileRefused(InvalidCommand):
    """Raised when an organiser's file is refused as a whole; nothing is
    recorded. ``cells`` names every wrong cell found."""

    code = "invalid_file"

    def __init__(self, message: str, cells: Sequence[WrongCell] = ()) -> None:
        super().__init__(message)
        self.cells = list(cells)

    def extensions(self) -> dict[str, Any]:
        if not self.cells:
            return {}
        return {"errors": [asdict(cell) for cell in self.cells]}


class EmptyFile(FileRefused):
    """Raised when a file has no header row or no data row."""

    code = "empty_file"


class UnsupportedFile(FileRefused):
    """Raised when a file is neither CSV nor XLSX, or cannot be read as one."""

    code = "unsupported_file"


class TooManyRows(FileRefused):
    """Raised when a file has more data rows than one import takes."""

    code = "too_many_rows"


class InvalidHeaders(FileRefused):
    """Raised when a header is unknown, missing or written twice."""

    code = "invalid_headers"


class InvalidCells(FileRefused):
    """Raised when rows of a file are wrong; names every wrong cell."""

    code = "invalid_rows"


@dataclass(frozen=True)
class Sheet:
    """A file's rows: ``headers`` maps each header (spaces stripped) to the
    header as written; each row is its number and ``{header: text}``;
    ``digest`` is the SHA-256 of the file's bytes."""

    headers: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]
    digest: str = ""

    def column(self, header: str) -> str:
        return self.headers.get(header, header)


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


def read_sheet(content: bytes) -> Sheet:
    """The rows of a CSV or XLSX file. Raises EmptyFile, UnsupportedFile,
    TooManyRows, or InvalidHeaders for a header written twice."""
    if not content.strip() or content.strip() == codecs.BOM_UTF8:
        raise EmptyFile("文件为空")
    if content.startswith(ZIP_MAGIC):
        table = _xlsx_rows(content)
    elif content.startswith(OLE_MAGIC) or b"\x00" in content:
        raise UnsupportedFile("文件不是 CSV 或 XLSX（旧版 .xls 请另存为 .xlsx）")
    else:
        table = _csv_rows(content)
    return _sheet(table, hashlib.sha256(content).hexdigest())


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
    raise UnsupportedFile("CSV 文件的编码应为 UTF-8 或 GB18030")


def _too_many_rows() -> TooManyRows:
    return TooManyRows(f"文件不能超过 {MAX_ROWS} 个数据行")


def _csv_rows(content: bytes) -> list[list[str]]:
    text = _decoded(content)
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), strict=True):
            if len(rows) > MAX_ROWS:
                raise _too_many_rows()
            rows.append(row[:MAX_COLUMNS])
    except csv.Error as error:
        raise UnsupportedFile(f"无法读取 CSV 文件: {error}") from None
    return rows


def _check_zip(archive: zipfile.ZipFile, packed: int) -> None:
    """Refuses an archive that would unpack to far more than it weighs, by the
    sizes its entries declare, before anything is unpacked."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise UnsupportedFile(f"XLSX 文件包含的条目过多（{len(entries)} 个）")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(packed, 1):
        raise UnsupportedFile("XLSX 文件解压后过大，拒绝处理")


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError):
        raise UnsupportedFile("文件不是有效的 XLSX") from None
    with archive:
        _check_zip(archive, len(content))
        if "xl/workbook.xml" not in archive.namelist():
            raise UnsupportedFile("文件不是有效的 XLSX")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise UnsupportedFile(f"无法读取 XLSX 文件: {type(error).__name__}") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return []
        columns = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
        rows: list[list[str]] = []
        for row in sheet.iter_rows(max_col=columns, values_only=True):
            if len(rows) > MAX_ROWS:
                raise _too_many_rows()
            rows.append([_cell_text(value) for value in row])
        return rows
    except TooManyRows:
        raise
    except Exception as error:  # a sheet broken part-way through
        raise UnsupportedFile(f"无法读取 XLSX 文件: {type(error).__name__}") from None
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


def _sheet(table: list[list[str]], digest: str) -> Sheet:
    if not table or not any(cell.strip() for cell in table[0]):
        raise EmptyFile("文件为空，或第 1 行不是表头")
    written = [cell.strip() for cell in table[0]]
    headers: dict[str, str] = {}
    for header in written:
        if not header:
            continue
        if header in headers:
            raise InvalidHeaders(
                f"表头“{header}”出现了两次",
                [_header_error(header, "duplicate_header", "表头重复")],
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
        raise EmptyFile("文件中没有数据行")
    return Sheet(headers, rows, digest)


def _header_error(header: str, code: str, message: str) -> WrongCell:
    return WrongCell(1, header, code, message)


def check_headers(
    sheet: Sheet,
    allowed: Sequence[str],
    required: Sequence[str],
    one_of: Sequence[str] = (),
) -> None:
    """Raises InvalidHeaders for unknown headers and missing required ones."""
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
        raise InvalidHeaders("; ".join(e.message for e in errors), errors)

"""The files an organiser's sheet comes in, each read into a table of the
texts its cells show, row by row from the spreadsheet's first: CSV (UTF-8,
UTF-8 with a BOM, GB18030), XLSX, and Excel 97–2003 XLS. Hostile files are
refused before they cost much: an XLSX by the sizes its archive declares, an
XLS by its size and the sizes its container declares, either by its number
of rows."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from api.sheets.errors import TooManyRows, UnsupportedFile

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 1_000
MAX_XLS_BYTES = 8 * 1024 * 1024
MAX_ROWS = 100_000
# Rows read besides the data rows: titles, blank rows, a footer.
MAX_OTHER_ROWS = 1_000
MAX_COLUMNS = 64
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"

Table = list[list[str]]


def too_many_rows() -> TooManyRows:
    return TooManyRows(f"文件不能超过 {MAX_ROWS} 个数据行")


def read_table(content: bytes) -> Table:
    """The texts of a CSV, XLSX or XLS file's cells (of an XLSX's or XLS's
    first sheet). Raises UnsupportedFile or TooManyRows."""
    if content.startswith(ZIP_MAGIC):
        return _xlsx_rows(content)
    if content.startswith(OLE_MAGIC):
        return _xls_rows(content)
    if b"\x00" in content:
        raise UnsupportedFile("文件不是 CSV、XLSX 或 XLS")
    return _csv_rows(content)


def _counted(rows: Table) -> None:
    if len(rows) > MAX_ROWS + MAX_OTHER_ROWS:
        raise too_many_rows()


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


def _csv_rows(content: bytes) -> Table:
    text = _decoded(content)
    rows: Table = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), strict=True):
            _counted(rows)
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


def _xlsx_rows(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, NotImplementedError):
        # NotImplementedError: an entry needing a later zip version to open.
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
        rows: Table = []
        for row in sheet.iter_rows(max_col=columns, values_only=True):
            _counted(rows)
            rows.append([cell_text(value) for value in row])
        return rows
    except TooManyRows:
        raise
    except Exception as error:  # a sheet broken part-way through
        raise UnsupportedFile(f"无法读取 XLSX 文件: {type(error).__name__}") from None
    finally:
        workbook.close()


def _workbook_stream(content: bytes) -> bytes:
    """The workbook inside an XLS file's compound document, read with
    olefile, whose loops are bounded: xlrd's own reader of the container
    follows a sector chain that loops back on itself forever. A stream
    declaring more than the file holds is refused before it is read."""
    import olefile

    try:
        strict = olefile.DEFECT_INCORRECT
        with olefile.OleFileIO(io.BytesIO(content), raise_defects=strict) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                raise UnsupportedFile(
                    "文件中没有 Excel 工作簿（若设有密码，请取消密码后再导入）"
                )
            if max(ole.get_size(name), ole.root.size) > len(content):
                raise UnsupportedFile("XLS 文件已损坏：记录的长度超过了文件本身")
            stream: bytes = ole.openstream(name).read()
            return stream
    except UnsupportedFile:
        raise
    except Exception as error:  # olefile raises many kinds on a broken file
        raise UnsupportedFile(_xls_refusal(error)) from None


def _xls_rows(content: bytes) -> Table:
    import xlrd

    if len(content) > MAX_XLS_BYTES:
        raise UnsupportedFile(f"XLS 文件不能超过 {MAX_XLS_BYTES // 2**20} MB")
    workbook = _workbook_stream(content)
    try:
        # xlrd writes its warnings to a log file, standard output unless told.
        book = xlrd.open_workbook(
            file_contents=workbook, on_demand=True, logfile=io.StringIO()
        )
    except Exception as error:  # xlrd raises many kinds on a broken file
        raise UnsupportedFile(_xls_refusal(error)) from None
    try:
        if book.nsheets == 0:
            return []
        sheet = book.sheet_by_index(0)
        if sheet.nrows > MAX_ROWS + MAX_OTHER_ROWS:
            raise too_many_rows()
        columns = min(sheet.ncols, MAX_COLUMNS)
        return [
            [
                _xls_text(sheet.cell(row, column), book.datemode)
                for column in range(min(columns, sheet.row_len(row)))
            ]
            for row in range(sheet.nrows)
        ]
    except TooManyRows:
        raise
    except Exception as error:  # a sheet broken part-way through
        raise UnsupportedFile(_xls_refusal(error)) from None
    finally:
        book.release_resources()


def _xls_refusal(error: Exception) -> str:
    if "encrypted" in str(error).lower():
        return "XLS 文件设有密码，请取消密码后再导入"
    return f"无法读取 XLS 文件（可能已损坏）: {type(error).__name__}"


def _xls_text(cell: Any, datemode: int) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate_as_tuple(cell.value, datemode)
        except xlrd.XLDateError:
            return cell_text(cell.value)
        if moment[:3] == (0, 0, 0):
            return time(*moment[3:]).isoformat()
        return cell_text(datetime(*moment))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return str(xlrd.error_text_from_code.get(cell.value, ""))
    return cell_text(cell.value)


def cell_text(value: object) -> str:
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

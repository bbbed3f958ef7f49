"""Why an organiser's file is refused: as a whole, naming every wrong cell by
its row and column as the spreadsheet shows them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from domain.errors import InvalidCommand


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
    """Raised when a file is neither CSV, XLSX nor XLS, or cannot be read as
    one."""

    code = "unsupported_file"


class TooManyRows(FileRefused):
    """Raised when a file has more data rows than one import takes."""

    code = "too_many_rows"


class InvalidHeaders(FileRefused):
    """Raised when a required header is missing or a known one is written
    twice."""

    code = "invalid_headers"


class InvalidCells(FileRefused):
    """Raised when rows of a file are wrong; names every wrong cell."""

    code = "invalid_rows"

"""The files organisers really have, made for the tests by LibreOffice from
the tests' own data: a template's rows are written with openpyxl (merged
titles, numbers as numbers, dates as dates), then saved by ``soffice`` as an
Excel 97–2003 ``.xls`` or as its own ``.xlsx``, once a session."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

Cell = object
FORMATS = ("xls", "xlsx")


@dataclass(frozen=True)
class Template:
    """A sheet as an organiser's template lays it out: its rows from row 1
    (``None`` for an empty cell, a blank row as ``()``) and the ranges its
    merged cells cover, such as ``"A1:I1"``."""

    name: str
    rows: tuple[tuple[Cell, ...], ...]
    merged: tuple[str, ...] = ()

    def workbook(self, folder: Path) -> Path:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for number, row in enumerate(self.rows, start=1):
            for column, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=number, column=column, value=value)
        for cells in self.merged:
            sheet.merge_cells(cells)
        path = folder / f"{self.name}.xlsx"
        book.save(path)
        return path


class Office:
    """LibreOffice, saving templates in the formats organisers send; each
    template and format is converted once, and many in one run."""

    def __init__(self, folder: Path, soffice: str) -> None:
        self.folder = folder
        self.soffice = soffice
        self.made: dict[tuple[Template, str], bytes] = {}

    def files(self, templates: Sequence[Template], suffix: str) -> list[bytes]:
        """The templates saved as ``suffix`` files (``xls`` or ``xlsx``)."""
        assert suffix in FORMATS
        wanted = [t for t in dict.fromkeys(templates) if (t, suffix) not in self.made]
        if wanted:
            self._convert(wanted, suffix)
        return [self.made[template, suffix] for template in templates]

    def file(self, template: Template, suffix: str) -> bytes:
        return self.files([template], suffix)[0]

    def _convert(self, templates: Sequence[Template], suffix: str) -> None:
        run = self.folder / f"run-{len(self.made)}-{suffix}"
        sources, out = run / "sources", run / suffix
        sources.mkdir(parents=True)
        paths = [str(template.workbook(sources)) for template in templates]
        # A profile of its own, so that parallel runs do not wait on each other.
        profile = (self.folder / "profile").as_uri()
        command = [
            self.soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            suffix,
            "--outdir",
            str(out),
            *paths,
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180)
        for template in templates:
            path = out / f"{template.name}.{suffix}"
            assert path.exists(), f"soffice did not write {path}: {done.stderr}"
            self.made[template, suffix] = path.read_bytes()


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed, so the real .xls and .xlsx "
            "files cannot be made: apt-get install libreoffice-calc-nogui"
        )
    return Office(tmp_path_factory.mktemp("office"), soffice)

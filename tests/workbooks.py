"""Workbooks for the tests, saved as a program other than Excel might leave them."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook


def saved(book: Workbook, part: str = "", edit: Callable[[bytes], bytes] | None = None) -> bytes:
    """The workbook's bytes; with `edit`, one part of the package (e.g. the first sheet's
    XML, 'xl/worksheets/sheet1.xml') rewritten by it."""
    raw = io.BytesIO()
    book.save(raw)
    if edit is None:
        return raw.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, edit(data) if item.filename == part else data)
    return out.getvalue()


def saved_by_libreoffice(paths: list[Path], here: Path) -> Path:
    """The folder where LibreOffice (`soffice --headless --convert-to xlsx`, one run for all
    of `paths`) saved each workbook again, under its own name."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed: `make libreoffice` (Debian's libreoffice-calc)"
    out = here / "libreoffice"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{here}/profile", "--headless"]
        + ["--convert-to", "xlsx", "--outdir", str(out)]
        + [str(p) for p in paths],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out

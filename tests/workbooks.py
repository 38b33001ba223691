"""Workbooks for the tests, saved as a program other than Excel might leave them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

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

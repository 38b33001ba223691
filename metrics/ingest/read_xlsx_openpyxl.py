"""The slow way to read a workbook, cell by cell through openpyxl: kept only for a sheet whose
cells carry no `r="A1"` reference (allowed by the standard, written by a few programs), where
the streamed scan of xlsx_scan.py cannot place its percentages and formulas. read_xlsx.py reads
every other workbook; this one keeps the old 10 MB limit (openpyxl takes some 70 MB and 20 s
per MB)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time
from typing import Any

import pyarrow as pa

from metrics.ingest.raw import (
    MAX_CELL_CHARS,
    PERCENT_DECIMALS,
    FileProblem,
    RawTable,
    choose_sheet,
)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


# Reading Excel costs some 70 MB of memory and 20 seconds per MB of workbook (a workbook
# packs about 30,000 rows into a MB); CSV costs a fifteenth of that. A quarterly return is
# rarely 1 MB; a larger workbook is refused with the way round it, so that checking any
# upload stays within 1 GB (make bench measures a workbook just under this size).
MAX_WORKBOOK_MB = 10
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def read_xlsx_openpyxl(content: bytes, sheet: str | None = None) -> RawTable:
    """Read a workbook; anything a damaged workbook raises becomes one plain message."""
    from xml.etree.ElementTree import ParseError

    size = len(content) / 1024 / 1024
    if size > MAX_WORKBOOK_MB:
        raise FileProblem(
            f"This workbook is {size:,.1f} MB and its cells have no references (A1, B1, ...), "
            f"so it is read cell by cell, which we do only up to {MAX_WORKBOOK_MB} MB. Open "
            "it in Excel and save it again as .xlsx, or save it as CSV UTF-8 and upload that."
        )
    try:
        return _read_xlsx(content, sheet)
    except FileProblem:
        raise
    except (zipfile.BadZipFile, ParseError, KeyError, IndexError, OSError, ValueError) as err:
        raise FileProblem(
            f"This workbook could not be read: {type(err).__name__}: {str(err)[:200]}. "
            "Open it in Excel, save it again as .xlsx (or as CSV UTF-8) and upload it again."
        ) from err


def _read_xlsx(content: bytes, wanted: str | None = None) -> RawTable:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    names = book.sheetnames
    sheet_name, notes = choose_sheet(names, wanted)
    sheet = book[sheet_name]
    sheet.reset_dimensions()  # the saved <dimension> may be out of date: read every row
    rows: list[list[str]] = []
    percent: set[tuple[int, int]] = set()
    empties: list[tuple[int, int]] = []
    for r, row in enumerate(sheet.iter_rows(), start=1):
        texts = []
        for c, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if value is None:
                empties.append((r, c))
            elif isinstance(value, (int, float)) and "%" in (cell.number_format or ""):
                percent.add((r, c))
                value = round(value * 100, PERCENT_DECIMALS)  # 45% is stored as 0.45
            text = _cell_text(value)
            if "\x00" in text or len(text) > MAX_CELL_CHARS:
                what = "a NUL byte" if "\x00" in text else f"{len(text):,} characters"
                raise FileProblem(
                    f"Row {r}, column {c + 1} of the sheet {sheet_name!r} holds {what}, which "
                    "no return needs. Shorten or clear the cell and upload the file again."
                )
            texts.append(text)
        rows.append(texts)
    book.close()
    while rows and not any(v.strip() for v in rows[-1]):
        rows.pop()
    if not rows:
        raise FileProblem(
            f"The sheet {sheet_name!r} is empty. Fill in the template's Return sheet."
        )
    header = rows[0]
    while header and not header[-1].strip():
        header.pop()
    width = max(len(header), max(len(r) for r in rows))
    columns = [[(r[i] if i < len(r) else "") for r in rows[1:]] for i in range(width)]
    cells = pa.table({f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)})
    part = getattr(sheet, "_worksheet_path", None)
    gaps = _formula_gaps(content, sheet_name, {e for e in empties if e[0] > 1}, part)
    return RawTable(
        header=header,
        cells=cells,
        row_no=range(2, len(rows) + 1),
        notes=notes,
        sheet=sheet_name,
        percent_cells={(r, c) for r, c in percent},
        formula_gaps=gaps,
    )


def _formula_gaps(
    content: bytes, sheet_name: str, empties: set[tuple[int, int]], part: str | None = None
) -> list[tuple[int, int]]:
    """Cells holding a formula whose value was never calculated (saved by a program, not Excel)."""
    if not empties or (part is not None and not _has_formulas(content, part)):
        return []  # reading the sheet a second time costs as much as the first
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    sheet = book[sheet_name]
    sheet.reset_dimensions()
    gaps = []
    for r, row in enumerate(sheet.iter_rows(), start=1):
        for c, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if (r, c) in empties and isinstance(value, str) and value.startswith("="):
                gaps.append((r, c))
    book.close()
    return gaps


def _has_formulas(content: bytes, part: str) -> bool:
    """Whether the sheet's XML (the zip member `part`) holds any formula element (<f ...>,
    with or without a namespace prefix)."""
    with zipfile.ZipFile(io.BytesIO(content)) as book, book.open(part) as xml:
        tail = b""
        while chunk := xml.read(1 << 20):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False

"""Read an uploaded Excel workbook (.xlsx) into a table of text cells, keeping Excel row
numbers: the sheet named 'Return' (or the one a provider's layout names, else the first),
percentages as the analyst sees them, formulas that were never calculated noted."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time
from typing import Any

import pyarrow as pa

from metrics.ingest.raw import MAX_CELL_CHARS, PREFERRED_SHEET, FileProblem, RawTable


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


def read_xlsx(content: bytes, sheet: str | None = None) -> RawTable:
    """Read a workbook; anything a damaged workbook raises becomes one plain message."""
    from xml.etree.ElementTree import ParseError

    size = len(content) / 1024 / 1024
    if size > MAX_WORKBOOK_MB:
        raise FileProblem(
            f"This workbook is {size:,.1f} MB; workbooks over {MAX_WORKBOOK_MB} MB are not "
            "read here (Excel takes far more memory and time to read than CSV, and a "
            "quarterly return is rarely over 1 MB). Save it as CSV UTF-8 and upload that."
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
    sheet_name = PREFERRED_SHEET if PREFERRED_SHEET in names else names[0]
    notes = []
    if wanted is not None and not (wanted not in names and PREFERRED_SHEET in names):
        if wanted not in names:
            raise FileProblem(
                f"The workbook has no sheet named {wanted!r}, which this layout reads; its "
                f"sheets are: {', '.join(repr(n) for n in names)}."
            )
        sheet_name = wanted
    elif len(names) > 1:  # (a provider's layout names a sheet, but this is our template)
        why = (
            "the sheet named 'Return'"
            if sheet_name == PREFERRED_SHEET
            else (f"the first sheet, {sheet_name!r} (name a sheet 'Return' to choose another)")
        )
        notes.append(f"The workbook has {len(names)} sheets; read {why}.")
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
                value = value * 100  # 45% is stored as 0.45
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
        row_no=list(range(2, len(rows) + 1)),
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

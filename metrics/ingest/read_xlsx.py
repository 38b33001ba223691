"""Read an uploaded Excel workbook (.xlsx) into a table of text cells, keeping Excel row
numbers: the sheet named 'Return' (or the one a provider's layout names, else the first),
percentages as the analyst sees them, dates as dates, formulas never calculated noted.

First the streaming reader (read_xlsx_stream.py: the sheet's XML a megabyte at a time into
Arrow, repeated texts dictionary-encoded: about a quarter of fastexcel's memory). A workbook
it does not know is read here as before: the values come from fastexcel (calamine, in Rust)
straight into Arrow as text, with no Python object per cell; what the values do not say
(percent and date formats, TRUE/FALSE, formulas without a saved result, where the sheet
starts) comes from one streamed pass over the sheet's XML (xlsx_scan.py). Either takes under
2 x fastexcel's own read (make bench): workbooks are read up to the upload limit.
"""

from __future__ import annotations

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from xml.etree.ElementTree import ParseError

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrics.ingest.raw import (
    MAX_CELL_CHARS,
    PERCENT_DECIMALS,
    FileProblem,
    RawTable,
    choose_sheet,
)
from metrics.ingest.read_xlsx_stream import read_streamed
from metrics.ingest.xlsx_scan import Scan, scan, sheet_part
from metrics.ingest.xlsx_tokens import Unusual

MAX_WORKBOOK_MB = 50  # the upload limit (.streamlit/config.toml: server.maxUploadSize)
Cells = list[tuple[int, int]]
# What the streaming reader raises on a workbook it does not read as fastexcel does (or a
# damaged one, which fastexcel's path then names in its own words).
STREAM_FAILS = (
    Unusual, zipfile.BadZipFile, ParseError, KeyError, IndexError, OSError, ValueError,
    pa.ArrowException,
)  # fmt: skip


def read_xlsx(content: bytes, sheet: str | None = None) -> RawTable:
    """Read a workbook; anything a damaged workbook raises becomes one plain message."""
    size = len(content) / 1024 / 1024
    if size > MAX_WORKBOOK_MB:
        raise FileProblem(
            f"This workbook is {size:,.1f} MB; workbooks over {MAX_WORKBOOK_MB} MB are not "
            "read here (a quarterly return is rarely over 1 MB). Save it as CSV UTF-8 and "
            "upload that."
        )
    try:
        return read_streamed(content, sheet)
    except FileProblem:
        raise
    except STREAM_FAILS:
        pass  # a workbook the streaming reader does not know: fastexcel reads it
    import fastexcel  # (only now: loading it costs memory the streaming reader spares)

    try:
        return _read_xlsx(content, sheet)
    except FileProblem:
        raise
    except (
        zipfile.BadZipFile,
        ParseError,
        KeyError,
        IndexError,
        OSError,
        ValueError,
        fastexcel.FastExcelError,
    ) as err:
        raise FileProblem(
            f"This workbook could not be read: {type(err).__name__}: {str(err)[:200]}. "
            "Open it in Excel, save it again as .xlsx (or as CSV UTF-8) and upload it again."
        ) from err


def _read_xlsx(content: bytes, wanted: str | None) -> RawTable:
    import fastexcel

    reader = fastexcel.read_excel(content)
    sheet_name, notes = choose_sheet(list(reader.sheet_names), wanted)
    # The scan runs beside fastexcel's read, which lets go of Python's lock: two cores.
    with ThreadPoolExecutor(1) as beside:
        scanning = beside.submit(_scan, content, sheet_name)
        sheet = reader.load_sheet(sheet_name, header_row=None, dtypes="string")
        batch = sheet.to_arrow()
        found = scanning.result()
    empty = FileProblem(f"The sheet {sheet_name!r} is empty. Fill in the template's Return sheet.")
    if found.first is None and not found.unreferenced:
        raise empty
    # fastexcel says where its first column is; the scan, its first row. Checked on the first
    # number: a writer whose cells the two see differently is read cell by cell instead.
    first_col = sheet.available_columns()[0].absolute_index if batch.num_columns else 0
    first_row = found.first[0] if found.first else 1
    if found.unreferenced or not _placed(batch, first_row, first_col, found.number):
        from metrics.ingest.read_xlsx_openpyxl import read_xlsx_openpyxl

        return read_xlsx_openpyxl(content, wanted)
    columns = [
        _fixed(batch.column(i), i + first_col, first_row, found) for i in range(batch.num_columns)
    ]
    _check_cells(columns, first_row, first_col, sheet_name)
    last = _last_filled(columns)
    if last < 0:
        raise empty
    columns = [c.slice(0, last + 1) for c in columns]
    lead = [pa.array([""] * (last + 1), pa.string())] * first_col  # columns left of the data
    columns = lead + columns
    last_row = first_row + last
    if first_row == 1:
        header = [c[0].as_py() for c in columns]
        data = [c.slice(1) for c in columns]
    else:  # row 1 is empty, so is the header; the empty rows above the data are rows too
        header = []
        above = pa.array([""] * (first_row - 2), pa.string())
        data = [pa.concat_arrays([above, c]) for c in columns]
    while header and not header[-1].strip():
        header.pop()
    cells = pa.table({f"c{i}": col for i, col in enumerate(data)})
    return RawTable(
        header=header,
        cells=cells,
        row_no=range(2, last_row + 1),
        notes=notes,
        sheet=sheet_name,
        percent_cells={(r, c) for r, c in found.percent if r <= last_row},
        formula_gaps=[(r, c) for r, c in found.gaps if 1 < r <= last_row],
    )


def _placed(
    batch: pa.RecordBatch, first_row: int, first_col: int, number: tuple[int, int, str] | None
) -> bool:
    """Whether the sheet's first number, as saved, is where fastexcel's table has it."""
    if number is None:
        return True
    row, col, saved = number
    i, j = row - first_row, col - first_col
    if not (0 <= i < batch.num_rows and 0 <= j < batch.num_columns):
        return False
    text = batch.column(j)[i].as_py()
    try:
        return text is not None and float(text) == float(saved)
    except ValueError:
        return False


def _scan(content: bytes, sheet_name: str) -> Scan:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return scan(book, sheet_part(book, sheet_name))


def _fixed(column: pa.Array, col: int, first_row: int, found: Scan) -> pa.Array:
    """The column's text as the analyst sees it: empty cells as "", percentages times 100
    (45% is stored as 0.45), dates without a midnight time, times without Excel's day 0,
    TRUE and FALSE in capitals (fastexcel writes "true")."""
    column = column.fill_null("")
    fixes = ((found.percent, _percent), (found.dates, _date), (found.bools, pc.utf8_upper))
    for cells, fix in fixes:
        rows = sorted(r - first_row for r, c in cells if c == col and r >= first_row)
        if rows:
            at = np.zeros(len(column), dtype=bool)
            at[rows] = True
            column = pc.replace_with_mask(column, pa.array(at), fix(column.take(rows)))
    errors = sorted(
        (r - first_row, code) for r, c, code in found.errors if c == col and r >= first_row
    )
    if errors:  # Excel's error values, which fastexcel gives no text for (xlsx_scan.ERROR)
        at = np.zeros(len(column), dtype=bool)
        at[[r for r, _ in errors]] = True
        column = pc.replace_with_mask(column, pa.array(at), pa.array([t for _, t in errors]))
    return column


def _percent(texts: pa.Array) -> pa.Array:
    numbers = pc.cast(texts, pa.float64(), safe=False)
    return pc.cast(pc.round(pc.multiply(numbers, 100.0), PERCENT_DECIMALS), pa.string())


def _date(texts: pa.Array) -> pa.Array:
    texts = pc.replace_substring_regex(texts, r"^(\d{4}-\d\d-\d\d) 00:00:00$", r"\1")
    return pc.replace_substring_regex(texts, r"^1899-12-3[01] (\d\d:\d\d:\d\d)", r"\1")


def _check_cells(columns: list[pa.Array], first_row: int, first_col: int, sheet: str) -> None:
    """No cell may hold a NUL byte or more than MAX_CELL_CHARS characters: the first such
    cell (by row, then column) is named."""
    worst: tuple[int, int, str] | None = None
    for i, column in enumerate(columns):
        short = not len(column) or pc.max(pc.binary_length(column)).as_py() <= MAX_CELL_CHARS
        if short and not pc.any(pc.match_substring(column, "\x00")).as_py():
            continue  # (bytes bound characters: no cell of this column is too long)
        for bad, what in (
            (pc.greater(pc.utf8_length(column), MAX_CELL_CHARS), "long"),
            (pc.match_substring(column, "\x00"), "NUL"),
        ):
            if pc.any(bad).as_py():
                row = first_row + pc.index(bad, True).as_py()
                if worst is None or (row, i, what) < worst:  # ("NUL" before "long")
                    worst = (row, i, what)
    if worst is not None:
        row, i, what = worst
        text = columns[i][row - first_row].as_py()
        held = "a NUL byte" if what == "NUL" else f"{len(text):,} characters"
        raise FileProblem(
            f"Row {row}, column {i + first_col + 1} of the sheet {sheet!r} holds {held}, "
            "which no return needs. Shorten or clear the cell and upload the file again."
        )


def _last_filled(columns: list[pa.Array]) -> int:
    """The index of the last row with anything but spaces in it; -1 if none."""
    if not columns:
        return -1
    last = len(columns[0]) - 1  # calamine's table ends at a filled cell: nearly always this
    if last >= 0 and any(str(c[last].as_py()).strip() for c in columns):
        return last
    filled = pc.not_equal(pc.utf8_trim_whitespace(columns[0]), "")
    for column in columns[1:]:
        filled = pc.or_(filled, pc.not_equal(pc.utf8_trim_whitespace(column), ""))
    at = np.flatnonzero(filled.to_numpy(zero_copy_only=False))
    return int(at[-1]) if len(at) else -1

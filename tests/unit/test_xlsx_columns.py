"""A workbook's columns of repeated text (codes, periods, a note filled down) are kept
dictionary-encoded by the streaming reader (metrics/ingest/xlsx_columns.py), over a sheet of
several pieces (the reader takes a megabyte of XML at a time), on workbooks made by openpyxl
(shared strings; inline strings in write-only mode) and saved again by LibreOffice; the text
is fastexcel's path's, cell for cell, and the checks find in it exactly what they find in
the same return as CSV."""

from __future__ import annotations

import csv
import io
import zipfile

import pyarrow as pa
import pytest
from openpyxl import Workbook

from charter import Charter
from metrics.ingest.read import read_csv
from metrics.ingest.read_xlsx import _read_xlsx, read_xlsx
from metrics.ingest.read_xlsx_stream import read_streamed
from metrics.ingest.validate import validate_file
from metrics.ingest.xlsx_text import CHUNK
from metrics.periods.model import Period, PeriodKind
from metrics.reference import COUNCIL, known_areas
from tests.unit.test_xlsx_stream import same
from tests.workbooks import saved_by_libreoffice

ROWS = 11_000
NOTE = "Figures checked against the case management system by the team's analyst"
HEADER = ["indicator", "period", "value", "area", "status", "note"]


def _sheet_rows() -> list[list[object]]:
    """Repeated texts (one with spaces around it), numbers, a column repeated for its first
    third and different in every row after (kept as text), one filled only in its header."""
    rows: list[list[object]] = [["code", "period", "value", "note", "later", "empty"]]
    for n in range(ROWS):
        later = "same" if n < ROWS // 3 else f"row {n}"
        note = f"  {NOTE}  " if n % 7 == 0 else NOTE
        rows.append([f"ind-{n % 9}", f"2024-25 Q{n % 4 + 1}", n * 37 + 1000, note, later])
    return rows


def _return_rows(charter: Charter, errors: bool) -> list[list[object]]:
    """A return: every key once, texts repeated row after row, spaces around some areas and
    notes, blank rows and template rows (keys only) among them; with `errors`, an unknown
    indicator in some rows and a cell beyond the header in others."""
    quarterly = [
        i.id for i in charter.indicators.values() if i.frequency == "quarterly" and not i.multiplier
    ]
    councils = sorted(a.code for a in known_areas().values() if a.level == COUNCIL)
    rows: list[list[object]] = [HEADER]
    for n in range(ROWS):
        indicator = quarterly[n % len(quarterly)]
        area = councils[n // len(quarterly) % len(councils)]
        quarter = Period(PeriodKind.FY_QUARTER, 2000, 1).shift(
            n // (len(quarterly) * len(councils))
        )
        if errors and n % 1000 == 999:
            indicator = "no-such-indicator"
        if n % 500 == 250:
            rows.append([None] * len(HEADER))  # a blank row
        if n % 900 == 450:
            rows.append([indicator, quarter.label, None, area, None, None])  # a template row
            continue
        area = f" {area} " if n % 11 == 0 else area
        rows.append([indicator, quarter.label, n % 700, area, "final", NOTE if n % 5 else ""])
        if errors and n % 50 == 0:
            rows[-1].append("see the note")  # a cell beyond the header
    return rows


def _book(rows: list[list[object]], write_only: bool) -> Workbook:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Return") if write_only else book.active
    if not write_only:
        sheet.title = "Return"
    for row in rows:
        sheet.append(row)
    return book


@pytest.fixture(scope="module")
def workbooks(charter: Charter, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Each workbook as openpyxl saves it (shared strings, and inline strings in write-only
    mode) and as LibreOffice saves the first again (one soffice run)."""
    here = tmp_path_factory.mktemp("columns")
    sheets = {
        "sheet": _sheet_rows(),
        "return": _return_rows(charter, errors=False),
        "errors": _return_rows(charter, errors=True),
    }
    made: dict[str, bytes] = {}
    for name, rows in sheets.items():
        for write_only, how in ((False, "shared"), (True, "inline")):
            path = here / f"{name}-{how}.xlsx"
            _book(rows, write_only).save(path)
            made[f"{name}, {how}"] = path.read_bytes()
        made[f"{name}, csv"] = _csv(rows)
    out = saved_by_libreoffice([here / f"{name}-shared.xlsx" for name in sheets], here)
    for name in sheets:
        made[f"{name}, LibreOffice"] = (out / f"{name}-shared.xlsx").read_bytes()
    return made


def _csv(rows: list[list[object]]) -> bytes:
    """The rows as CSV, each as wide as the widest (as a spreadsheet saves one)."""
    width = max(map(len, rows))
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(
        ["" if c is None else c for c in row] + [""] * (width - len(row)) for row in rows
    )
    return text.getvalue().encode()


MAKERS = ["shared", "inline", "LibreOffice"]


@pytest.mark.parametrize("maker", MAKERS)
def test_repeated_texts_are_kept_as_dictionaries(workbooks, maker):
    content = workbooks[f"sheet, {maker}"]
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        size = book.getinfo("xl/worksheets/sheet1.xml").file_size
    assert size > 2 * CHUNK  # (several pieces: dictionaries made one across them)
    raw = read_streamed(content, None)
    same(raw, _read_xlsx(content, None))
    kinds = {name: raw.cells.column(name).type for name in raw.cells.column_names}
    assert [pa.types.is_dictionary(kinds[f"c{i}"]) for i in range(6)] == [
        True,  # code: 9 texts
        True,  # period: 4
        False,  # value: numbers, each different (whole: read_xlsx's fastexcel path checks
        # its places on the first number, which a rounded float fails: openpyxl reads then)
        True,  # note, with and without spaces around it
        False,  # later: the same text, then a different one in every row
        True,  # empty below its header
    ]
    assert kinds["c0"].index_type == pa.int8()  # (a byte a cell for up to 127 texts)
    as_text = sum(c.cast(pa.string()).nbytes for c in raw.cells.columns)
    assert raw.cells.nbytes * 2 < as_text
    assert raw.cells.column("c3").to_pylist()[:2] == [f"  {NOTE}  ", NOTE]


@pytest.mark.parametrize("maker", MAKERS)
@pytest.mark.parametrize("name", ["return", "errors"])
def test_a_workbook_is_checked_as_its_csv_is(workbooks, charter, maker, name):
    """Trimming, blank and template rows, every rule and the rows to store, on dictionary
    columns (metrics/ingest/validate.py) as on the CSV's text."""
    raw = read_xlsx(workbooks[f"{name}, {maker}"])
    assert pa.types.is_dictionary(raw.cells.column("c3").type)  # area
    mine, theirs = (
        validate_file(raw, charter),
        validate_file(read_csv(workbooks[f"{name}, csv"]), charter),
    )
    assert (mine.errors, mine.notes, mine.error_total, mine.rejected_rows) == (
        theirs.errors,
        theirs.notes,
        theirs.error_total,
        theirs.rejected_rows,
    )
    assert any("template row" in n for n in mine.notes)
    assert any("empty row" in n for n in mine.notes)
    if name == "errors":
        assert pa.types.is_dictionary(raw.cells.column("c6").type)  # (the cells beyond)
        assert {e.value for e in mine.errors} == {"no-such-indicator", "see the note"}
        wrong = [
            r for r in _return_rows(charter, True) if len(r) > 6 or r[0] == "no-such-indicator"
        ]
        assert mine.error_total == len(wrong)
        return
    assert mine.staged is not None and theirs.staged is not None
    assert mine.staged.num_rows == ROWS - len(range(450, ROWS, 900))  # (not template rows)
    rows = [t.sort_by("row_no").to_pylist() for t in (mine.staged, theirs.staged)]
    assert rows[0] == rows[1]

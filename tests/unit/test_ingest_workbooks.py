"""The workbook reader (fastexcel + a streamed scan of the sheet's XML) catches what the checks
caught when openpyxl read every cell: formulas instead of values, percentage-formatted cells,
dates, a stale `<dimension>`; each on a workbook made by openpyxl and on the same workbook
saved by LibreOffice (`soffice --headless --convert-to xlsx`, Debian's libreoffice-calc, which
writes shared strings, its own styles and `<f aca="false">`)."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import Workbook

from metrics.ingest import load_file
from metrics.ingest.read_xlsx import _read_xlsx, read_xlsx
from metrics.ingest.read_xlsx_openpyxl import read_xlsx_openpyxl
from metrics.ingest.read_xlsx_stream import read_streamed
from metrics.store.queries import current_count, series
from tests.unit.test_ingest_excel import with_cached_values
from tests.workbooks import saved_by_libreoffice

HEADER = ["indicator", "period", "value", "numerator", "denominator"]
MAKERS = ["openpyxl", "libreoffice"]


def _books() -> dict[str, Workbook]:
    books: dict[str, Workbook] = {}
    book = books["formula"] = Workbook()
    book.active.append(HEADER)
    book.active.append(["short-breaks-receiving", "2024-25 Q1", "=400+31"])
    book = books["percent"] = Workbook()
    book.active.append(HEADER)
    book.active.append(["ehcp-issued-20-weeks", "2024-25 Q1", 0.52, 26, 50])
    book.active.append(["ehcp-issued-20-weeks", "2024-25 Q2", 0.5, 25, 50])
    book.active["C2"].number_format = "0.0%"
    book.active["C3"].number_format = "0%"  # Excel's own format 9
    book = books["errors"] = Workbook()  # Excel's error values: a formula's and one typed
    book.active.append(HEADER)
    book.active.append(["local-offer-visits", "2025-26 Q4", "=B9/0"])
    book.active.append(["local-offer-visits", "2026-27 Q1", 1418, "#N/A"])
    book = books["dates"] = Workbook()
    book.active.append(HEADER)
    book.active.append(["short-breaks-receiving", datetime(2024, 6, 30), 431])
    book.active.append(["active-ehc-plans", datetime(2024, 1, 18), 1300])
    book = books["stale"] = Workbook()
    book.active.append(HEADER)
    for quarter in (1, 2, 3):
        book.active.append(["short-breaks-receiving", f"2024-25 Q{quarter}", 430 + quarter])
    book.active.append(["short-breaks-receiving", "2024-25 Q4", "lots"])
    book = books["mixed"] = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet["B1"], sheet["C1"], sheet["D1"] = "indicator", "period", "value"
    sheet.append([None, "a", datetime(2024, 6, 30, 12, 5), 431.0])
    sheet.append([None, "b", date(2024, 1, 2), True])
    sheet.append([])
    sheet.append([None, "c", time(12, 30), 0.125, "=1+1", "  "])
    sheet.append([None, "d", "2024-25 Q1", 0.1 + 0.2, "text", 7])
    sheet["D5"].number_format = "0.0%"
    sheet["D6"].number_format = "0.00%"
    sheet.append([None, "   "])
    return books


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Each workbook as openpyxl saves it and as LibreOffice saves it (one soffice run)."""
    here = tmp_path_factory.mktemp("books")
    made = {}
    for name, book in _books().items():
        made[(name, "openpyxl")] = here / f"{name}.xlsx"
        book.save(made[(name, "openpyxl")])
    out = saved_by_libreoffice([made[(name, "openpyxl")] for name in _books()], here)
    for name in _books():
        made[(name, "libreoffice")] = out / f"{name}.xlsx"
        assert made[(name, "libreoffice")].exists(), f"LibreOffice did not save {name}.xlsx"
    return made


def edited(path: Path, tmp: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the workbook with its first sheet's XML changed by `edit`."""
    out = tmp / f"edited-{path.parent.name}-{path.name}"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            dst.writestr(item, data)
    return out


def load(store, charter, path: Path):  # type: ignore[no-untyped-def]
    return load_file(store, charter, path.name, path.read_bytes(), by="tester")


@pytest.mark.parametrize("maker", MAKERS)
def test_both_readers_read_a_workbook_alike(workbooks, maker):
    """Sheet not starting at A1, dates, a time, TRUE, percentages, a blank row, a formula
    and cells of spaces: the same text, rows and flags as openpyxl cell by cell."""
    content = workbooks[("mixed", maker)].read_bytes()
    new, old = read_xlsx(content), read_xlsx_openpyxl(content)
    assert new.cells.to_pylist() == old.cells.to_pylist()
    assert (new.header, new.row_no, new.notes, new.sheet) == (
        old.header,
        old.row_no,
        old.notes,
        old.sheet,
    )
    assert new.percent_cells == old.percent_cells == {(5, 3), (6, 3)}
    assert new.cells.column("c3").to_pylist()[:4] == ["431", "TRUE", "", "12.5"]
    assert new.cells.column("c3")[4].as_py() == "30"  # 0.1 + 0.2 as 30.00 %, as typed
    assert new.cells.column("c2").to_pylist()[:3] == ["2024-06-30 12:05:00", "2024-01-02", ""]
    assert new.cells.column("c2")[3].as_py() == "12:30:00"


@pytest.mark.parametrize("maker", MAKERS)
def test_a_formula_is_read_as_its_saved_value(store, charter, workbooks, maker, tmp_path):
    path = workbooks[("formula", maker)]
    if maker == "openpyxl":  # openpyxl saves no result; Excel would have saved 431
        path = with_cached_values(Path(shutil.copy(path, tmp_path / "f.xlsx")), {"C2": "431"})
    report = load(store, charter, path)
    assert report.outcome == "loaded", [e.as_text() for e in report.errors]
    assert series(store, "short-breaks-receiving", "E99000001")[0].value == 431


@pytest.mark.parametrize("maker", MAKERS)
def test_a_formula_without_its_result_is_an_error(store, charter, workbooks, maker, tmp_path):
    path = workbooks[("formula", maker)]
    if maker == "libreoffice":  # LibreOffice saves results: take them out, as a script might
        path = edited(path, tmp_path, lambda xml: re.sub(r"(</f>)<v>[^<]*</v>", r"\1", xml))
    report = load(store, charter, path)
    assert report.outcome == "rejected"
    assert [e.row for e in report.errors if "never saved" in e.problem] == [2]
    assert current_count(store) == 0


@pytest.mark.parametrize("maker", MAKERS)
def test_percent_formatted_cells_are_percentages(store, charter, workbooks, maker):
    report = load(store, charter, workbooks[("percent", maker)])
    assert report.outcome == "loaded", [e.as_text() for e in report.errors]
    values = [o.value for o in series(store, "ehcp-issued-20-weeks", "E99000001")]
    assert sorted(values) == [50, 52]


@pytest.mark.parametrize("maker", MAKERS)
def test_dates_in_the_period_column(store, charter, workbooks, maker):
    report = load(store, charter, workbooks[("dates", maker)])
    assert report.outcome == "loaded", [e.as_text() for e in report.errors]
    assert series(store, "short-breaks-receiving", "E99000001")[0].period == "2024-25 Q1"
    assert series(store, "active-ehc-plans", "E99000001")[0].period == "2024"


@pytest.mark.parametrize("maker", MAKERS)
def test_a_stale_dimension_is_not_trusted(store, charter, workbooks, maker, tmp_path):
    """The saved <dimension> says A1:C2; rows 3 to 5 are read all the same, and the error
    on row 5 is found."""
    path = edited(
        workbooks[("stale", maker)],
        tmp_path,
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:C2"', xml),
    )
    assert b'<dimension ref="A1:C2"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    raw = read_xlsx(path.read_bytes())
    assert list(raw.row_no) == [2, 3, 4, 5]
    report = load(store, charter, path)
    assert [(e.row, e.column) for e in report.errors] == [(5, "value")]


@pytest.mark.parametrize("maker", MAKERS)
def test_cells_without_references_are_still_placed(workbooks, maker, tmp_path):
    """The standard lets a cell leave out r="A1"; the scan cannot place such cells, so the
    workbook is read cell by cell (openpyxl), with the same result."""
    path = workbooks[("mixed", maker)]
    bare = edited(path, tmp_path, lambda xml: re.sub(r'(<c) r="[A-Z]+\d+"', r"\1", xml))
    raw = read_xlsx(bare.read_bytes())
    assert raw.header[:3] == ["indicator", "period", "value"]  # cells one after another
    assert [r["c0"] for r in raw.cells.to_pylist()][:2] == ["a", "b"]
    assert raw.percent_cells == {(5, 2), (6, 2)}


def test_a_long_cell_and_a_nul_byte_are_named_by_row_and_column(tmp_path):
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["short-breaks-receiving", "2024-25 Q1", 431])
    book.active.append(["short-breaks-receiving", "2024-25 Q2", "9" * 10_001])
    book.save(tmp_path / "long.xlsx")
    with pytest.raises(ValueError, match=r"Row 3, column 3 of the sheet 'Sheet' holds 10,001"):
        read_xlsx((tmp_path / "long.xlsx").read_bytes())


@pytest.mark.parametrize(
    "a1",
    [
        '<c r="A1" t="str"><v></v></c>',  # an empty text result: in calamine's table
        '<c r="A1"><v></v></c>',  # an empty number: not in it
        '<c r="A1" t="inlineStr"><is><t></t></is></c>',
    ],
)
def test_empty_cells_in_the_first_column_do_not_shift_the_columns(a1, tmp_path):
    """Where the table starts is fastexcel's to say (its first column) and the scan's (its
    first row), checked on the first number: a percentage is flagged on its own column."""
    book = Workbook()
    sheet = book.active
    sheet["B1"], sheet["C1"], sheet["D1"] = "indicator", "period", "value"
    sheet.append([None, "ehcp-issued-20-weeks", "2024-25 Q1", 0.5])
    sheet["D2"].number_format = "0%"
    book.save(tmp_path / "a1.xlsx")
    path = edited(
        tmp_path / "a1.xlsx", tmp_path, lambda xml: xml.replace('<row r="1">', f'<row r="1">{a1}')
    )
    new, old = read_xlsx(path.read_bytes()), read_xlsx_openpyxl(path.read_bytes())
    assert new.cells.to_pylist() == old.cells.to_pylist()
    assert new.cells.column("c3").to_pylist() == ["50"] and new.percent_cells == {(2, 3)}
    assert new.header[1:] == ["indicator", "period", "value"]


@pytest.mark.parametrize("maker", MAKERS)
def test_an_excel_error_is_named_never_skipped(store, charter, workbooks, maker, tmp_path):
    """A cell showing #DIV/0! (a formula's saved result) or #N/A: every reader gives the
    error as its text, so the row is named with it, never taken for a template row left
    empty and skipped (fastexcel gives no text for an error)."""
    path = workbooks[("errors", maker)]
    if maker == "openpyxl":  # openpyxl saves no result; Excel would have saved the error
        path = edited(
            path,
            tmp_path,
            lambda xml: re.sub(
                r'<c r="C2"[^>]*>(<f>B9/0</f>)(?:<v ?/>|<v></v>)?</c>',
                r'<c r="C2" t="e">\1<v>#DIV/0!</v></c>',
                xml,
            ),
        )
    content = path.read_bytes()
    for read in (read_streamed, _read_xlsx, read_xlsx_openpyxl):  # each of the three readers
        raw = read(content, None)
        assert raw.cells.column(2).to_pylist() == ["#DIV/0!", "1418"], read
        assert raw.cells.column(3).to_pylist() == ["", "#N/A"], read
    report = load(store, charter, path)
    assert report.outcome == "rejected" and current_count(store) == 0
    named = {(e.row, e.column, e.value) for e in report.errors}
    assert (2, "value", "#DIV/0!") in named and (3, "numerator", "#N/A") in named, named


def test_rows_of_nothing_but_excel_errors_are_blank_rows(store, charter, tmp_path):
    """A formula copied down below the data shows #DIV/0! where its cells are empty: such
    rows were blank when the readers gave errors no text, and stay so (an error beside
    anything else is named: test_an_excel_error_is_named_never_skipped)."""
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["local-offer-visits", "2026-27 Q1", 1418])
    for _ in range(3):
        book.active.append([None, None, "#DIV/0!"])
    book.save(tmp_path / "copied-down.xlsx")
    report = load(store, charter, tmp_path / "copied-down.xlsx")
    assert report.outcome == "loaded" and report.added == 1, [e.as_text() for e in report.errors]
    csv = tmp_path / "saved-from-excel.csv"  # Excel writes the errors' text into a CSV
    csv.write_text(
        "indicator,period,value\nlocal-offer-visits,2026-27 Q2,1420\n,,#DIV/0!\n,,#N/A\n"
    )
    report = load(store, charter, csv)
    assert report.outcome == "loaded" and report.added == 1, [e.as_text() for e in report.errors]

"""Excel returns: which sheet is read, formulas, dates typed as dates, percent-formatted cells."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from metrics.ingest import load_file
from metrics.store.queries import current_count, series

HEADER = ["indicator", "period", "value", "numerator", "denominator"]


def save(book: Workbook, path: Path) -> Path:
    book.save(path)
    return path


def with_cached_values(path: Path, values: dict[str, str]) -> Path:
    """Write the value Excel would have saved next to each formula (openpyxl saves none, as
    `<v/>`, or `<v></v>` when lxml is installed)."""
    src = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref, value in values.items():
                    text = re.sub(
                        rf'(<c r="{ref}"[^>]*>)(<f>.*?</f>)(<v ?/>|<v></v>)',
                        rf"\1\2<v>{value}</v>",
                        text,
                    )
                data = text.encode()
            dst.writestr(item, data)
    path.write_bytes(out.getvalue())
    return path


def load(store, charter, path: Path):
    return load_file(store, charter, path.name, path.read_bytes(), by="tester")


def test_reads_the_return_sheet_and_says_so(store, charter, tmp_path):
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["this sheet is not data"])
    sheet = book.create_sheet("Return")
    sheet.append(HEADER)
    sheet.append(["short-breaks-receiving", "2024-25 Q1", 431])
    report = load(store, charter, save(book, tmp_path / "r.xlsx"))
    assert report.outcome == "loaded", [e.as_text() for e in report.errors]
    assert report.sheet == "Return"
    assert "2 sheets; read the sheet named 'Return'" in report.notes[0]


def test_without_a_return_sheet_the_first_sheet_is_read(store, charter, tmp_path):
    book = Workbook()
    book.active.title = "Q1 data"
    book.active.append(HEADER)
    book.active.append(["short-breaks-receiving", "2024-25 Q1", 431])
    book.create_sheet("Lookup").append(["ignored"])
    report = load(store, charter, save(book, tmp_path / "r.xlsx"))
    assert report.outcome == "loaded" and report.sheet == "Q1 data"
    assert "the first sheet, 'Q1 data'" in report.notes[0]


def test_formulas_are_read_as_their_saved_values(store, charter, tmp_path):
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["ehcp-issued-20-weeks", "2024-25 Q1", "=D2/E2*100", 26, 50])
    path = with_cached_values(save(book, tmp_path / "f.xlsx"), {"C2": "52"})
    report = load(store, charter, path)
    assert report.outcome == "loaded", [e.as_text() for e in report.errors]
    assert series(store, "ehcp-issued-20-weeks", "E99000001")[0].value == 52


def test_a_formula_never_calculated_is_an_error(store, charter, tmp_path):
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["short-breaks-receiving", "2024-25 Q1", "=400+31"])
    report = load(store, charter, save(book, tmp_path / "f.xlsx"))
    assert report.outcome == "rejected"
    assert any(
        e.row == 2 and "formula whose result was never saved" in e.problem for e in report.errors
    )
    assert current_count(store) == 0


def test_dates_typed_in_the_period_column(store, charter, tmp_path):
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["short-breaks-receiving", datetime(2024, 6, 30), 431])
    book.active.append(["active-ehc-plans", datetime(2024, 1, 18), 1300])
    report = load(store, charter, save(book, tmp_path / "d.xlsx"))
    assert report.outcome == "loaded", [e.as_text() for e in report.errors]
    assert series(store, "short-breaks-receiving", "E99000001")[0].period == "2024-25 Q1"
    assert series(store, "active-ehc-plans", "E99000001")[0].period == "2024"


def test_percent_formatted_cells_are_percentages(store, charter, tmp_path):
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["ehcp-issued-20-weeks", "2024-25 Q1", 0.52, 26, 50])
    book.active["C2"].number_format = "0.0%"
    report = load(store, charter, save(book, tmp_path / "p.xlsx"))
    assert report.outcome == "loaded", [e.as_text() for e in report.errors]
    assert series(store, "ehcp-issued-20-weeks", "E99000001")[0].value == 52


def test_excel_errors_name_the_row_analysts_see(store, charter, tmp_path):
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["short-breaks-receiving", "2024-25 Q1", 431])
    book.active.append([])
    book.active.append(["short-breaks-receiving", "2024-25 Q2", "lots"])
    report = load(store, charter, save(book, tmp_path / "e.xlsx"))
    assert [(e.row, e.column) for e in report.errors] == [(4, "value")]


def test_a_workbook_over_the_workbook_limit_is_refused_with_the_way_round(store, charter):
    from metrics.ingest.read import XLSX_MAGIC
    from metrics.ingest.read_xlsx import MAX_WORKBOOK_MB

    big = XLSX_MAGIC + b"\0" * int((MAX_WORKBOOK_MB + 0.5) * 1024 * 1024)  # never opened
    report = load_file(store, charter, "huge.xlsx", big, by="test")
    assert report.outcome == "rejected" and current_count(store) == 0
    problem = report.errors[0].problem
    assert f"over {MAX_WORKBOOK_MB} MB" in problem and "Save it as CSV UTF-8" in problem


def test_a_formula_in_any_form_sends_the_sheet_to_the_second_reading():
    """A workbook without formulas is read once; the test for formulas must find every way a
    sheet's XML writes one (so a formula never calculated is never missed)."""
    from metrics.ingest.xlsx_scan import FORMULA as _FORMULA

    for xml in (b"<f>D2/E2</f>", b'<f t="shared" si="0"/>', b"<x:f>1+1</x:f>", b"<f/>"):
        assert _FORMULA.search(xml), xml
    for xml in (b"<font/>", b"<fill>", b'<c r="F2"><v>1</v></c>', b"<is><t>f</t></is>"):
        assert not _FORMULA.search(xml), xml


def _percent_book(path: Path) -> Path:
    """57.5 %, 56.5 % and 55.5 % typed into percent-formatted cells (kept as 0.575 ...):
    each a hundredfold in binary off by one in the last place (57.49999999999999)."""
    book = Workbook()
    book.active.append(HEADER)
    for n, fraction in enumerate((0.575, 0.565, 0.555), start=1):
        book.active.append(["ehcp-issued-20-weeks", f"2021-22 Q{n}", fraction])
        book.active[f"C{n + 1}"].number_format = "0.0%"
    return save(book, path)


def test_a_percentage_is_the_figure_typed_by_every_reader(tmp_path):
    """0.575 * 100 is 57.49999999999999 in binary: each of the three readers of a workbook
    (the streaming one, fastexcel's, openpyxl's) gives the percentage as it was typed."""
    from metrics.ingest.read_xlsx import _read_xlsx
    from metrics.ingest.read_xlsx_openpyxl import read_xlsx_openpyxl
    from metrics.ingest.read_xlsx_stream import read_streamed

    content = _percent_book(tmp_path / "p.xlsx").read_bytes()
    for read in (read_streamed, lambda c, s: _read_xlsx(c, s), read_xlsx_openpyxl):
        raw = read(content, None)
        assert raw.cells.column(2).to_pylist() == ["57.5", "56.5", "55.5"], read


def test_a_percentage_from_a_workbook_sent_again_as_csv_is_no_change(store, charter, tmp_path):
    first = load(store, charter, _percent_book(tmp_path / "p.xlsx"))
    assert first.outcome == "loaded", [e.as_text() for e in first.errors]
    stored = [o.value for o in series(store, "ehcp-issued-20-weeks", "E99000001")]
    assert sorted(stored) == [55.5, 56.5, 57.5]
    again = tmp_path / "p.csv"
    typed = ("57.5", "56.5", "55.5")
    rows = [f"ehcp-issued-20-weeks,2021-22 Q{n},{v}\n" for n, v in enumerate(typed, start=1)]
    again.write_text("indicator,period,value\n" + "".join(rows))
    assert load(store, charter, again).outcome == "no change"

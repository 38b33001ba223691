"""The streaming workbook reader (read_xlsx_stream.py) against fastexcel's path
(read_xlsx._read_xlsx), cell by cell, on real workbooks: made by openpyxl (shared strings),
by openpyxl's write-only mode (inline strings), and saved again by LibreOffice. What the
streaming reader does not know it refuses (Unusual), and read_xlsx then reads with fastexcel."""

from __future__ import annotations

import io
import random
import re
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from metrics.ingest.raw import FileProblem, RawTable
from metrics.ingest.read_xlsx import _read_xlsx, read_xlsx
from metrics.ingest.read_xlsx_stream import read_streamed
from metrics.ingest.xlsx_tokens import Unusual
from tests.workbooks import saved, saved_by_libreoffice

ROWS = [
    ["a & b <c> \"q\" 'x'", "2024-25 Q1", 431, "  spaced  ", True, 0.45, date(2024, 1, 2)],
    ["café ✓ 😀", "2024-25 Q2", 0.1 + 0.2, "line\nbreak", False, 0.123456, datetime(2023, 12, 31)],
    [None, None, None, None, None, None, None],
    ["x", "2024-25 Q3", -12.5, '=A2&"!"', None, 1, None],
    ["y", "", 1e-7, "tab\tin", None, None, None],
    ["z", " ", 123456789012.345, "&amp; as typed", None, 0, None],
    ["w", "2024-25 Q4", 2.5e-9, "=1/3", "=TRUE", -0.05, None],
]


def _fill(sheet, write_only: bool) -> None:  # type: ignore[no-untyped-def]
    sheet.append(["indicator", "period", "value", "note", "flag", "share", "when"])
    for row in ROWS:
        sheet.append(row)
    if write_only:
        return
    for ref, fmt in (("F2", "0%"), ("F3", "0.0%"), ("F5", "0.00%"), ("F8", "0%")):
        sheet[ref].number_format = fmt
    sheet["G2"].number_format = "yyyy-mm-dd"
    sheet["G3"].number_format = "dd/mm/yyyy"
    sheet.cell(row=13, column=3, value=7)  # rows 9 to 12 are missing
    sheet.cell(row=14, column=9, value="beyond the header")
    sheet.cell(row=15, column=2, value="   ")  # a last row of spaces only


def _books() -> dict[str, Workbook]:
    books = {}
    book = books["varied"] = Workbook()
    book.active.title = "Return"
    _fill(book.active, write_only=False)
    book = books["inline"] = Workbook(write_only=True)
    _fill(book.create_sheet("Return"), write_only=True)
    book = books["numbers"] = Workbook(write_only=True)
    sheet = book.create_sheet("Return")
    sheet.append(["n", "a", "b", "c", "d"])
    rng = random.Random(34)
    for n in range(400):
        sheet.append(
            [
                n,  # (read_xlsx's fastexcel path checks its places on the first number: a
                # whole one, which openpyxl's text and fastexcel's agree on)
                rng.uniform(-1, 1) * 10 ** rng.randint(-12, 14),
                round(rng.uniform(0, 100), rng.randint(0, 12)),
                rng.randint(-(10**14), 10**14),
                rng.randint(0, 400) / rng.randint(1, 400),
            ]
        )
    book = books["offset"] = Workbook()
    book.active.title = "Return"
    book.active["C3"], book.active["D3"], book.active["D5"] = "late", 1.5, "start"
    return books


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Each workbook as openpyxl saves it and as LibreOffice saves it again."""
    here = tmp_path_factory.mktemp("stream")
    made: dict[str, bytes] = {}
    books = _books()
    for name, book in books.items():
        book.save(here / f"{name}.xlsx")
        made[name] = (here / f"{name}.xlsx").read_bytes()
    out = saved_by_libreoffice([here / f"{name}.xlsx" for name in books], here)
    for name in books:
        made[f"{name}, LibreOffice"] = (out / f"{name}.xlsx").read_bytes()
    return made


def same(new: RawTable, old: RawTable) -> None:
    assert new.cells.column_names == old.cells.column_names
    for name in new.cells.column_names:  # cell by cell, so a failure names the cell
        mine, theirs = new.cells.column(name).to_pylist(), old.cells.column(name).to_pylist()
        for row, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            assert a == b, f"{name}, row {row + 2}: {a!r} != {b!r}"
    assert (new.header, new.row_no, new.notes, new.sheet) == (
        old.header,
        old.row_no,
        old.notes,
        old.sheet,
    )
    assert new.percent_cells == old.percent_cells
    assert new.formula_gaps == old.formula_gaps


@pytest.mark.parametrize(
    "name",
    [f"{n}{by}" for n in ("varied", "inline", "numbers", "offset") for by in ("", ", LibreOffice")],
)
def test_the_streaming_reader_reads_as_fastexcel_does(workbooks, name):
    content = workbooks[name]
    same(read_streamed(content, None), _read_xlsx(content, None))


def test_what_the_varied_workbook_holds(workbooks):
    """The comparison covers what it should: entities, spaces, shared strings, percentages,
    dates, TRUE/FALSE, a formula without its result, sparse rows."""
    table = read_streamed(workbooks["varied"], None)
    rows = table.cells.to_pylist()
    assert rows[0]["c0"] == "a & b <c> \"q\" 'x'" and rows[0]["c3"] == "  spaced  "
    assert (rows[0]["c4"], rows[0]["c5"], rows[0]["c6"]) == ("TRUE", "45", "2024-01-02")
    assert rows[1]["c5"] == "12.3456" and rows[1]["c6"] == "2023-12-31"
    assert rows[3]["c3"] == "" and (5, 3) in table.formula_gaps
    assert (
        rows[5]["c3"] == "&amp; as typed" and rows[5]["c2"] == "123456789012.345001221"
    )  # (9 places of the double)
    assert rows[11]["c2"] == "7" and rows[12]["c8"] == "beyond the header"
    assert table.row_no[-1] == 14  # (row 15 holds spaces only)


def _edited(content: bytes, edit) -> bytes:  # type: ignore[no-untyped-def]
    return saved(load_workbook(io.BytesIO(content)), "xl/worksheets/sheet1.xml", edit)


def _prefixed(xml: bytes) -> bytes:
    """Every element of the sheet as x:name, as some writers save it."""
    xml = re.sub(rb"<(/?)(?=[a-zA-Z])", rb"<\1x:", xml)
    return xml.replace(b"<x:worksheet ", b'<x:worksheet xmlns:x="' + MAIN + b'" ', 1)


MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EDITS = {
    "no reference": lambda x: re.sub(rb'<c r="[A-Z]+\d+"', b"<c", x),
    "prefixed": _prefixed,
    "rich inline": lambda x: x.replace(b"<is><t>x</t></is>", b"<is><r><t>x</t></r></is>"),
    "a time": lambda x: x.replace(b"<v>45293</v>", b"<v>45293.5</v>"),
    "spaced attributes": lambda x: x.replace(b' s="', b' s = "'),
    "single quotes": lambda x: x.replace(b' t="n"', b" t='n'"),
}


@pytest.mark.parametrize("why", EDITS)
def test_what_it_does_not_know_is_read_by_fastexcel(workbooks, why):
    book = workbooks["inline"] if why == "rich inline" else workbooks["varied"]
    content = _edited(book, EDITS[why])
    assert content != _edited(book, lambda x: x)
    with pytest.raises(Unusual):
        read_streamed(content, None)
    same(read_xlsx(content), _read_xlsx(content, None))


def test_a_long_cell_is_named_by_the_streaming_reader(workbooks):
    book = Workbook()
    book.active.append(["indicator", "period", "value"])
    book.active.append(["x", "2024-25 Q1", "y" * 10_001])
    with pytest.raises(FileProblem, match=r"Row 2, column 3 .* 10,001 characters"):
        read_streamed(saved(book), None)


def test_an_empty_percentage_cell_is_empty():
    """fastexcel's path read the text of every percentage-formatted cell as a number, so an
    empty one (styled, as a template's column is) made the workbook unreadable."""
    book = Workbook()
    book.active.append(["indicator", "period", "value"])
    book.active.append(["x", "2024-25 Q1", 0.5])
    book.active.append(["x", "2024-25 Q2", None])
    book.active["C2"].number_format = book.active["C3"].number_format = "0%"
    table = read_xlsx(saved(book))
    assert table.cells.column("c2").to_pylist() == ["50", ""]
    assert table.percent_cells == {(2, 2), (3, 2)}


def test_a_sheet_data_tag_cut_between_two_reads(workbooks):
    """The sheet's XML is read a megabyte at a time: a <sheetData> whose '>' falls in the
    second megabyte (after long column settings, say) is still found whole."""
    from metrics.ingest.xlsx_text import CHUNK

    def pad(xml: bytes) -> bytes:
        at = xml.index(b"<sheetData>")
        return xml[:at] + b" " * (CHUNK - at - 10) + xml[at:]

    content = _edited(workbooks["varied"], pad)
    same(read_streamed(content, None), _read_xlsx(content, None))


OOXML = "http://schemas.openxmlformats.org"
SHARED_REL = (
    f'<Relationship Id="rIdS" Type="{OOXML}/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/>'
)
SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def _shared(rows: int, text: str) -> bytes:
    """A workbook whose note column's cells all name one shared string, `text` (openpyxl
    writes inline strings; Excel and LibreOffice write shared ones)."""
    book = Workbook()
    book.active.append(["indicator", "period", "value", "note"])
    for _ in range(rows):
        book.active.append(["local-offer-visits", "2025-26 Q4", 1, "NOTE"])
    raw = io.BytesIO()
    book.save(raw)
    inline = rb'(<c r="D\d+") t="inlineStr"><is><t>NOTE</t></is>'
    edits = {
        "xl/worksheets/sheet1.xml": lambda d: re.sub(inline, rb'\1 t="s"><v>0</v>', d),
        "xl/_rels/workbook.xml.rels": lambda d: d.replace(
            b"</Relationships>", SHARED_REL.encode() + b"</Relationships>"
        ),
        "[Content_Types].xml": lambda d: d.replace(b"</Types>", SHARED_TYPE.encode() + b"</Types>"),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, edits.get(item.filename, lambda d: d)(data))
        sst = f'<sst xmlns="{OOXML}/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        dst.writestr("xl/sharedStrings.xml", f"{sst}<si><t>{text}</t></si></sst>")
    return out.getvalue()


def test_a_long_shared_string_is_named_before_it_is_copied_into_its_cells():
    """A 300 KB workbook whose 5,000 note cells all name one 200,000-character shared
    string: each cell's text was copied before the cells were checked (1 GB, 4 GB at the
    peak, 11 s). The sizes are checked first, as numbers: named at once, nothing copied."""
    import resource

    content = _shared(5_000, "x" * 200_000)
    assert len(content) < 1_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(FileProblem, match=r"Row 2, column 4 holds 200,000 characters"):
        read_xlsx(content)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KB


def test_a_shared_string_repeated_within_bounds_is_read(monkeypatch):
    from metrics.ingest import xlsx_text

    content = _shared(200, "n" * 100)
    raw = read_streamed(content, None)
    assert raw.cells.column(3).to_pylist() == ["n" * 100] * 200
    monkeypatch.setattr(xlsx_text, "MAX_PIECE_TEXT_BYTES", 200 * 100 - 1)  # one byte short
    with pytest.raises(FileProblem, match=r"From row 2, the sheet repeats long texts so often"):
        read_xlsx(content)

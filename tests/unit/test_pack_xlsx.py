"""The packs' spreadsheet writer (XlsxWriter since issue 34), read back with openpyxl: the
layout the Analysis Function's guidance asks for, its styles, and no text that can run."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from metrics.packs.sections import Table
from metrics.packs.xlsx import NARROW, WIDE, workbook

TABLE = Table(
    "Things people typed",
    ["Measure", "Said", "Aim"],
    [
        ["Short breaks", '=HYPERLINK("http://x","click")', "70%"],
        ["A very long measure name " * 4, "+cmd|' /C calc'!A0", "80%"],
        ["Minus", "-5", ""],
    ],
    sheet={"Aim": [70, 80.5, None]},
)


def _book():  # type: ignore[no-untyped-def]
    data = workbook("Title", ["First line", "@SUM(A1)"], [("Things", TABLE, "A note.")],
                    [("note 1", "=1+1")])  # fmt: skip
    return load_workbook(io.BytesIO(data))


def test_the_sheets_tables_and_styles():
    book = _book()
    assert book.sheetnames == ["Cover", "Contents", "Notes", "Table_1_Things"]
    cover, sheet = book["Cover"], book["Table_1_Things"]
    assert cover["A1"].value == "Title" and cover["A1"].font.b and cover["A1"].font.sz == 14
    assert cover["A2"].alignment.wrap_text and cover["A2"].alignment.vertical == "top"
    assert [c.value for c in book["Contents"]["A"]] == ["Contents", "Sheet name", "Notes",
                                                        "Table_1_Things"]  # fmt: skip
    assert sheet["A1"].value == "Table 1: Things people typed" and sheet["A1"].font.sz == 14
    assert sheet["A2"].value == "This worksheet contains one table. A note."
    assert [c.value for c in sheet[3]] == TABLE.headers and all(c.font.b for c in sheet[3])
    for row in sheet.iter_rows(min_row=4):
        assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in row)
    assert [r[2] for r in sheet.iter_rows(min_row=4, values_only=True)] == [70, 80.5, "[x]"]
    (table,) = sheet.tables.values()
    assert (table.displayName, table.ref) == ("table_1", "A3:C6")
    assert table.tableStyleInfo.name == "TableStyleLight1"
    assert not table.tableStyleInfo.showRowStripes and table.autoFilter.ref == "A3:C6"
    assert [c.name for c in table.tableColumns] == TABLE.headers
    widths = {k: d.width for k, d in sheet.column_dimensions.items() if d.width}
    # as Excel keeps a width typed in: the characters asked for and its 0.71 of padding
    assert round(widths["A"] - 0.71) == WIDE  # the long name, capped
    assert round(widths["C"] - 0.71) == NARROW  # short, widened to the least
    assert round(book["Cover"].column_dimensions["A"].width - 0.71) == 120


def test_no_cell_is_a_formula_and_text_that_looks_like_one_is_inert():
    book = _book()
    cells = [c for s in book for row in s.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type in ("s", "n") for c in cells)
    texts = {str(c.value) for c in cells}
    assert '\'=HYPERLINK("http://x","click")' in texts
    assert "'+cmd|' /C calc'!A0" in texts and "'@SUM(A1)" in texts and "'=1+1" in texts
    minus = book["Table_1_Things"]["B6"]
    assert (minus.value, minus.data_type) == ("-5", "s")  # a number written as text stays text

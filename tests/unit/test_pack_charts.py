"""Pack charts and the pack's spreadsheet say what they mean (issue 27 item 25): a percentage
axis never runs past 100, the axis says its unit, a long council name is wrapped rather than
cut (measured in a real browser: tests/browser/test_pack_charts.py); the XLSX writes units
as words, statement numbers as numbers and aims as numbers."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from metrics.packs import svg
from tests.unit.test_pack import scrutiny_pack, store  # noqa: F401  (the module's fixtures)

PERIODS = ["2025-26 Q3", "2025-26 Q4", "2026-27 Q1", "2026-27 Q2"]


def axis_numbers(drawn: str) -> list[str]:
    return re.findall(r'text-anchor="end" fill="#333333">([\d,.]+)</text>', drawn)


def test_a_percentage_axis_stops_at_100_and_says_its_unit():
    drawn = svg.line_chart(PERIODS, [91, 95, 97, 96], None, 100, "Us", unit="%", percent=True)
    assert axis_numbers(drawn)[-1] == "100"
    assert ">%</text>" in drawn
    counts = svg.line_chart(PERIODS, [91, 95, 97, 96], unit="count")
    assert axis_numbers(counts)[-1] == "200" and ">count</text>" in counts  # not a percentage


def test_a_long_council_name_is_wrapped_into_lines():
    drawn = svg.line_chart(PERIODS, [1, 2, 3, 4], our_label="Hartlepool Borough Council")
    assert ">Hartlepool </tspan>" in drawn and ">Borough Council</tspan>" in drawn


def test_the_spreadsheet_writes_units_as_words_and_numbers_as_numbers(scrutiny_pack):  # noqa: F811
    book = load_workbook(io.BytesIO(scrutiny_pack[1]["xlsx"]))
    statements = list(book["Table_1_Statements"].iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in statements] == list(range(1, 13))
    figures = list(book["Table_2_Figures"].iter_rows(min_row=4, values_only=True))
    units = {r[4] for r in figures}
    assert "per 10,000" in units and not any("_" in u for u in units)
    measures = list(book["Table_3_Measures"].iter_rows(min_row=4, values_only=True))
    assert all(isinstance(r[0], int) for r in measures)
    aims = [r[4] for r in measures]
    assert 85 in aims and all(isinstance(a, int | float) or a == "[z]" for a in aims)

"""A file as read: a table of text cells with Excel's row numbers, or the problem that stops it
being read. Both readers (read.py for CSV, read_xlsx.py for workbooks) return these; on their
own here, so that neither reader imports the other's module to get them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa

PREFERRED_SHEET = "Return"
MAX_CELL_CHARS = 10_000  # the longest cell an Excel return may hold
# A percentage-formatted cell holds a fraction (57.5% as 0.575), and 0.575 * 100 in binary is
# 57.49999999999999: stored so, it rounded to 57 rather than 58 and was "revised" by the same
# figure sent as 57.5. The hundredfold is rounded to this many decimals, as the readers show
# other numbers (xlsx_text.py keeps nine), so the figure is the one the analyst typed.
PERCENT_DECIMALS = 9


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message says what to do."""


@dataclass
class RawTable:
    header: list[str]
    # One text column per header position, c0..cN: string, or a dictionary of strings (the CSV
    # reader's; a workbook's column of repeated texts, metrics/ingest/xlsx_columns.py).
    cells: pa.Table
    row_no: Sequence[int]  # Excel row number of each data row (a range when they follow on)
    notes: list[str] = field(default_factory=list)  # what we did to read it (encoding, sheet)
    sheet: str | None = None
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (row, number of values)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col) shown as %
    formula_gaps: list[tuple[int, int]] = field(default_factory=list)  # formulas with no value
    records: int | None = None  # data rows counted apart from the parser (CSV), to compare


def choose_sheet(names: list[str], wanted: str | None) -> tuple[str, list[str]]:
    """The sheet to read: the one a provider's layout names (`wanted`), else 'Return', else
    the first; with a note saying which when the workbook has several."""
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
    return sheet_name, notes

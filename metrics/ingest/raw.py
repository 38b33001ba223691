"""A file as read: a table of text cells with Excel's row numbers, or the problem that stops it
being read. Both readers (read.py for CSV, read_xlsx.py for workbooks) return these; on their
own here, so that neither reader imports the other's module to get them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

PREFERRED_SHEET = "Return"
MAX_CELL_CHARS = 10_000  # the longest cell an Excel return may hold


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message says what to do."""


@dataclass
class RawTable:
    header: list[str]
    cells: pa.Table  # one string column per header position, c0..cN
    row_no: list[int]  # Excel row number of each data row
    notes: list[str] = field(default_factory=list)  # what we did to read it (encoding, sheet)
    sheet: str | None = None
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (row, number of values)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col) shown as %
    formula_gaps: list[tuple[int, int]] = field(default_factory=list)  # formulas with no value
    records: int | None = None  # data rows counted apart from the parser (CSV), to compare

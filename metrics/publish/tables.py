"""The one writer for every CSV and XLSX the app or the command line produces.

A spreadsheet treats a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
as a formula, so text from a user or a file (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`) would
run on the machine of whoever opens the download. Text cells that start so are written with
a leading apostrophe (OWASP's advice; Excel shows the text as typed). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """A cell value that no spreadsheet will run: text made inert, other values unchanged.

    A plain signed number written as text ("-5", "+1.5") is no formula and stays as it is."""
    if value is None:
        return ""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def csv_bytes(
    rows: Sequence[Mapping[str, Any]],
    fieldnames: Sequence[str] | None = None,
    lineterminator: str = "\r\n",
) -> bytes:
    """Rows of dicts as UTF-8 CSV, every text cell formula-safe; empty cells stay empty.

    Lines end CRLF (RFC 4180): Python's csv module quotes a cell holding a line break only if
    the break is part of the line terminator, so a bare carriage return in a note would
    otherwise split the row in a spreadsheet."""
    if not rows and fieldnames is None:
        return b""
    out = io.StringIO()
    write_csv(out, rows, fieldnames or list(rows[0]), lineterminator)
    return out.getvalue().encode("utf-8")


def write_csv(
    out: Any,
    rows: Iterable[Mapping[str, Any]],
    fieldnames: Sequence[str],
    lineterminator: str = "\r\n",
) -> None:
    """Write rows to a text stream (a file, or standard output) formula-safe."""
    writer = csv.DictWriter(out, fieldnames=list(fieldnames), lineterminator=lineterminator)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row for openpyxl's `append`, every text cell formula-safe."""
    return [safe_cell(v) for v in values]

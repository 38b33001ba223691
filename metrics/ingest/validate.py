"""Validate a quarterly return: header, then every rule over the whole file in DuckDB.

Validation runs in a private in-memory DuckDB (`validate_file`), so checking a large or bad
file never holds the store's lock: only the typed rows of a clean file go on to the store.
Python only looks at the distinct texts that need it (periods, suggestions).
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pyarrow as pa

from charter import Charter
from metrics.ingest import lookups, passes, staged, typed
from metrics.ingest.read import RawTable
from metrics.ingest.source import COLUMNS, REQUIRED, source_table

MAX_ERRORS_KEPT = 1000  # a rejected file's first errors are kept and shown; the rest counted


@dataclass(frozen=True)
class RowError:
    row: int | None  # Excel row number; None for the file as a whole
    column: str
    value: str
    problem: str
    fix: str

    def as_text(self) -> str:
        where = f"Row {self.row}" if self.row is not None else "File"
        col = f", column {self.column}" if self.column else ""
        shown = f" (value: {self.value!r})" if self.value else ""
        return f"{where}{col}{shown}: {self.problem} {self.fix}".strip()


@dataclass
class Validation:
    errors: list[RowError]  # at most MAX_ERRORS_KEPT of them, in row order
    staged: pa.Table | None  # the typed rows of a clean file, ready to store
    rows_in_file: int
    rejected_rows: int
    notes: list[str] = field(default_factory=list)
    error_total: int = 0  # every error found, including those not kept
    rows_read: int = 0  # data rows read from the file, blank ones included

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_header(name: str) -> str:
    return "_".join(name.replace("\ufeff", "").strip().lower().replace("-", " ").split())


def check_header(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Map our column names to positions; unknown, duplicate and missing columns are errors."""
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for i, raw in enumerate(header):
        name = normalise_header(raw)
        if not name:
            continue
        if name in positions:
            errors.append(
                RowError(
                    1,
                    raw,
                    raw,
                    f"The column {raw!r} appears twice.",
                    "Delete one of the two columns.",
                )
            )
        elif name in COLUMNS:
            positions[name] = i
        else:
            near = difflib.get_close_matches(name, COLUMNS, n=1, cutoff=0.6)
            hint = f"Did you mean {near[0]!r}? " if near else ""
            errors.append(
                RowError(
                    1,
                    raw,
                    raw,
                    f"Unknown column {raw!r}.",
                    f"{hint}The columns are: {', '.join(COLUMNS)}.",
                )
            )
    # The value may be left to be worked out from numerator and denominator.
    worked_out = "numerator" in positions and "denominator" in positions
    for name in REQUIRED:
        if name not in positions and not (name == "value" and worked_out):
            errors.append(
                RowError(
                    1,
                    name,
                    "",
                    f"The required column {name!r} is missing.",
                    f"Add a column headed {name!r} (see the template).",
                )
            )
    return positions, errors


_SCRATCH = threading.local()  # one in-memory database per thread (DuckDB: a connection each)
_SCRATCH_TABLES = ("found",)


def validate_file(raw: RawTable, charter: Charter, today: date | None = None) -> Validation:
    """Check every row in a private in-memory database; the store is not touched.

    The in-memory database is kept for the thread's next file (opening one costs more than
    checking a small file); what this file put in it is dropped afterwards."""
    con = getattr(_SCRATCH, "con", None)
    if con is None:
        con = _SCRATCH.con = duckdb.connect()
    try:
        return validate(raw, charter, con, today or date.today())
    finally:
        con.execute("DROP VIEW IF EXISTS typed")
        for table in _SCRATCH_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
        con.unregister("src")


def _errors(con: duckdb.DuckDBPyConnection) -> tuple[list[RowError], int, int]:
    """The first MAX_ERRORS_KEPT errors, the number of errors and the rows with any."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE found AS {passes.ERRORS}")
    total, rows = con.execute("SELECT count(*), count(DISTINCT row_no) FROM found").fetchall()[0]
    kept = con.execute("SELECT * FROM found ORDER BY ALL LIMIT ?", [MAX_ERRORS_KEPT]).fetchall()
    return [RowError(*r) for r in kept], int(total), int(rows)


def validate(
    raw: RawTable, charter: Charter, con: duckdb.DuckDBPyConnection, today: date
) -> Validation:
    """Check every row in `con`'s temporary tables; a clean file's typed rows come back."""
    positions, errors = check_header(raw.header)
    if not any(h.strip() for h in raw.header) and raw.cells.num_rows:
        errors = [_no_header(raw)]  # one error saying where it is, not three 'missing'
    notes = list(raw.notes)
    read = raw.cells.num_rows + len(raw.ragged)
    if raw.records is not None and raw.records != read:  # never lose a row quietly
        problem = (
            f"The file has {raw.records:,} rows but {read:,} could be read. Save it again as "
            "'CSV UTF-8 (Comma delimited)' and upload it again."
        )
        return Validation([RowError(None, "", "", problem, "")], None, read, 0, notes, 1, read)
    notes.append(f"Read {read:,} row{'s' if read != 1 else ''} from the file; all were checked.")
    if errors:
        return Validation(errors, None, raw.cells.num_rows, 0, notes, len(errors), read)
    source, unused = source_table(raw, positions)
    con.register("src", source)
    if unused:
        notes.append(
            f"{unused:,} template row{'s' if unused != 1 else ''} left empty (no value, "
            f"numerator, denominator, status or note) {'were' if unused != 1 else 'was'} skipped."
        )
    for row, count in raw.ragged:
        errors.append(
            RowError(
                row,
                "",
                "",
                f"This row has {count} values but the header has {len(raw.header)} columns.",
                "Check for a missing or extra comma; text with commas needs "
                "double quotes around it.",
            )
        )
    lookups.build(con, charter, today)
    for macro in typed.MACROS:
        con.execute(macro)
    con.execute(typed.TYPED.replace("$council", _quoted(charter.council.code)))
    rows = source.num_rows  # `typed` is a view of `src`, a row for each (its look-ups are unique)
    blank = raw.cells.num_rows - rows - unused
    if blank:
        notes.append(f"Skipped {blank} empty row{'s' if blank != 1 else ''}.")
    if rows == 0 and not raw.ragged:
        errors.append(
            RowError(
                None,
                "",
                "",
                "The file has no figures: every row is empty or a template row left as it came."
                if unused
                else "The file has a header but no data rows.",
                "Fill in the value (or numerator and denominator) for each figure.",
            )
        )
        return Validation(errors, None, 0, 0, notes, 1, read)
    clean = None if raw.ragged else staged.clean_rows(con, rows)
    if clean is not None:
        notes.extend(clean[1])
        return Validation([], clean[0], rows, 0, notes, 0, read)
    found, total, bad_rows = _errors(con)
    if not total and not raw.ragged:  # (the two passes ask the same rules: never so)
        raise RuntimeError("a row failed the checks, but no check says which")
    errors = (errors + found)[:MAX_ERRORS_KEPT]
    errors.sort(key=lambda e: (e.row or 0, COLUMNS.index(e.column) if e.column in COLUMNS else 99))
    total += len(raw.ragged)
    rejected = bad_rows + len(raw.ragged)
    if total:
        if total > len(errors):
            notes.append(
                f"{total:,} problems were found; the first {len(errors):,} are listed. "
                "Correct these and check the file again."
            )
        return Validation(errors, None, rows + len(raw.ragged), rejected, notes, total, read)
    raise RuntimeError("unreachable: a file with no problem is returned above")


def _no_header(raw: RawTable) -> RowError:
    """Row 1 empty: where the header is, if one of the first rows holds it (empty rows left
    above it, as a sheet copied into a workbook often has)."""
    first = raw.cells.slice(0, 50).to_pylist()
    for i, row in enumerate(first):
        names = {normalise_header(str(v or "")) for v in row.values()}
        if {"indicator", "period"} <= names:
            at = raw.row_no[i]
            return RowError(
                1,
                "",
                "",
                f"This row is empty, but the header (indicator, period, ...) must be here: "
                f"it is on row {at}.",
                f"Delete the empty row{'s' if at > 2 else ''} above the header and upload the "
                "file again.",
            )
    return RowError(
        1,
        "",
        "",
        "This row is empty, but the header (indicator, period, value, ...) must be here.",
        "Put the template's header on the first row and upload the file again.",
    )


def _quoted(text: str) -> str:
    """A SQL string literal: a view cannot hold a parameter, and the council's code comes
    from the charter (checked as a GSS code), but quote it properly all the same."""
    return "'" + text.replace("'", "''") + "'"

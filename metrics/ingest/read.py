"""Read an uploaded CSV or Excel file into a table of text cells, keeping Excel row numbers.

Everything is read as text: what the analyst typed is what validation sees, so "1,234",
"45%", "c" and "2024/25 Q1" can each be judged and explained. Row numbers are the ones the
analyst sees in Excel (the header is row 1), blank rows included.
"""

from __future__ import annotations

import io
from pathlib import PurePath
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from metrics.ingest.raw import (  # what a read returns; importers take them from here too
    MAX_CELL_CHARS,
    FileProblem as FileProblem,
    RawTable as RawTable,
)
from metrics.ingest.read_xlsx import read_xlsx

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
BLOCK_BYTES = 4_000_000  # the longest CSV row we read; a return's rows are under 1 kB


def read_upload(file_name: str, content: bytes, sheet: str | None = None) -> RawTable:
    """Read CSV or XLSX bytes (a workbook's `sheet` if named: a provider's own layout);
    anything else is refused with a clear reason."""
    suffix = PurePath(file_name).suffix.lower()
    if not content:
        raise FileProblem("The file is empty (0 bytes). Fill in the template and upload it again.")
    if content.startswith(OLE_MAGIC) or suffix == ".xls":
        raise FileProblem(
            "This is an old Excel 97-2003 (.xls) file, which we cannot read. In Excel use "
            "File > Save As and choose 'Excel Workbook (.xlsx)' or 'CSV UTF-8'."
        )
    if content.startswith(XLSX_MAGIC):
        if suffix not in (".xlsx", ".xlsm", ""):
            raise FileProblem(
                f"{file_name!r} is a {suffix or 'zipped'} file, not a quarterly return. "
                "Upload the return as .xlsx or .csv."
            )
        return read_xlsx(content, sheet)  # (it imports fastexcel only when a workbook comes)
    if suffix in (".xlsx", ".xlsm"):
        raise FileProblem(f"{file_name!r} is named .xlsx but is not an Excel workbook.")
    if suffix not in (".csv", ".txt", ""):
        raise FileProblem(
            f"{file_name!r} is a {suffix} file. Upload the quarterly return as .csv or .xlsx."
        )
    _check_encoding(file_name, content)
    return read_csv(content)


def _check_encoding(file_name: str, content: bytes) -> None:
    """Refuse text we would misread: UTF-32, UTF-16 without its byte-order mark, NUL bytes."""
    if content.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise FileProblem(
            f"{file_name!r} is saved as UTF-32 text, which we do not read. In Excel use "
            "File > Save As and choose 'CSV UTF-8 (Comma delimited)'."
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with its byte-order mark: read as such
    head = content[:4096]
    if head.count(b"\x00") * 4 >= len(head):  # every other byte NUL: UTF-16 text
        raise FileProblem(
            f"{file_name!r} looks like UTF-16 text saved without a byte-order mark, so its "
            "encoding cannot be told for sure. Save it as 'CSV UTF-8 (Comma delimited)'."
        )
    if b"\x00" in content:
        row = content[: content.index(b"\x00")].count(b"\n") + 1
        raise FileProblem(
            f"{file_name!r} is not a text file: it holds a NUL byte (line {row}). It may be "
            "damaged or not a CSV file; save it again as 'CSV UTF-8 (Comma delimited)'."
        )


def _decode(content: bytes) -> tuple[str, str | None]:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict"), "UTF-8 with a byte-order mark"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "UTF-16 (Excel 'Unicode text')"
    try:
        return content.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "Windows-1252 (the older Excel 'CSV' format)"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "Latin-1"


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def read_csv(content: bytes) -> RawTable:
    text, encoding_note = _decode(content)
    notes = [f"Read as {encoding_note}."] if encoding_note else []
    if not text.strip():
        raise FileProblem("The file has no content. Fill in the template and upload it again.")
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    if delimiter != ",":
        notes.append(f"Columns are separated by {'tabs' if delimiter == chr(9) else 'semicolons'}.")
    data = text.encode("utf-8") if encoding_note or content.startswith(b"\xef\xbb\xbf") else content
    records = _count_records(text) - 1
    table, ragged = _parse_csv(data, delimiter, threads=True)
    if ragged:  # numbers of bad rows are only known from a single-threaded read
        table, ragged = _parse_csv(data, delimiter, threads=False)
    _check_cell_lengths(table)
    header = [str(v) for v in table.slice(0, 1).to_pylist()[0].values()] if table.num_rows else []
    cells = table.slice(1).rename_columns([f"c{i}" for i in range(table.num_columns)])
    skipped = {row for row, _ in ragged}
    row_no = list(range(2, cells.num_rows + 2))
    if skipped:  # rows skipped as ragged keep their numbers; the others shift past them
        row_no, n = [], 2
        while len(row_no) < cells.num_rows:
            if n not in skipped:
                row_no.append(n)
            n += 1
    return RawTable(
        header=header, cells=cells, row_no=row_no, notes=notes, ragged=ragged, records=records
    )


def _check_cell_lengths(table: pa.Table) -> None:
    import pyarrow.compute as pc

    for i, column in enumerate(table.columns):
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > MAX_CELL_CHARS:
            row = pc.index(lengths, longest).as_py() + 1
            raise FileProblem(
                f"Row {row}, column {i + 1} holds {longest:,} characters, which no return "
                "needs. Shorten or clear the cell and upload the file again."
            )


def _count_records(text: str) -> int:
    """Rows of the file, header included, counted apart from the CSV parser (a quoted cell
    may hold line breaks), and checking that no quote is left open.

    A quote that is never closed would swallow every following row into one cell. Counting
    quotes per line tells where a quoted cell is still open at the end of the file (a
    doubled quote "" inside a cell counts twice, so it never changes the state)."""
    if '"' not in text:
        if "\n" not in text:  # one line, or old Mac line ends
            return len(text.splitlines())
        return text.count("\n") + (0 if text.endswith("\n") else 1)
    open_at, record, inside = 0, 0, False
    for line in text.splitlines():
        if not inside:
            record += 1  # a new row starts on this line; the header is row 1
        if line.count('"') % 2:
            inside = not inside
            if inside:
                open_at = record
    if inside:
        raise FileProblem(
            f'Row {open_at} opens a quoted cell (a " mark) that is never closed, so every '
            "row after it would be read as part of that cell. Close the quote or remove it, "
            "then upload the file again."
        )
    return record


def _parse_csv(
    data: bytes, delimiter: str, threads: bool
) -> tuple[pa.Table, list[tuple[int, int]]]:
    ragged: list[tuple[int, int]] = []

    def on_bad_row(row: Any) -> str:
        ragged.append((int(row.number) if row.number is not None else 0, row.actual_columns))
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(
                autogenerate_column_names=True, use_threads=threads, block_size=BLOCK_BYTES
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_bad_row,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=_all_text(data, delimiter), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as err:
        if "straddling" in str(err):  # one row longer than the reader's block
            raise FileProblem(
                f"A row of the file is longer than {BLOCK_BYTES // 1_000_000} MB. A return's "
                "cells are short: check for a note pasted many times or a missing line break."
            ) from err
        raise FileProblem(f"The CSV file could not be read: {err}") from err
    return table, ragged


def _all_text(data: bytes, delimiter: str) -> dict[str, pa.DataType]:
    # Every column is text; generous so that any column count in the file is covered.
    width = data.split(b"\n", 1)[0].count(delimiter.encode()) + 1
    return {f"f{i}": pa.string() for i in range(width)}

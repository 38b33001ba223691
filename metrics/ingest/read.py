"""Read an uploaded CSV or Excel file into a table of text cells, keeping Excel row numbers.

Everything is read as text: what the analyst typed is what validation sees, so "1,234",
"45%", "c" and "2024/25 Q1" can each be judged and explained. Row numbers are the ones the
analyst sees in Excel (the header is row 1), blank rows included.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
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
        if suffix in (".csv", ".txt"):  # a workbook renamed, as often as not
            raise FileProblem(
                f"{file_name!r} is named {suffix} but is a zipped file, such as an Excel "
                "workbook, not text. If it is the return, rename it .xlsx (or in Excel use "
                "File > Save As and choose 'CSV UTF-8') and upload it again."
            )
        if suffix not in (".xlsx", ".xlsm", ""):
            raise FileProblem(
                f"{file_name!r} is a {suffix} file, not a quarterly return. "
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


UTF8_CHUNK = 4 * 1024 * 1024  # UTF-8 is checked a slice at a time, never held as one str
_ASCII_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c\x1c-\x1f]")  # what str.strip() strips, in ASCII


def _is_utf8(content: bytes | memoryview) -> bool:
    """Whether the bytes are UTF-8, checked without decoding the whole file at once (a
    50 MB upload as one str is another 50 MB held)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    view = memoryview(content)
    try:
        for at in range(0, len(view), UTF8_CHUNK):
            decoder.decode(view[at : at + UTF8_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _as_utf8(content: bytes) -> tuple[bytes | memoryview, str | None]:
    """The file as UTF-8 bytes for the parser, and how it was read if not plain UTF-8. Plain
    UTF-8 (nearly every file) is the upload's own bytes, not a copy."""
    if content.startswith(b"\xef\xbb\xbf"):
        view = memoryview(content)[3:]
        if not _is_utf8(view):
            raise UnicodeDecodeError("utf-8", bytes(view[:1]), 0, 1, "invalid UTF-8 after a BOM")
        return view, "UTF-8 with a byte-order mark"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16").encode("utf-8"), "UTF-16 (Excel 'Unicode text')"
    if _is_utf8(content):
        return content, None
    try:
        return content.decode("cp1252").encode("utf-8"), (
            "Windows-1252 (the older Excel 'CSV' format)"
        )
    except UnicodeDecodeError:
        return content.decode("latin-1").encode("utf-8"), "Latin-1"


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _first_line(data: bytes | memoryview) -> str:
    """The header line (after any blank lines), decoded: only its bytes, not the file's."""
    raw = bytes(data[: BLOCK_BYTES + 1])  # a longer row is refused by the parser anyway
    start = len(raw) - len(raw.lstrip(b"\r\n"))
    end = raw.find(b"\n", start)
    return raw[start : end if end >= 0 else len(raw)].decode("utf-8", errors="replace")


def _blank(data: bytes | memoryview) -> bool:
    """Whether the text is only white space (as str.strip() sees it)."""
    found = _ASCII_SPACE.search(data)
    if found is None:
        return True
    if data[found.start()] < 0x80:
        return False
    return not bytes(data).decode("utf-8").strip()  # non-ASCII first: Unicode's spaces too


def read_csv(content: bytes) -> RawTable:
    data, encoding_note = _as_utf8(content)
    notes = [f"Read as {encoding_note}."] if encoding_note else []
    if _blank(data):
        raise FileProblem("The file has no content. Fill in the template and upload it again.")
    delimiter = _delimiter(_first_line(data))
    if delimiter != ",":
        notes.append(f"Columns are separated by {'tabs' if delimiter == chr(9) else 'semicolons'}.")
    records = _count_records(data) - 1
    table, ragged = _parse_csv(data, delimiter)
    del data  # (a copy when the file was not UTF-8: let it go before the checks)
    header = [str(v) for v in table.slice(0, 1).to_pylist()[0].values()] if table.num_rows else []
    cells = table.slice(1).rename_columns([f"c{i}" for i in range(table.num_columns)])
    skipped = {row for row, _ in ragged}
    row_no: Sequence[int] = range(2, cells.num_rows + 2)  # (not a list: 14 MB for 380,000)
    if skipped:  # rows skipped as ragged keep their numbers; the others shift past them
        kept: list[int] = []
        n = 2
        while len(kept) < cells.num_rows:
            if n not in skipped:
                kept.append(n)
            n += 1
        row_no = kept
    _check_cell_lengths(table, row_no)
    return RawTable(
        header=header, cells=cells, row_no=row_no, notes=notes, ragged=ragged, records=records
    )


def _check_cell_lengths(table: pa.Table, row_no: Sequence[int]) -> None:
    """Refuse a cell longer than any return needs, naming its row in the file (the header is
    row 1; `row_no`: each data row's, past rows skipped as ragged). The cells are
    dictionaries (see `_all_text`): each distinct text is measured once."""
    import pyarrow.compute as pc

    for i, column in enumerate(table.columns):
        start = 0
        for chunk in column.chunks:
            lengths = pc.utf8_length(chunk.dictionary)
            longest = pc.max(lengths).as_py()
            if longest is not None and longest > MAX_CELL_CHARS:
                which = pc.index(lengths, longest).as_py()
                at = start + chunk.indices.to_pylist().index(which)  # (a refusal: rare)
                row = row_no[at - 1] if at else 1
                raise FileProblem(
                    f"Row {row}, column {i + 1} holds {longest:,} characters, which no return "
                    "needs. Shorten or clear the cell and upload the file again."
                )
            start += len(chunk)


def _count_records(data: bytes | memoryview) -> int:
    """Rows of the file, header included, counted apart from the CSV parser (a quoted cell
    may hold line breaks), and checking that no quote is left open.

    A quote that is never closed would swallow every following row into one cell. Counting
    quotes per line tells where a quoted cell is still open at the end of the file (a
    doubled quote "" inside a cell counts twice, so it never changes the state). A file
    without quotes is counted in its bytes; one with quotes line by line as text."""
    raw, start = _underlying(data)
    if raw.find(b'"', start) < 0 and raw.find(b"\n", start) >= 0:
        # Line ends as the CSV parser takes them: \n, \r\n and a \r alone
        breaks = raw.count(b"\n", start) + raw.count(b"\r", start) - raw.count(b"\r\n", start)
        return breaks + (0 if raw.endswith((b"\n", b"\r")) else 1)
    text = bytes(data).decode("utf-8")
    if '"' not in text:  # one line, or old Mac line ends
        return len(_lines(text))
    open_at, record, inside = 0, 0, False
    for line in _lines(text):
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


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _lines(text: str) -> list[str]:
    """The text's lines as the CSV parser breaks them: at \n, \r\n or \r only. Python's
    splitlines() breaks at seven more (a line separator pasted from the web, a vertical
    tab), which counted rows the parser does not see, and a good file was refused as
    "has 3 rows but 2 could be read"."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _underlying(data: bytes | memoryview) -> tuple[bytes, int]:
    """The bytes object and where the data starts in it: a view past a byte-order mark is
    searched in place rather than copied."""
    if isinstance(data, memoryview) and isinstance(data.obj, bytes):
        return data.obj, len(data.obj) - data.nbytes  # (a view is always a suffix here)
    return bytes(data), 0


def _parse_csv(data: bytes | memoryview, delimiter: str) -> tuple[pa.Table, list[tuple[int, int]]]:
    """The file's cells as text. One thread: it gives bad rows their numbers, and measured
    on a 50 MB return it was also quicker (0.1 s against 0.6 s on a busy 2-core machine) and
    held less memory than the threaded reader. Into jemalloc's pool where pyarrow has it:
    with the default pool (mimalloc) the read held 100 MB beyond its 61 MB table."""
    ragged: list[tuple[int, int]] = []

    def on_bad_row(row: Any) -> str:
        ragged.append((int(row.number) if row.number is not None else 0, row.actual_columns))
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)),  # the bytes themselves, no copy
            read_options=pacsv.ReadOptions(
                autogenerate_column_names=True, use_threads=False, block_size=BLOCK_BYTES
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
            memory_pool=READ_POOL,
        )
    except pa.ArrowInvalid as err:
        if "straddling" in str(err):  # one row longer than the reader's block
            raise FileProblem(
                f"A row of the file is longer than {BLOCK_BYTES // 1_000_000} MB. A return's "
                "cells are short: check for a note pasted many times or a missing line break."
            ) from err
        raise FileProblem(f"The CSV file could not be read: {err}") from err
    return table, ragged


def _read_pool() -> pa.MemoryPool:
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:  # a pyarrow built without it
        return pa.default_memory_pool()


READ_POOL = _read_pool()


def _all_text(data: bytes | memoryview, delimiter: str) -> dict[str, pa.DataType]:
    """Every column is text, each as a dictionary of its distinct texts (per block of the
    file): a return repeats its indicators, periods, areas, statuses and notes thousands of
    times, and a 50 MB return's cells took 64 MB as plain strings, 16 MB so (in the same
    time). Generous, so that any column count in the file is covered."""
    head = bytes(data[: BLOCK_BYTES + 1])  # a longer row is refused by the parser anyway
    width = head.split(b"\n", 1)[0].count(delimiter.encode()) + 1
    return {f"f{i}": TEXT for i in range(width)}


TEXT = pa.dictionary(pa.int32(), pa.string())

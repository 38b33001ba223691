"""A file's cells as the checks read them: our columns by name, trimmed, with the flags
the reader found (percentage-formatted values, formulas without a saved result) and the
cells in columns without a header; blank rows and template rows left as they came are taken
out (metrics/ingest/validate.py counts them)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrics.ingest import read
from metrics.ingest.arrow_arrays import bools, empty_texts, scalar, texts_of
from metrics.ingest.read import RawTable

REQUIRED = ("indicator", "period", "value")
OPTIONAL = ("area", "breakdown", "group", "numerator", "denominator", "status", "note")
COLUMNS = REQUIRED + OPTIONAL


def source_table(raw: RawTable, positions: dict[str, int]) -> tuple[pa.Table, int]:
    """Our columns by name, trimmed (in Arrow, which is quicker than SQL at it)."""
    n = raw.cells.num_rows
    empty = empty_texts(n)
    columns: dict[str, pa.Array | pa.ChunkedArray] = {"row_no": _row_numbers(raw.row_no)}
    for name in COLUMNS:
        pos = positions.get(name)
        key = "grp" if name == "group" else name
        present = pos is not None and pos < raw.cells.num_columns
        columns[key] = _trimmed(raw.cells.column(pos)) if present else empty
    value_pos = positions.get("value", -1)
    columns["value_pct"] = _flags(raw.row_no, {r for r, c in raw.percent_cells if c == value_pos})
    columns["formula_gap"] = _flags(raw.row_no, {r for r, c in raw.formula_gaps if c == value_pos})
    extra = [
        i for i in range(raw.cells.num_columns) if i >= len(raw.header) or not raw.header[i].strip()
    ]
    columns["extra"] = _extra_cells(raw, extra)
    table = pa.table(columns)
    text = ["grp" if c == "group" else c for c in COLUMNS] + ["extra"]
    is_empty = {c: _empty(table[c]) for c in text}
    blank = functools.reduce(pc.and_, (is_empty[c] for c in text))
    # A row of nothing but Excel's error values (a formula copied down below the data,
    # showing #DIV/0! where its cells are empty) is a blank row, as it was when the readers
    # gave errors no text; an error beside anything else is named by the checks.
    blank = pc.or_(blank, functools.reduce(pc.and_, (_empty(table[c], ERRORS) for c in text)))
    # A template row left as it came: its keys filled in, no figure and nothing else.
    figures = ("value", "numerator", "denominator", "status", "note", "extra")
    unused = pc.and_(
        functools.reduce(pc.and_, (is_empty[c] for c in figures)),
        pc.and_(pc.invert(is_empty["indicator"]), pc.invert(is_empty["period"])),
    )
    unused = pc.and_(unused, pc.invert(table["formula_gap"]))  # a formula is not empty
    unused_rows = pc.sum(pc.cast(unused, pa.int64())).as_py() or 0
    skip = pc.or_(blank, unused)
    if not pc.any(skip).as_py():  # nearly every file: the table as it is, not a copy
        return table, unused_rows
    return table.filter(pc.invert(skip)), unused_rows


def _trimmed(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """The column without white space around its cells; the column itself when no cell has
    any, as in nearly every file, so the file's text is held once. A chunk at a time (a
    whole column trimmed only to be compared held a copy of the file's text, which the
    allocator kept); a dictionary's distinct texts are trimmed, not every cell. (Trimming
    and comparing the lengths is quicker than any test for white space at the ends.)"""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    trimmed = [_trimmed_chunk(chunk) for chunk in chunks]
    if all(t is c for t, c in zip(trimmed, chunks, strict=True)):
        return column
    return pa.chunked_array(trimmed, column.type)


def _trimmed_chunk(chunk: pa.Array) -> pa.Array:
    text = chunk.dictionary if isinstance(chunk, pa.DictionaryArray) else chunk
    trimmed = pc.utf8_trim_whitespace(text, memory_pool=read.READ_POOL)
    if pc.sum(pc.binary_length(trimmed)).as_py() == pc.sum(pc.binary_length(text)).as_py():
        return chunk  # trimming only takes away: the same length is the same text
    if isinstance(chunk, pa.DictionaryArray):
        return pa.DictionaryArray.from_arrays(chunk.indices, trimmed)
    return trimmed


# What Excel shows for a formula that fails (and writes into a CSV saved from it).
# (Not pa.array, which imports pandas to ask whether it was given a pandas object: a CSV's
# check and store import none, tests/unit/test_upload_lean.py.)
ERRORS = texts_of(
    ["", "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"]
)  # fmt: skip


def _empty(
    column: pa.ChunkedArray | pa.Array, among: pa.Array | None = None
) -> pa.ChunkedArray | pa.Array:
    """Whether each cell is empty, or with `among` one of those texts (a dictionary's
    distinct texts compared, not every cell)."""

    def test(texts: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
        return pc.equal(texts, scalar("")) if among is None else pc.is_in(texts, among)

    if not pa.types.is_dictionary(column.type):
        return test(column)
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    return pa.chunked_array([pc.take(test(c.dictionary), c.indices) for c in chunks], pa.bool_())


def _plain(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """A text column as plain strings (for the few functions without a dictionary kernel)."""
    if pa.types.is_dictionary(column.type):
        return column.cast(pa.string())
    return column


def _row_numbers(row_no: Sequence[int]) -> pa.Array:
    """Row numbers as Arrow, from a numpy buffer: `pa.array` (as `pa.scalar`, which compute
    functions call on a Python value) imports pandas, 35 MB, to ask whether it was given a
    pandas object (xlsx_tokens has the helpers for the rest)."""
    if isinstance(row_no, range):
        numbers = np.arange(row_no.start, row_no.stop, row_no.step, dtype=np.int32)
    else:
        numbers = np.fromiter(row_no, dtype=np.int32, count=len(row_no))
    return pa.Array.from_buffers(pa.int32(), len(numbers), [None, pa.py_buffer(numbers)])


def _flags(row_no: Sequence[int], rows: set[int]) -> pa.Array:
    if not rows:
        return bools(np.zeros(len(row_no), dtype=bool))
    return bools(np.fromiter((r in rows for r in row_no), dtype=bool, count=len(row_no)))


def _extra_cells(raw: RawTable, positions: list[int]) -> pa.Array:
    if not positions:
        return empty_texts(raw.cells.num_rows)
    joined = pc.binary_join_element_wise(*[_plain(raw.cells.column(i)) for i in positions], "")
    return _trimmed(joined)

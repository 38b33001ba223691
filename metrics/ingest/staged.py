"""A clean file's rows to store, found in the same pass that checks every row.

Most files that reach the store are clean: one pass over the file (passes.CLEAN_PASS) gives
the rows to store and tells whether any row is wrong or any key may be sent twice; only then
does passes.ERRORS go over the file again to say what is wrong. The rows come as Arrow, a
batch at a time, each text column dictionary-encoded once the file is large (PLAIN_ROWS): a
return repeats its indicators,
periods, areas, statuses (and often notes) thousands of times, and the table is kept from the
check until the store (a 50 MB return's rows: 78 MB as plain text, 28 MB encoded). Both
stores read dictionaries as text. Batches of 16,384 rows: with 65,536 the pass held 30 MB
more at once for a 50 MB return.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrics.ingest import passes

BATCH_ROWS = 16_384
# A file of at most this many rows keeps its rows as DuckDB gives them; a larger one's text
# is dictionary-encoded batch by batch. Encoding is a fifth of a small file's pass (hashing
# every cell of ten text columns) and saves little memory there (a 100,000-row return's
# rows: some 20 MB as plain text). Decided before the pass, from the file's rows: keeping
# a large file's first batches plain and encoding them later left the allocator holding
# more at the store's peak.
PLAIN_ROWS = 8 * BATCH_ROWS


def clean_rows(con: duckdb.DuckDBPyConnection, rows: int) -> tuple[pa.Table, list[str]] | None:
    """The rows to store and the warnings for figures sent as 0 of 0, or None as soon as a
    row breaks a rule or repeats another's figure. `rows`: how many the file has."""
    reader = con.sql(passes.CLEAN_PASS).to_arrow_reader(BATCH_ROWS)
    batches: list[pa.RecordBatch] = []
    hashes: list[np.ndarray] = []
    zero: list[tuple[int, str, str]] = []
    for batch in reader:
        if pc.any(batch.column("wrong")).as_py():
            reader.close()
            return None
        zz = batch.filter(batch.column("zero_of_zero")).select(["row_no", "indicator_id", "period"])
        zero += [tuple(r.values()) for r in zz.to_pylist()]
        hashes.append(_numbers(batch.column("key_hash")))
        kept = batch.drop_columns(["zero_of_zero", "wrong", "key_hash"])
        batches.append(_encoded(kept) if rows > PLAIN_ROWS else kept)
    if not batches:
        return None  # (validate has turned away a file without rows before this)
    # Every key is known in a file with no wrong row: a key sent twice shows as a hash seen
    # twice, and only then is the file asked exactly (different keys may share a hash).
    if _repeats(np.concatenate(hashes)) and con.execute(passes.REPEATED).fetchall()[0][0]:
        return None
    return pa.Table.from_batches(batches), [_zero_of_zero(*z) for z in sorted(zero)]


def _numbers(column: pa.Array) -> np.ndarray:
    """A copy of a column of numbers without nulls (not a view: that would keep the batch,
    see _encoded; not `to_numpy`, which imports pandas)."""
    kind = np.dtype(column.type.to_pandas_dtype())
    return np.frombuffer(column.buffers()[1], kind)[
        column.offset : column.offset + len(column)
    ].copy()


def _repeats(hashes: np.ndarray) -> bool:
    """Whether any hash is there twice: sorted with numpy (8 bytes a row, 0.03 s for 380,000
    rows) rather than pyarrow's count_distinct, which took 75 MB and 0.37 s for them."""
    ordered = np.sort(hashes)
    return bool((ordered[1:] == ordered[:-1]).any())


def _zero_of_zero(row: int, ident: str, period: str) -> str:
    return (
        f"Row {row}: {ident} for {period} is 0 out of 0. A figure out of nothing is not a "
        "percentage, so it is stored as z (not applicable), not as 0."
    )


def _encoded(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch with its text dictionary-encoded and its other columns copied: a batch from
    DuckDB frees its memory only when every column of it is let go, so a number column kept
    as it came kept the batch's plain text too (86 MB for a 50 MB return, measured)."""
    columns = [
        pc.dictionary_encode(c) if pa.types.is_string(c.type) else _copied(c) for c in batch.columns
    ]
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def _copied(column: pa.Array) -> pa.Array:
    """A fixed-width column (numbers, dates, flags) in buffers of its own."""
    buffers = [None if b is None else pa.py_buffer(b.to_pybytes()) for b in column.buffers()]
    return pa.Array.from_buffers(
        column.type, len(column), buffers, null_count=column.null_count, offset=column.offset
    )

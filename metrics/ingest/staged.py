"""A clean file's rows to store, found in the same pass that checks every row.

Most files that reach the store are clean: one pass over the file (rules.CLEAN_PASS) gives
the rows to store and tells whether any row is wrong; only then does rules.ERRORS go over
the file again to say what is wrong. The rows come as Arrow, a batch at a time, each text
column dictionary-encoded: a return repeats its indicators, periods, areas, statuses (and
often notes) thousands of times, and the table is kept from the check until the store (a
50 MB return's rows: 78 MB as plain text, 28 MB encoded). Both stores read dictionaries as
text.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from metrics.ingest import rules

BATCH_ROWS = 65_536


def clean_rows(con: duckdb.DuckDBPyConnection) -> tuple[pa.Table, list[str]] | None:
    """The rows to store and the warnings for figures sent as 0 of 0, or None as soon as a
    row breaks a rule or repeats another's figure."""
    if con.execute(rules.REPEATED).fetchall()[0][0]:
        return None
    reader = con.sql(rules.CLEAN_PASS).to_arrow_reader(BATCH_ROWS)
    batches: list[pa.RecordBatch] = []
    zero: list[tuple[int, str, str]] = []
    for batch in reader:
        if pc.any(batch.column("wrong")).as_py():
            reader.close()
            return None
        zz = batch.filter(batch.column("zero_of_zero")).select(["row_no", "indicator_id", "period"])
        zero += [tuple(r.values()) for r in zz.to_pylist()]
        batches.append(_encoded(batch.drop_columns(["zero_of_zero", "wrong"])))
    if not batches:
        return None  # (validate has turned away a file without rows before this)
    return pa.Table.from_batches(batches), [_zero_of_zero(*z) for z in sorted(zero)]


def _zero_of_zero(row: int, ident: str, period: str) -> str:
    return (
        f"Row {row}: {ident} for {period} is 0 out of 0. A figure out of nothing is not a "
        "percentage, so it is stored as z (not applicable), not as 0."
    )


def _encoded(batch: pa.RecordBatch) -> pa.RecordBatch:
    columns = [pc.dictionary_encode(c) if pa.types.is_string(c.type) else c for c in batch.columns]
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)

"""An Arrow column of texts built from its UTF-8 bytes and offsets: `pa.array` and
`pa.table` of Python lists import pandas (pyarrow checks each value for a pandas type), some
0.3-0.5 s that a command which never uses pandas (a pack) would pay for a parameter table
of a few hundred pairs (issue 34)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def texts(values: Sequence[str]) -> pa.Array:
    """`values` as an Arrow string array, without importing pandas."""
    data = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(data) + 1, dtype=np.int32)
    np.cumsum(np.fromiter(map(len, data), dtype=np.int32, count=len(data)), out=offsets[1:])
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))]
    return pa.Array.from_buffers(pa.string(), len(data), buffers)


def text_table(columns: dict[str, Sequence[str]]) -> pa.Table:
    """A table of text columns, without importing pandas."""
    return pa.Table.from_arrays([texts(v) for v in columns.values()], names=list(columns))

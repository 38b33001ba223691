"""Arrow arrays made from numpy buffers and Python values without `pa.array` or
`pa.scalar`: those import pandas (35 MB) to ask whether they were given a pandas object.
Shared by the workbook reader (xlsx_tokens.py, xlsx_text.py, read_xlsx_stream.py) and the
checks (validate.py)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

# The C allocator, not pyarrow's default mimalloc: the pieces' many short-lived buffers left
# mimalloc holding some 18 MB more at the peak of the 9.4 MB workbook's read (make bench).
POOL = pa.system_memory_pool()


def ints(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """An Arrow int64 array over numpy's buffer (pa.array would import pandas: 35 MB)."""
    values = np.ascontiguousarray(values, np.int64)
    bitmap = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(pa.int64(), len(values), [bitmap, pa.py_buffer(values)])


def bools(values: np.ndarray) -> pa.Array:
    """An Arrow boolean array of numpy's booleans (without pa.array, as `ints`)."""
    bits = pa.py_buffer(np.packbits(np.asarray(values, bool), bitorder="little"))
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, bits])


def flags(values: pa.Array) -> np.ndarray:
    """Numpy's booleans of an Arrow boolean array, nulls as False (to_numpy imports pandas)."""
    if values.null_count:
        values = values.fill_null(False)
    bits = np.unpackbits(np.frombuffer(values.buffers()[1], np.uint8), bitorder="little")
    return bits[values.offset : values.offset + len(values)].astype(bool)


def texts_of(values: list[str]) -> pa.Array:
    """An Arrow string array of Python strings (without pa.array, as `ints`)."""
    encoded = [v.encode() for v in values]
    offsets = np.zeros(len(encoded) + 1, np.int64)
    np.cumsum(np.fromiter(map(len, encoded), np.int64, len(encoded)), out=offsets[1:])
    return pa.Array.from_buffers(
        pa.large_string(),
        len(encoded),
        [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))],
    ).cast(pa.string(), memory_pool=POOL)


def scalar(value: str | int | float) -> pa.Scalar:
    """An Arrow scalar for compute functions (given a Python value, they call pa.scalar,
    which imports pandas)."""
    if isinstance(value, str):
        return texts_of([value])[0]
    if isinstance(value, int):
        return ints(np.array([value]))[0]
    numbers = np.array([value], np.float64)
    return pa.Array.from_buffers(pa.float64(), 1, [None, pa.py_buffer(numbers)])[0]


def empty_texts(n: int) -> pa.Array:
    """n empty strings."""
    offsets = np.zeros(n + 1, np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(b"")])

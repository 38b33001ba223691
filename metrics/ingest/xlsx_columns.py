"""The columns of a sheet as the streaming reader keeps them (read_xlsx_stream.py).

A return's text columns hold the same few texts row after row (indicator codes, periods,
areas, a status, a note filled down): dictionary-encoded, with indices a byte or two wide,
the 9.4 MB workbook of make bench keeps its cells in 6 MB instead of 37. DuckDB reads a
dictionary column as text, and metrics/ingest/validate.py trims and compares one by its
dictionary; columns where encoding does not pay (numbers, say) stay text. A shared string
is a dictionary index in the workbook already, but inline strings (openpyxl's write-only
mode, make bench's workbook) are not: encoding the text read covers both.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrics.ingest.arrow_arrays import POOL, empty_texts


def encoded(piece: pa.Array) -> pa.DictionaryArray | None:
    """A column's piece dictionary-encoded, if that holds it in at most 3/4 of its text."""
    coded = narrowed(pc.dictionary_encode(piece, memory_pool=POOL))
    return coded if coded.nbytes * 4 <= piece.nbytes * 3 else None


def joined(pieces: list[pa.Array]) -> pa.ChunkedArray:
    """A column's pieces as one column: one dictionary array (its pieces' dictionaries
    made one) when every piece is a dictionary or empty text, else text."""
    coded = [pa.types.is_dictionary(p.type) for p in pieces]
    if not any(coded):
        return pa.chunked_array(pieces, pa.string())
    if all(k or _no_text(p) for p, k in zip(pieces, coded, strict=True)):
        chunks = [_widened(p) if k else _blanks(len(p)) for p, k in zip(pieces, coded, strict=True)]
        return pa.chunked_array([narrowed(pa.concat_arrays(chunks, memory_pool=POOL))])
    return pa.chunked_array(
        [
            p.cast(pa.string(), memory_pool=POOL) if k else p
            for p, k in zip(pieces, coded, strict=True)
        ],
        pa.string(),
    )


def _no_text(piece: pa.Array) -> bool:
    return not len(piece) or pc.max(pc.binary_length(piece, memory_pool=POOL)).as_py() == 0


def _blanks(n: int) -> pa.Array:
    """n empty texts as a dictionary array."""
    return pa.DictionaryArray.from_arrays(
        pa.Array.from_buffers(pa.int32(), n, [None, pa.py_buffer(np.zeros(n, np.int32))]),
        empty_texts(1),
    )


def narrowed(codes: pa.DictionaryArray) -> pa.DictionaryArray:
    """The indices as narrow as the dictionary allows: a byte a cell for up to 127 texts."""
    size = len(codes.dictionary)
    kind = pa.int8() if size < 1 << 7 else pa.int16() if size < 1 << 15 else pa.int32()
    if codes.indices.type == kind:
        return codes
    return pa.DictionaryArray.from_arrays(
        codes.indices.cast(kind, memory_pool=POOL), codes.dictionary
    )


def _widened(codes: pa.DictionaryArray) -> pa.DictionaryArray:
    """int32 indices: the pieces' dictionaries made one may need them."""
    return pa.DictionaryArray.from_arrays(
        codes.indices.cast(pa.int32(), memory_pool=POOL), codes.dictionary
    )

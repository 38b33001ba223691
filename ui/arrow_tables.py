"""A table as Streamlit sends it (an Arrow table), made once per table's content rather than
in every run.

`st.dataframe(rows)` turns a list of rows into a pandas frame and then into Arrow each time
(about 5 to 10 ms a table): the largest share of a warm page's own work (py-spy,
bench/README.md), and in a crowd of 24 on the six pages measured, a sixth of the server's
samples. A chart's rows come from a cached chart (ui/reads.py `figure`), so a page shows the
very same list object run after run: those are found by identity. Every other table's rows
are built afresh in each run from cached data, so they are found by their content: the rows
pickled and hashed (a few hundredths of a millisecond for a table of 40 rows). The
conversion is Streamlit's own (the same functions `st.dataframe` calls for a list of rows),
and every table the app draws hides the index, so what a reader sees is unchanged. Nobody
may change the rows of a table once drawn.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from typing import Any

import pyarrow as pa
from streamlit import dataframe_util

KEPT = 256  # tables; each is a few kilobytes

_LOCK = threading.Lock()
# id(rows) -> (rows, table). Holding `rows` keeps its id from being given to another list.
_BY_ID: OrderedDict[int, tuple[list[dict[str, Any]], pa.Table]] = OrderedDict()
# the digest of the pickled rows -> table
_BY_CONTENT: OrderedDict[bytes, pa.Table] = OrderedDict()


def _convert(rows: list[dict[str, Any]]) -> pa.Table:
    frame = dataframe_util.convert_anything_to_pandas_df(rows, ensure_copy=False)
    return dataframe_util.convert_pandas_df_to_arrow_table(frame)


def _digest(rows: list[dict[str, Any]]) -> bytes | None:
    """The rows' content, hashed: equal for equal rows of equal types (1, 1.0 and True
    pickle differently, so each keeps the column type it would have had)."""
    try:
        return hashlib.blake2b(pickle.dumps(rows, protocol=5), digest_size=16).digest()
    except (pickle.PicklingError, TypeError, AttributeError):  # converted every time
        return None


def _keep(cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    cache[key] = value
    while len(cache) > KEPT:
        cache.popitem(last=False)


def arrow_of(rows: list[dict[str, Any]]) -> pa.Table:
    """`rows` as the Arrow table `st.dataframe(rows)` would build."""
    with _LOCK:
        hit = _BY_ID.get(id(rows))
        if hit is not None and hit[0] is rows:
            _BY_ID.move_to_end(id(rows))
            return hit[1]
    digest = _digest(rows)
    if digest is not None:
        with _LOCK:
            table = _BY_CONTENT.get(digest)
            if table is not None:
                _BY_CONTENT.move_to_end(digest)
                return table  # a run's own list: not kept by identity, it will not come again
    table = _convert(rows)
    with _LOCK:
        _keep(_BY_ID, id(rows), (rows, table))
        if digest is not None:
            _keep(_BY_CONTENT, digest, table)
    return table

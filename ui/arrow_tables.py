"""A chart's table twin as Streamlit sends it (an Arrow table), made once per list of rows
rather than in every run.

The rows come from a cached chart (ui/reads.py `figure`), so a page shows the very same list
object run after run; `st.dataframe` would turn it into a pandas frame and then into Arrow
each time, which was the largest share of a warm page's own work (py-spy, bench/README.md).
The conversion is Streamlit's own (the same functions `st.dataframe` calls for a list of
rows), so what a reader sees is unchanged. Nobody may change a cached chart's rows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import pyarrow as pa
from streamlit import dataframe_util

KEPT = 256  # tables; each is a few kilobytes

_LOCK = threading.Lock()
# id(rows) -> (rows, table). Holding `rows` keeps its id from being given to another list.
_TABLES: OrderedDict[int, tuple[list[dict[str, Any]], pa.Table]] = OrderedDict()


def arrow_of(rows: list[dict[str, Any]]) -> pa.Table:
    """`rows` as the Arrow table `st.dataframe(rows)` would build."""
    with _LOCK:
        hit = _TABLES.get(id(rows))
        if hit is not None and hit[0] is rows:
            _TABLES.move_to_end(id(rows))
            return hit[1]
    frame = dataframe_util.convert_anything_to_pandas_df(rows, ensure_copy=False)
    table = dataframe_util.convert_pandas_df_to_arrow_table(frame)
    with _LOCK:
        _TABLES[id(rows)] = (rows, table)
        while len(_TABLES) > KEPT:
            _TABLES.popitem(last=False)
    return table

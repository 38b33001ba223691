"""A chart's table twin is converted to Arrow once per list of rows, exactly as Streamlit would
convert it (ui/arrow_tables.py)."""

from __future__ import annotations

from streamlit import dataframe_util

from ui import arrow_tables
from ui.arrow_tables import arrow_of


def _rows() -> list[dict[str, object]]:
    return [
        {"Quarter": "2025-26 Q1", "Value": 61.5, "Note": "c"},  # a symbol beside numbers
        {"Quarter": "2025-26 Q2", "Value": None, "Note": 3},
    ]


def test_the_same_as_streamlit_makes_of_the_rows():
    rows = _rows()
    made = arrow_of(rows)
    theirs = dataframe_util.convert_pandas_df_to_arrow_table(
        dataframe_util.convert_anything_to_pandas_df(_rows())
    )
    assert made.equals(theirs)
    assert made.column_names == ["Quarter", "Value", "Note"]
    assert made.column("Note").to_pylist() == ["c", "3"]  # mixed: shown as text, as before


def test_converted_once_per_list_and_afresh_for_another():
    rows = _rows()
    assert arrow_of(rows) is arrow_of(rows)
    other = _rows()
    other[0]["Value"] = 70.0
    assert arrow_of(other) is not arrow_of(rows)
    assert arrow_of(other).column("Value").to_pylist()[0] == 70.0


def test_only_the_latest_tables_are_kept():
    kept = [_rows() for _ in range(arrow_tables.KEPT + 5)]
    for rows in kept:
        arrow_of(rows)
    assert len(arrow_tables._TABLES) == arrow_tables.KEPT

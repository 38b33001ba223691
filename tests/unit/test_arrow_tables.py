"""A table is converted to Arrow once per list of rows (a chart's table twin) or once per
content (a table built afresh in each run), exactly as Streamlit would convert it
(ui/arrow_tables.py)."""

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


def test_rows_built_afresh_with_the_same_content_are_converted_once():
    made = arrow_of(_rows())
    assert arrow_of(_rows()) is made  # another list, the same rows: the same table
    typed = _rows()
    typed[0]["Value"] = 61  # the same number as an int: another column type, another table
    assert arrow_of(typed) is not made
    assert arrow_of(typed).column("Value").to_pylist()[0] == 61


def test_rows_that_cannot_be_pickled_are_still_converted():
    rows = _rows()
    rows[0]["Note"] = lambda: None
    rows.pop()  # one kind per column; Streamlit shows the function as text
    assert arrow_of(rows).column_names == ["Quarter", "Value", "Note"]


def test_only_the_latest_tables_are_kept():
    kept = [_rows() for _ in range(arrow_tables.KEPT + 5)]
    for n, rows in enumerate(kept):
        rows[0]["Value"] = float(n)  # each a table of its own
        arrow_of(rows)
    assert len(arrow_tables._BY_ID) == arrow_tables.KEPT
    assert len(arrow_tables._BY_CONTENT) == arrow_tables.KEPT
